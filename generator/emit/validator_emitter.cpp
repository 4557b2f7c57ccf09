#include "emit/validator_emitter.h"

#include "emit/cpp_text.h"
#include "emit/parts.h"
#include "ir/cycles.h"
#include "ir/naming.h"

#include <keel/version.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>

namespace keel::gen::emit {

namespace {

using ir::no_schema;
using ir::Schema;
using ir::SchemaId;

// ---- small text helpers ----------------------------------------------------

class Code {
public:
  void line(std::string_view text) {
    if (!text.empty()) out_.append(static_cast<std::size_t>(depth_) * 2, ' ');
    out_ += text;
    out_ += '\n';
  }
  void open(std::string_view text) {
    line(text);
    ++depth_;
  }
  void close(std::string_view text = "}") {
    --depth_;
    line(text);
  }
  /// "} else {": closes one block and opens the next at the same depth.
  void middle(std::string_view text) {
    --depth_;
    line(text);
    ++depth_;
  }
  std::string& text() { return out_; }

private:
  std::string out_;
  int depth_ = 0;
};

std::string u64(std::uint64_t v) { return std::to_string(v) + "u"; }

/// The argument for keel::schema::compare_number / equals_number.
std::string number_arg(const ir::Number& n) {
  switch (n.kind) {
    case ir::Number::Kind::int64: return "std::int64_t{" + int64_literal(n.i) + "}";
    case ir::Number::Kind::uint64: return "std::uint64_t{" + std::to_string(n.u) + "u}";
    case ir::Number::Kind::real: return double_literal(n.d);
  }
  return "0";
}

// ---- analysis --------------------------------------------------------------

struct Analysis {
  std::vector<bool> has_function;
  std::vector<bool> eval_props, eval_items;  ///< must mark annotations for an unevaluated* keyword
  std::vector<bool> recursive;               ///< on a cycle of the call graph: depth guard
  /// Dynamic anchor name -> (resource, schema) candidates, and its helper index.
  std::map<std::string, std::vector<std::pair<std::uint32_t, SchemaId>>> dynamic;
  std::map<std::string, std::size_t> dynamic_index;
  std::map<std::string, std::size_t> regex_index;  ///< pattern -> re<N>()
  std::map<std::string, std::size_t> format_index;  ///< format -> fmt<N>()
};

template <class F> void for_each_in_place(const ir::SchemaSet& set, const Analysis& a,
                                           const Schema& s, F&& f) {
  auto add = [&](SchemaId t) {
    if (t != no_schema) f(t);
  };
  add(s.ref);
  add(s.dynamic_ref);
  if (!s.dynamic_anchor.empty()) {
    auto found = a.dynamic.find(s.dynamic_anchor);
    if (found != a.dynamic.end())
      for (const auto& [resource, target] : found->second) add(target);
  }
  for (SchemaId t : s.all_of) add(t);
  for (SchemaId t : s.any_of) add(t);
  for (SchemaId t : s.one_of) add(t);
  add(s.if_);
  add(s.then_);
  add(s.else_);
  for (const auto& d : s.dependent_schemas) add(d.schema);
  (void)set;
}

template <class F> void for_each_child(const ir::SchemaSet& set, const Analysis& a,
                                        const Schema& s, F&& f) {
  for_each_in_place(set, a, s, f);
  auto add = [&](SchemaId t) {
    if (t != no_schema) f(t);
  };
  add(s.not_);
  for (SchemaId t : s.prefix_items) add(t);
  add(s.items);
  add(s.contains);
  for (const auto& p : s.properties) add(p.schema);
  for (const auto& p : s.pattern_properties) add(p.schema);
  add(s.additional_properties);
  add(s.property_names);
  add(s.unevaluated_items);
  add(s.unevaluated_properties);
}


/// The set with every reference to a ref-only schema redirected to its final
/// target, so a chain of `$ref`s costs one call and no function of its own.
/// Not done when the dynamic scope is tracked: each hop may enter a resource.
ir::SchemaSet without_ref_hops(const ir::SchemaSet& in) {
  ir::SchemaSet set = in;
  if (set.dynamic_scope) return set;
  const std::size_t n = set.schemas.size();
  std::vector<SchemaId> target(n);
  for (SchemaId id = 0; id < n; ++id) {
    SchemaId t = id;
    // In-place loops were rejected when the IR was built; the bound is a backstop.
    for (std::size_t hops = 0; hops < n && ir::only_ref(set.schemas[t]); ++hops) t = set.schemas[t].ref;
    target[id] = t;
  }
  auto fix = [&](SchemaId& t) {
    if (t != no_schema) t = target[t];
  };
  for (auto& s : set.schemas) {
    fix(s.ref);
    for (auto& t : s.all_of) fix(t);
    for (auto& t : s.any_of) fix(t);
    for (auto& t : s.one_of) fix(t);
    fix(s.not_);
    fix(s.if_);
    fix(s.then_);
    fix(s.else_);
    for (auto& d : s.dependent_schemas) fix(d.schema);
    for (auto& t : s.prefix_items) fix(t);
    fix(s.items);
    fix(s.contains);
    for (auto& p : s.properties) fix(p.schema);
    for (auto& p : s.pattern_properties) fix(p.schema);
    fix(s.additional_properties);
    fix(s.property_names);
    fix(s.unevaluated_items);
    fix(s.unevaluated_properties);
  }
  for (auto& r : set.roots) fix(r.schema);
  return set;
}

Analysis analyse(const ir::SchemaSet& set) {
  Analysis a;
  const std::size_t n = set.schemas.size();
  for (std::size_t r = 0; r < set.resources.size(); ++r)
    for (const auto& anchor : set.resources[r].dynamic_anchors)
      a.dynamic[anchor.name].emplace_back(static_cast<std::uint32_t>(r), anchor.schema);
  for (const auto& [name, targets] : a.dynamic) a.dynamic_index.emplace(name, a.dynamic_index.size());

  // Functions for what the roots reach; `true`/`false` are inlined at each use.
  a.has_function.assign(n, false);
  std::vector<bool> reached(n, false);
  std::vector<SchemaId> pending;
  for (const auto& root : set.roots) {
    a.has_function[root.schema] = true;
    if (!reached[root.schema]) pending.push_back(root.schema);
    reached[root.schema] = true;
  }
  while (!pending.empty()) {
    SchemaId id = pending.back();
    pending.pop_back();
    if (!set.schemas[id].always) a.has_function[id] = true;
    for_each_child(set, a, set.schemas[id], [&](SchemaId t) {
      if (!reached[t]) {
        reached[t] = true;
        pending.push_back(t);
      }
    });
  }

  // Annotation needs flow from each unevaluated* keyword to everything its
  // schema applies in place.
  auto propagate = [&](std::vector<bool>& flag, auto has) {
    flag.assign(n, false);
    std::vector<SchemaId> work;
    for (SchemaId id = 0; id < n; ++id)
      if (has(set.schemas[id])) {
        flag[id] = true;
        work.push_back(id);
      }
    while (!work.empty()) {
      SchemaId id = work.back();
      work.pop_back();
      for_each_in_place(set, a, set.schemas[id], [&](SchemaId t) {
        if (!flag[t]) {
          flag[t] = true;
          work.push_back(t);
        }
      });
    }
  };
  propagate(a.eval_props, [](const Schema& s) { return s.unevaluated_properties != no_schema; });
  propagate(a.eval_items, [](const Schema& s) { return s.unevaluated_items != no_schema; });

  // Functions on a cycle of the call graph need a depth guard.
  a.recursive.assign(n, false);
  std::vector<std::vector<SchemaId>> edges(n);
  for (SchemaId id = 0; id < n; ++id)
    for_each_child(set, a, set.schemas[id], [&](SchemaId t) { edges[id].push_back(t); });
  for (const auto& cycle : ir::cyclic_components(edges))
    for (SchemaId m : cycle) a.recursive[m] = true;

  for (const auto& s : set.schemas) {
    if (s.pattern) a.regex_index.emplace(*s.pattern, a.regex_index.size());
    for (const auto& p : s.pattern_properties) a.regex_index.emplace(p.pattern, a.regex_index.size());
    if (s.format) a.format_index.emplace(*s.format, a.format_index.size());
  }
  return a;
}

// ---- one function ----------------------------------------------------------

class FunctionEmitter {
public:
  FunctionEmitter(const ir::SchemaSet& set, const Analysis& a, SchemaId id, Code& out)
      : set_(set), a_(a), id_(id), s_(set.schemas[id]), out_(out) {}

  void emit() {
    out_.line("// " + comment_line(s_.location));
    // A function on a cycle gets a depth guard and, unless the dynamic scope
    // is tracked (its verdicts depend on the scope), a memo of verdicts per
    // instance value once the validation has recursed a lot: several
    // anyOf/oneOf branches recursing into the same value must not multiply
    // the work (Context::memoizing, keel/validation.h).
    const bool guarded = !s_.always && a_.recursive[id_];
    const bool memo = guarded && !set_.dynamic_scope;
    const std::string name = "s" + std::to_string(id_) + (memo ? "_body" : "");
    out_.line("template <class S>");
    out_.line("bool " + name +
              "([[maybe_unused]] const nlohmann::json& i, [[maybe_unused]] keel::schema::Context& c,");
    out_.open("       [[maybe_unused]] keel::schema::Evaluated* e) {");
    if (s_.always) {
      if (*s_.always) {
        out_.line("return true;");
      } else {
        out_.line("if constexpr (S::collect) keel::schema::fail_false(c, " + lit(s_.location) + ");");
        out_.line("return false;");
      }
      out_.close();
      return;
    }
    tracking_ = a_.eval_props[id_] || a_.eval_items[id_];
    own_ = s_.unevaluated_properties != no_schema || s_.unevaluated_items != no_schema;
    if (guarded && !memo) {
      out_.line("keel::schema::Depth depth(c);");
      out_.line("if (!depth.ok(" + lit(s_.location) + ")) return false;");
    }
    out_.line("bool ok = true;");
    if (own_) {
      out_.line("keel::schema::Evaluated own;");
      out_.line("[[maybe_unused]] keel::schema::Evaluated* const pe = &own;");
    } else if (tracking_) {
      out_.line("[[maybe_unused]] keel::schema::Evaluated* const pe = e;");
    }
    emit_direction();
    emit_type_and_values();
    emit_by_type();
    emit_in_place();
    emit_unevaluated();
    if (own_) out_.line("if (e != nullptr) e->merge(own);");
    out_.line("return ok;");
    out_.close();
    if (!memo) return;
    out_.line("");
    out_.line("template <class S>");
    out_.open("bool s" + std::to_string(id_) +
              "(const nlohmann::json& i, keel::schema::Context& c, keel::schema::Evaluated* e) {");
    out_.line("keel::schema::Depth depth(c);");
    out_.line("if (!depth.ok(" + lit(s_.location) + ")) return false;");
    out_.line("if (c.memoizing()) [[unlikely]]");
    out_.line("  return keel::schema::memoized<S>(c, " + std::to_string(id_) + ", i, e, &" + name +
              "<S>);");
    out_.line("return " + name + "<S>(i, c, e);");
    out_.close();
  }

private:
  // -- shared pieces --

  std::string lit(const std::string& text) const { return cpp_string(text); }
  std::string kw(std::string_view keyword) const { return lit(s_.location + "/" + std::string(keyword)); }
  std::string pe_or_null() const { return tracking_ || own_ ? "pe" : "nullptr"; }
  bool marks_props() const { return a_.eval_props[id_]; }
  bool marks_items() const { return a_.eval_items[id_]; }

  /// A failed keyword: the fast path returns, the collecting one reports.
  void fail_if(const std::string& condition, const std::string& report) {
    out_.open("if (" + condition + ") {");
    fail_body(report);
    out_.close();
  }
  void fail_body(const std::string& report) {
    out_.line("if constexpr (!S::collect) return false;");
    if (report.empty()) {
      out_.line("else ok = false;");
    } else {
      out_.open("else {");
      out_.line("ok = false;");
      out_.line(report + ";");
      out_.close();
    }
  }

  /// The call of subschema `t` (not a boolean schema) as an expression.
  std::string call(SchemaId t, const std::string& sink, const std::string& instance,
                   const std::string& eval) {
    callees.insert(t);
    std::string expr = "s" + std::to_string(t) + "<" + sink + ">(" + instance + ", c, " + eval + ")";
    const Schema& callee = set_.schemas[t];
    if (set_.dynamic_scope && callee.resource != s_.resource)
      expr = "keel::schema::in_scope(c, " + u64(callee.resource) + ", [&] { return " + expr + "; })";
    return expr;
  }

  /// A subschema that must hold for `instance`; its own errors explain a
  /// failure. `false_report` is what a `false` subschema reports; `path`
  /// is the instance path step to push (member key or item index), if any.
  ///
  /// One walk: the collecting path calls the subschema's collecting
  /// function directly (valid parts cost a path step each, no report),
  /// never the fast one first.
  void must_pass(SchemaId t, const std::string& instance, const std::string& eval,
                 const std::string& false_report, const std::string& path = "") {
    if (t == no_schema) return;
    const Schema& child = set_.schemas[t];
    if (child.always && *child.always) return;
    std::string at = path.empty() ? "" : "keel::schema::At<S> at(c, " + path + ");";
    out_.open("{");
    if (child.always) {
      out_.line("if constexpr (!S::collect) return false;");
      out_.open("else {");
      out_.line("ok = false;");
      if (!at.empty()) out_.line(at);
      out_.line(false_report + ";");
      out_.close();
    } else {
      if (!at.empty()) out_.line(at);
      out_.open("if (!" + call(t, "S", instance, eval) + ") {");
      out_.line("if constexpr (!S::collect) return false;");
      out_.line("else ok = false;");
      out_.close();
    }
    out_.close();
  }

  std::string false_default(SchemaId t) const {
    return "keel::schema::fail_false(c, " + lit(set_.schemas[t].location) + ")";
  }

  /// A subschema used as a condition: an expression, constant for booleans.
  std::string test(SchemaId t, const std::string& sink, const std::string& instance,
                   const std::string& eval) {
    const Schema& child = set_.schemas[t];
    if (child.always) return *child.always ? "true" : "false";
    return call(t, sink, instance, eval);
  }

  // -- keywords independent of the instance type --

  /// readOnly / writeOnly assert in one direction only; schemas without
  /// them never look at it.
  void emit_direction() {
    if (s_.read_only)
      fail_if("c.options().direction == keel::schema::Direction::request",
              "keel::schema::fail_read_only(c, " + kw("readOnly") + ")");
    if (s_.write_only)
      fail_if("c.options().direction == keel::schema::Direction::response",
              "keel::schema::fail_write_only(c, " + kw("writeOnly") + ")");
  }

  void emit_type_and_values() {
    if (s_.type && *s_.type != ir::type_all) {
      std::string bits = u64(*s_.type);
      fail_if("!keel::schema::has_type(i, " + bits + ")",
              "keel::schema::fail_type(c, " + kw("type") + ", " + bits + ", i)");
    }
    if (s_.const_) {
      fail_if("!(" + value_test(*s_.const_) + ")",
              "keel::schema::fail_const(c, " + kw("const") + ", " + lit(s_.const_->json) + ")");
    }
    if (s_.enum_) {
      std::string condition, json = "[";
      for (std::size_t k = 0; k < s_.enum_->size(); ++k) {
        const ir::Value& v = (*s_.enum_)[k];
        condition += (k > 0 ? " || " : "") + value_test(v);
        json += (k > 0 ? "," : "") + v.json;
      }
      json += "]";
      if (condition.empty()) condition = "false";
      fail_if("!(" + condition + ")",
              "keel::schema::fail_enum(c, " + kw("enum") + ", " + lit(json) + ")");
    }
  }

  /// A boolean expression: does `i` equal `v` (JSON equality)?
  std::string value_test(const ir::Value& v) {
    switch (v.kind) {
      case ir::Value::Kind::null: return "i.is_null()";
      case ir::Value::Kind::boolean:
        return std::string("(i.is_boolean() && i.get_ref<const bool&>() == ") +
               (v.boolean ? "true" : "false") + ")";
      case ir::Value::Kind::string:
        return "keel::schema::equals_string(i, std::string_view(" + lit(v.string) + ", " +
               std::to_string(v.string.size()) + "))";
      case ir::Value::Kind::number:
        return "keel::schema::equals_number(i, " + number_arg(v.number) + ")";
      case ir::Value::Kind::array:
      case ir::Value::Kind::object: {
        std::size_t k = constants_.size();
        constants_.push_back(v.json);
        std::string type = v.kind == ir::Value::Kind::array ? "i.is_array()" : "i.is_object()";
        return "(" + type + " && keel::schema::json_equal(i, k" + std::to_string(id_) + "_" +
               std::to_string(k) + "()))";
      }
    }
    return "false";
  }

  // -- keywords for one instance type --

  /// A member name the object loop recognises, and what a match means.
  struct Known {
    std::string name;
    std::optional<std::size_t> bit;     ///< presence bit (required, dependencies)
    std::optional<SchemaId> schema;     ///< `properties` subschema
  };

  void emit_by_type() {
    bool strings = s_.min_length || s_.max_length || s_.pattern || s_.format;
    bool numbers = s_.minimum || s_.maximum || s_.exclusive_minimum || s_.exclusive_maximum ||
                   s_.multiple_of;
    bool objects = s_.min_properties || s_.max_properties || !s_.properties.empty() ||
                   !s_.pattern_properties.empty() || s_.additional_properties != no_schema ||
                   s_.property_names != no_schema || !s_.required.empty() ||
                   !s_.dependent_required.empty() || !s_.dependent_schemas.empty();
    bool arrays = s_.min_items || s_.max_items || !s_.prefix_items.empty() ||
                  s_.items != no_schema || s_.contains != no_schema || s_.unique_items;
    if (!strings && !numbers && !objects && !arrays) return;
    out_.open("switch (i.type()) {");
    if (strings) {
      out_.open("case nlohmann::json::value_t::string: {");
      emit_string();
      out_.line("break;");
      out_.close();
    }
    if (numbers) {
      out_.line("case nlohmann::json::value_t::number_integer:");
      out_.line("case nlohmann::json::value_t::number_unsigned:");
      out_.open("case nlohmann::json::value_t::number_float: {");
      emit_number();
      out_.line("break;");
      out_.close();
    }
    if (objects) {
      out_.open("case nlohmann::json::value_t::object: {");
      emit_object();
      out_.line("break;");
      out_.close();
    }
    if (arrays) {
      out_.open("case nlohmann::json::value_t::array: {");
      emit_array();
      out_.line("break;");
      out_.close();
    }
    out_.line("default: break;");
    out_.close();
  }

  void emit_string() {
    out_.line("[[maybe_unused]] const std::string& str = i.get_ref<const std::string&>();");
    if (s_.min_length && *s_.min_length > 0) {
      std::uint64_t n = *s_.min_length;
      // Each code point takes 1-4 bytes, so the byte size often decides alone.
      std::string condition = "str.size() < " + u64(n);
      if (n <= (std::uint64_t{1} << 60))
        condition += " || (str.size() < " + u64(n * 4) + " && keel::schema::code_points(str) < " + u64(n) + ")";
      else
        condition += " || keel::schema::code_points(str) < " + u64(n);
      fail_if(condition, "keel::schema::fail_count(c, " + kw("minLength") + ", \"minLength\", " +
                             u64(n) + ", keel::schema::code_points(str))");
    }
    if (s_.max_length) {
      std::uint64_t n = *s_.max_length;
      fail_if("str.size() > " + u64(n) + " && keel::schema::code_points(str) > " + u64(n),
              "keel::schema::fail_count(c, " + kw("maxLength") + ", \"maxLength\", " + u64(n) +
                  ", keel::schema::code_points(str))");
    }
    if (s_.pattern) {
      std::string re = regex(*s_.pattern);
      fail_if("!keel::schema::pattern_matches(c, " + re + ", str, " + kw("pattern") + ", \"pattern\")",
              "keel::schema::fail_pattern(c, " + kw("pattern") + ", " + lit(*s_.pattern) + ")");
    }
    if (s_.format) {
      std::size_t f = a_.format_index.at(*s_.format);
      formats_used.insert(f);
      std::string fmt = "fmt" + std::to_string(f) + "()";
      fail_if(fmt + " != nullptr && !" + fmt + "(str)",
              "keel::schema::fail_format(c, " + kw("format") + ", " + lit(*s_.format) + ")");
    }
  }

  void emit_number() {
    auto bound = [&](const std::optional<ir::Number>& n, const char* keyword, const char* failing) {
      if (!n) return;
      fail_if(std::string("keel::schema::") + failing + "(i, " + number_arg(*n) + ")",
              std::string("keel::schema::fail_bound(c, ") + kw(keyword) + ", \"" + keyword +
                  "\", " + lit(n->text) + ", i)");
    };
    bound(s_.minimum, "minimum", "below");
    bound(s_.maximum, "maximum", "above");
    bound(s_.exclusive_minimum, "exclusiveMinimum", "at_or_below");
    bound(s_.exclusive_maximum, "exclusiveMaximum", "at_or_above");
    if (s_.multiple_of) {
      const ir::Number& d = *s_.multiple_of;
      out_.line("static constexpr keel::schema::Divisor divisor{" + u64(d.mantissa) + ", " +
                std::to_string(d.exponent) + ", " + double_literal(d.d) + "};");
      fail_if("!keel::schema::is_multiple_of(i, divisor)",
              "keel::schema::fail_multiple_of(c, " + kw("multipleOf") + ", " + lit(d.text) + ")");
    }
  }

  void emit_object() {
    out_.line("[[maybe_unused]] const auto& o = i.get_ref<const nlohmann::json::object_t&>();");
    if (s_.min_properties && *s_.min_properties > 0)
      fail_if("o.size() < " + u64(*s_.min_properties),
              "keel::schema::fail_count(c, " + kw("minProperties") + ", \"minProperties\", " +
                  u64(*s_.min_properties) + ", o.size())");
    if (s_.max_properties)
      fail_if("o.size() > " + u64(*s_.max_properties),
              "keel::schema::fail_count(c, " + kw("maxProperties") + ", \"maxProperties\", " +
                  u64(*s_.max_properties) + ", o.size())");

    // Names whose presence matters after the loop get one bit each.
    std::vector<std::string> bit_names;
    auto bit_of = [&](const std::string& name) {
      auto found = std::find(bit_names.begin(), bit_names.end(), name);
      if (found != bit_names.end()) return static_cast<std::size_t>(found - bit_names.begin());
      bit_names.push_back(name);
      return bit_names.size() - 1;
    };
    for (const auto& r : s_.required) bit_of(r);
    for (const auto& d : s_.dependent_required) {
      bit_of(d.name);
      for (const auto& r : d.required) bit_of(r);
    }
    for (const auto& d : s_.dependent_schemas) bit_of(d.name);

    std::vector<Known> known;
    auto known_of = [&](const std::string& name) -> Known& {
      for (auto& k : known)
        if (k.name == name) return k;
      known.push_back({name, std::nullopt, std::nullopt});
      return known.back();
    };
    for (const auto& p : s_.properties) {
      Known& k = known_of(p.name);
      if (!k.schema) k.schema = p.schema;
    }
    for (std::size_t b = 0; b < bit_names.size(); ++b) known_of(bit_names[b]).bit = b;

    bool need_loop = !known.empty() || !s_.pattern_properties.empty() ||
                     s_.additional_properties != no_schema || s_.property_names != no_schema;
    const std::size_t words = (bit_names.size() + 63) / 64;
    if (need_loop) {
      bool additional = s_.additional_properties != no_schema;
      bool index = marks_props();
      if (words > 0) out_.line("std::uint64_t seen[" + std::to_string(words) + "] = {};");
      if (index) out_.line("std::size_t idx = 0;");
      out_.open("for (const auto& m : keel::schema::Members(o)) {");
      out_.line("[[maybe_unused]] const std::string& k = m.first;");
      if (additional) out_.line("bool matched = false;");
      if (!known.empty()) emit_member_switch(known, additional);
      for (const auto& p : s_.pattern_properties) {
        std::string re = regex(p.pattern);
        out_.open("if (keel::schema::pattern_matches(c, " + re + ", k, " + kw("patternProperties") +
                  ", \"patternProperties\")) {");
        if (additional) out_.line("matched = true;");
        if (index) out_.line("if (pe != nullptr) pe->mark_property(idx);");
        member_check(p.schema, "");
        out_.close();
      }
      if (additional) {
        out_.open("if (!matched) {");
        if (index) out_.line("if (pe != nullptr) pe->mark_property(idx);");
        member_check(s_.additional_properties,
                     "keel::schema::fail_property_not_allowed(c, " + kw("additionalProperties") +
                         ", \"additionalProperties\")");
        out_.close();
      }
      if (s_.property_names != no_schema) emit_property_names();
      if (index) out_.line("++idx;");
      out_.close();
    }
    auto has = [&](const std::string& name) {
      std::size_t b = bit_of(name);
      return "(seen[" + std::to_string(b / 64) + "] & " + u64(std::uint64_t{1} << (b % 64)) +
             ") != 0";
    };
    if (!s_.required.empty()) {
      // One test for the fast path; names only on the collecting one. A
      // required read-only (write-only) property of this schema is not
      // required in a request (response): masks per direction, emitted only
      // when they differ.
      std::vector<std::uint64_t> masks(words, 0), request(words, 0), response(words, 0);
      for (const auto& r : s_.required) {
        std::size_t b = bit_of(r);
        std::uint64_t bit = std::uint64_t{1} << (b % 64);
        masks[b / 64] |= bit;
        if (!property_is(r, &Schema::read_only)) request[b / 64] |= bit;
        if (!property_is(r, &Schema::write_only)) response[b / 64] |= bit;
      }
      std::string condition;
      for (std::size_t w = 0; w < words; ++w) {
        if (masks[w] == 0) continue;
        std::string mask = u64(masks[w]);
        if (request[w] != masks[w] || response[w] != masks[w]) {
          mask = "required" + std::to_string(w);
          out_.line("const std::uint64_t " + mask + " = keel::schema::required_in(c, " +
                    u64(masks[w]) + ", " + u64(request[w]) + ", " + u64(response[w]) + ");");
        }
        if (!condition.empty()) condition += " || ";
        condition += "(seen[" + std::to_string(w) + "] & " + mask + ") != " + mask;
      }
      out_.open("if (" + condition + ") {");
      out_.line("if constexpr (!S::collect) return false;");
      out_.open("else {");
      out_.line("ok = false;");
      for (const auto& r : s_.required) {
        bool read_only = property_is(r, &Schema::read_only);
        bool write_only = property_is(r, &Schema::write_only);
        std::string applies = read_only && write_only
                                  ? " && c.options().direction == keel::schema::Direction::any"
                              : read_only
                                  ? " && c.options().direction != keel::schema::Direction::request"
                              : write_only
                                  ? " && c.options().direction != keel::schema::Direction::response"
                                  : "";
        out_.line("if (!(" + has(r) + ")" + applies + ") keel::schema::fail_required(c, " +
                  kw("required") + ", " + lit(r) + ");");
      }
      out_.close();
      out_.close();
    }
    for (const auto& d : s_.dependent_required) {
      if (d.required.empty()) continue;
      out_.open("if (" + has(d.name) + ") {");
      for (const auto& r : d.required)
        fail_if("!(" + has(r) + ")", "keel::schema::fail_dependent_required(c, " +
                                         kw("dependentRequired") + ", " + lit(d.name) + ", " +
                                         lit(r) + ")");
      out_.close();
    }
    for (const auto& d : s_.dependent_schemas) {
      const Schema& child = set_.schemas[d.schema];
      if (child.always && *child.always) continue;
      out_.open("if (" + has(d.name) + ") {");
      must_pass(d.schema, "i", pe_or_null(), false_default(d.schema));
      out_.close();
    }
  }

  /// Whether this schema's `properties[name]` carries `flag` (readOnly or
  /// writeOnly), itself or along its `$ref` chain.
  bool property_is(const std::string& name, bool Schema::*flag) const {
    for (const auto& p : s_.properties) {
      if (p.name != name) continue;
      SchemaId t = p.schema;
      for (std::size_t hops = 0; t != no_schema && hops < 64; ++hops) {
        if (set_.schemas[t].*flag) return true;
        t = set_.schemas[t].ref;
      }
      return false;
    }
    return false;
  }

  /// switch on the key's length, then memcmp: no map lookups per property.
  void emit_member_switch(const std::vector<Known>& known, bool additional) {
    std::map<std::size_t, std::vector<const Known*>> by_length;
    for (const auto& k : known) by_length[k.name.size()].push_back(&k);
    out_.open("switch (k.size()) {");
    for (const auto& [length, names] : by_length) {
      out_.open("case " + std::to_string(length) + ": {");
      bool first = true;
      for (const Known* k : names) {
        std::string test = length == 0 ? "true"
                                       : "std::memcmp(k.data(), " + lit(k->name) + ", " +
                                             std::to_string(length) + ") == 0";
        if (first)
          out_.open("if (" + test + ") {");
        else
          out_.middle("} else if (" + test + ") {");
        first = false;
        if (k->bit)
          out_.line("seen[" + std::to_string(*k->bit / 64) + "] |= " +
                    u64(std::uint64_t{1} << (*k->bit % 64)) + ";");
        if (k->schema) {
          if (additional) out_.line("matched = true;");
          if (marks_props()) out_.line("if (pe != nullptr) pe->mark_property(idx);");
          member_check(*k->schema, "");
        }
      }
      out_.close();
      out_.line("break;");
      out_.close();
    }
    out_.line("default: break;");
    out_.close();
  }

  /// Validates member value m.second against `t` with the member on the path.
  void member_check(SchemaId t, const std::string& false_report) {
    const Schema& child = set_.schemas[t];
    if (child.always && *child.always) return;
    must_pass(t, "m.second", "nullptr", false_report.empty() ? false_default(t) : false_report, "k");
  }

  void emit_property_names() {
    const Schema& child = set_.schemas[s_.property_names];
    if (child.always && *child.always) return;
    if (child.always) {
      must_pass(s_.property_names, "", "nullptr",
                "keel::schema::fail_false(c, " + lit(child.location) + ")", "k");
      return;
    }
    out_.open("{");
    out_.line("const nlohmann::json name(k);");
    out_.line("keel::schema::NoMemo no_memo(c);  // `name` is a temporary");
    must_pass(s_.property_names, "name", "nullptr", "", "k");
    out_.close();
  }

  void emit_array() {
    out_.line("[[maybe_unused]] const auto& a = i.get_ref<const nlohmann::json::array_t&>();");
    if (s_.min_items && *s_.min_items > 0)
      fail_if("a.size() < " + u64(*s_.min_items),
              "keel::schema::fail_count(c, " + kw("minItems") + ", \"minItems\", " +
                  u64(*s_.min_items) + ", a.size())");
    if (s_.max_items)
      fail_if("a.size() > " + u64(*s_.max_items),
              "keel::schema::fail_count(c, " + kw("maxItems") + ", \"maxItems\", " +
                  u64(*s_.max_items) + ", a.size())");
    const std::size_t prefix = s_.prefix_items.size();
    for (std::size_t k = 0; k < prefix; ++k) {
      SchemaId t = s_.prefix_items[k];
      const Schema& child = set_.schemas[t];
      if (child.always && *child.always) continue;
      out_.open("if (a.size() > " + std::to_string(k) + ") {");
      must_pass(t, "a[" + std::to_string(k) + "]", "nullptr", false_default(t),
                "std::size_t{" + std::to_string(k) + "}");
      out_.close();
    }
    if (prefix > 0 && marks_items())
      out_.line("if (pe != nullptr) pe->mark_prefix(std::min<std::size_t>(a.size(), " +
                std::to_string(prefix) + "));");
    if (s_.items != no_schema) {
      const Schema& child = set_.schemas[s_.items];
      if (!(child.always && *child.always)) {
        out_.open("for (std::size_t j = " + std::to_string(prefix) + "; j < a.size(); ++j) {");
        must_pass(s_.items, "a[j]", "nullptr",
                  "keel::schema::fail_item_not_allowed(c, " + kw("items") + ", \"items\")", "j");
        out_.close();
      }
      if (marks_items()) out_.line("if (pe != nullptr) pe->mark_all_items();");
    }
    if (s_.contains != no_schema) emit_contains();
    if (s_.unique_items) {
      out_.open("{");
      out_.line("std::size_t first = 0, second = 0;");
      fail_if("keel::schema::find_duplicate(a, first, second)",
              "keel::schema::fail_unique(c, " + kw("uniqueItems") + ", first, second)");
      out_.close();
    }
  }

  void emit_contains() {
    std::uint64_t min = s_.min_contains.value_or(1);
    const Schema& child = set_.schemas[s_.contains];
    if (min == 0 && !s_.max_contains && !marks_items()) return;  // nothing to decide or record
    out_.open("{");
    if (child.always) {
      out_.line(std::string("const std::size_t found = ") + (*child.always ? "a.size()" : "0") + ";");
      if (*child.always && marks_items()) out_.line("if (pe != nullptr) pe->mark_all_items();");
    } else {
      out_.line("[[maybe_unused]] std::size_t found = 0;");
      out_.open("for (std::size_t j = 0; j < a.size(); ++j) {");
      // Which items match is never an error to report: the fast path decides.
      out_.open("if (" + call(s_.contains, "keel::schema::Fast", "a[j]", "nullptr") + ") {");
      out_.line("++found;");
      if (marks_items()) out_.line("if (pe != nullptr) pe->mark_item(j);");
      if (!s_.max_contains) {
        std::string enough = min == 0 ? "" : "found >= " + u64(min);
        std::string stop = marks_items() ? (enough.empty() ? "pe == nullptr" : "pe == nullptr && " + enough)
                                         : enough;
        out_.line(stop.empty() ? "break;" : "if (" + stop + ") break;");
      }
      out_.close();
      out_.close();
    }
    if (min > 0)
      fail_if("found < " + u64(min),
              "keel::schema::fail_contains(c, " +
                  kw(s_.min_contains ? "minContains" : "contains") + ", " + u64(min) + ", found)");
    if (s_.max_contains)
      fail_if("found > " + u64(*s_.max_contains),
              "keel::schema::fail_max_contains(c, " + kw("maxContains") + ", " +
                  u64(*s_.max_contains) + ", found)");
    out_.close();
  }

  // -- in-place applicators --

  void emit_in_place() {
    const std::string pe = pe_or_null();
    if (s_.ref != no_schema) must_pass(s_.ref, "i", pe, false_default(s_.ref));
    if (s_.dynamic_ref != no_schema) {
      if (s_.dynamic_anchor.empty()) {
        must_pass(s_.dynamic_ref, "i", pe, false_default(s_.dynamic_ref));
      } else {
        const Schema& initial = set_.schemas[s_.dynamic_ref];
        std::size_t k = a_.dynamic_index.at(s_.dynamic_anchor);
        dynamic_used.insert(k);
        out_.open("{");
        callees.insert(s_.dynamic_ref);
        out_.line("const keel::schema::Target<S> t = dyn" + std::to_string(k) + "<S>(c, {&s" +
                  std::to_string(s_.dynamic_ref) + "<S>, " + u64(initial.resource) + "});");
        out_.line("keel::schema::Scope scope(c, t.resource);");
        fail_if("!t.fn(i, c, " + pe + ")", "");
        out_.close();
      }
    }
    for (SchemaId t : s_.all_of) must_pass(t, "i", pe, false_default(t));
    if (!s_.any_of.empty()) emit_any_of();
    if (!s_.one_of.empty()) emit_one_of();
    if (s_.not_ != no_schema) {
      fail_if(test(s_.not_, "keel::schema::Fast", "i", "nullptr"),
              "keel::schema::fail_not(c, " + kw("not") + ")");
    }
    if (s_.if_ != no_schema) emit_if();
  }

  // anyOf / oneOf decide on the fast path; only a failing combinator runs
  // its branches again to collect their errors, so nothing is taken back.
  void emit_any_of() {
    bool track = tracking_ || own_;
    std::vector<SchemaId> live;
    for (SchemaId t : s_.any_of) {
      const Schema& child = set_.schemas[t];
      if (!child.always) {
        live.push_back(t);
      } else if (*child.always && !track) {
        return;  // always satisfied
      }
    }
    bool always_true = live.size() < s_.any_of.size() &&
                       std::any_of(s_.any_of.begin(), s_.any_of.end(), [&](SchemaId t) {
                         return set_.schemas[t].always && *set_.schemas[t].always;
                       });
    auto collect_and_fail = [&] {
      out_.line("if constexpr (!S::collect) return false;");
      out_.open("else {");
      out_.line("ok = false;");
      collect_branches(s_.any_of, live, s_.discriminator && !s_.discriminator->one_of);
      out_.line("keel::schema::fail_any_of(c, " + kw("anyOf") + ");");
      out_.close();
    };
    if (!track) {
      std::string condition;
      for (SchemaId t : live)
        condition += (condition.empty() ? "" : " || ") + call(t, "keel::schema::Fast", "i", "nullptr");
      out_.open("if (!(" + (condition.empty() ? std::string("false") : condition) + ")) {");
      collect_and_fail();
      out_.close();
      return;
    }
    out_.open("{");
    out_.line(std::string("bool any = ") + (always_true ? "true" : "false") + ";");
    for (SchemaId t : live) {
      out_.open("if (!any || pe != nullptr) {");
      out_.line("keel::schema::Evaluated branch;");
      out_.open("if (" + call(t, "keel::schema::Fast", "i", "pe != nullptr ? &branch : nullptr") + ") {");
      out_.line("any = true;");
      out_.line("if (pe != nullptr) pe->merge(branch);");
      out_.close();
      out_.close();
    }
    out_.open("if (!any) {");
    collect_and_fail();
    out_.close();
    out_.close();
  }

  void emit_one_of() {
    bool track = tracking_ || own_;
    out_.open("{");
    out_.line("std::size_t matched = 0;");
    if (track) out_.line("keel::schema::Evaluated winner;");
    std::vector<SchemaId> live;
    for (SchemaId t : s_.one_of) {
      const Schema& child = set_.schemas[t];
      if (child.always) {
        if (*child.always) out_.line("++matched;");
        continue;
      }
      live.push_back(t);
      // Two matches already decide; the collecting path counts them all for its message.
      out_.open("if (S::collect || matched < 2) {");
      if (track) {
        out_.line("keel::schema::Evaluated branch;");
        out_.open("if (" + call(t, "keel::schema::Fast", "i", "pe != nullptr ? &branch : nullptr") + ") {");
        out_.line("if (++matched == 1 && pe != nullptr) winner = std::move(branch);");
        out_.close();
      } else {
        out_.line("if (" + call(t, "keel::schema::Fast", "i", "nullptr") + ") ++matched;");
      }
      out_.close();
    }
    if (track) {
      out_.open("if (matched == 1) {");
      out_.line("if (pe != nullptr) pe->merge(winner);");
      out_.middle("} else {");
    } else {
      out_.open("if (matched != 1) {");
    }
    out_.line("if constexpr (!S::collect) return false;");
    out_.open("else {");
    out_.line("ok = false;");
    const bool discriminated = s_.discriminator && s_.discriminator->one_of;
    if (!live.empty() || discriminated) {
      out_.open("if (matched == 0) {");
      collect_branches(s_.one_of, live, discriminated);
      out_.close();
    }
    out_.line("keel::schema::fail_one_of(c, " + kw("oneOf") + ", matched);");
    out_.close();
    out_.close();
    out_.close();
  }

  /// The collecting path of an anyOf/oneOf that no branch matched: the
  /// errors of every (non-boolean) branch or, when a discriminator applies
  /// and the object's value selects a branch, of that branch alone. A
  /// missing or unknown value is one `discriminator` error at the property.
  void collect_branches(const std::vector<SchemaId>& branches, const std::vector<SchemaId>& live,
                        bool discriminated) {
    auto every_branch = [&] {
      for (SchemaId t : live) out_.line(call(t, "S", "i", "nullptr") + ";");
    };
    if (!discriminated) {
      every_branch();
      return;
    }
    const ir::Discriminator& d = *s_.discriminator;
    nlohmann::json allowed = nlohmann::json::array();
    for (const auto& v : d.values) allowed.push_back(v.value);
    out_.open("if (i.is_object()) {");
    out_.line("const auto found = i.find(std::string(" + lit(d.property) + ", " +
              std::to_string(d.property.size()) + "));");
    out_.line("std::size_t branch = " + std::to_string(branches.size()) + ";");
    out_.open("if (found != i.end() && found->is_string()) {");
    out_.line("const std::string& value = found->get_ref<const std::string&>();");
    for (std::size_t k = 0; k < d.values.size(); ++k)
      out_.line(std::string(k > 0 ? "else " : "") + "if (value == std::string_view(" +
                lit(d.values[k].value) + ", " + std::to_string(d.values[k].value.size()) +
                ")) branch = " + std::to_string(d.values[k].branch) + ";");
    out_.close();
    out_.open("switch (branch) {");
    std::set<std::size_t> selectable;
    for (const auto& v : d.values) selectable.insert(v.branch);
    for (std::size_t k : selectable) {
      SchemaId t = branches[k];
      const Schema& child = set_.schemas[t];
      std::string report = !child.always ? call(t, "S", "i", "nullptr") + "; "
                           : *child.always ? ""  // cannot have failed
                                           : false_default(t) + "; ";
      out_.line("case " + std::to_string(k) + ": " + report + "break;");
    }
    out_.line("default: keel::schema::fail_discriminator(c, " + kw("discriminator") + ", " +
              lit(d.property) + ", " +
              lit(allowed.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)) +
              ", i); break;");
    out_.close();
    out_.middle("} else {");
    every_branch();
    out_.close();
  }

  void emit_if() {
    bool track = tracking_ || own_;
    if (s_.then_ == no_schema && s_.else_ == no_schema && !track) return;
    const std::string pe = pe_or_null();
    out_.open("{");
    const Schema& condition = set_.schemas[s_.if_];
    if (track && !condition.always) {
      out_.line("keel::schema::Evaluated branch;");
      out_.line("const bool holds = " +
                call(s_.if_, "keel::schema::Fast", "i", "pe != nullptr ? &branch : nullptr") + ";");
      out_.line("if (holds && pe != nullptr) pe->merge(branch);");
    } else {
      out_.line("const bool holds = " + test(s_.if_, "keel::schema::Fast", "i", "nullptr") + ";");
    }
    if (s_.then_ != no_schema) {
      out_.open("if (holds) {");
      must_pass(s_.then_, "i", pe, false_default(s_.then_));
      out_.close();
    }
    if (s_.else_ != no_schema) {
      out_.open("if (!holds) {");
      must_pass(s_.else_, "i", pe, false_default(s_.else_));
      out_.close();
    }
    out_.close();
  }

  // -- unevaluated* --

  void emit_unevaluated() {
    if (s_.unevaluated_properties != no_schema) {
      SchemaId t = s_.unevaluated_properties;
      out_.open("if (i.is_object()) {");
      const Schema& child = set_.schemas[t];
      if (!(child.always && *child.always)) {
        out_.line("std::size_t idx = 0;");
        out_.open("for (const auto& m : i.get_ref<const nlohmann::json::object_t&>()) {");
        out_.open("if (!own.property(idx)) {");
        out_.line("[[maybe_unused]] const std::string& k = m.first;");
        member_check(t, "keel::schema::fail_property_not_allowed(c, " + kw("unevaluatedProperties") +
                            ", \"unevaluatedProperties\")");
        out_.close();
        out_.line("++idx;");
        out_.close();
      }
      out_.line("own.mark_all_properties();");
      out_.close();
    }
    if (s_.unevaluated_items != no_schema) {
      SchemaId t = s_.unevaluated_items;
      out_.open("if (i.is_array()) {");
      const Schema& child = set_.schemas[t];
      if (!(child.always && *child.always)) {
        out_.line("const auto& a = i.get_ref<const nlohmann::json::array_t&>();");
        out_.open("for (std::size_t j = 0; j < a.size(); ++j) {");
        out_.open("if (!own.item(j)) {");
        must_pass(t, "a[j]", "nullptr",
                  "keel::schema::fail_item_not_allowed(c, " + kw("unevaluatedItems") +
                      ", \"unevaluatedItems\")",
                  "j");
        out_.close();
        out_.close();
      }
      out_.line("own.mark_all_items();");
      out_.close();
    }
  }

  std::string regex(const std::string& pattern) {
    std::size_t k = a_.regex_index.at(pattern);
    regexes_used.insert(k);
    return "re" + std::to_string(k) + "()";
  }

public:
  /// `const nlohmann::json&` constants (array/object const and enum values)
  /// this function compares against.
  std::vector<std::string> constants_;
  /// Helpers the function calls: re<N>(), fmt<N>(), dyn<N>().
  std::set<std::size_t> regexes_used, formats_used, dynamic_used;
  /// Schema functions it calls.
  std::set<SchemaId> callees;

private:
  const ir::SchemaSet& set_;
  const Analysis& a_;
  SchemaId id_;
  const Schema& s_;
  Code& out_;
  bool tracking_ = false;
  bool own_ = false;
};


std::string generated_banner(const ir::SchemaSet& set) {
  return "// Generated by keel-gen from " + comment_line(set.source.empty() ? "a schema" : set.source) +
         ": JSON Schema validators.\n// Do not edit; regenerate instead.\n";
}

void declare_entries(Code& out, const std::vector<ValidatorEntry>& entries, bool defaults) {
  std::string d = defaults ? " = {}" : "";
  for (const auto& e : entries) {
    out.line("/// " + comment_line(e.schema_name) + " (" + comment_line(e.location) + ")");
    out.line("bool " + e.function + "(const nlohmann::json& instance,");
    out.line("    const keel::schema::Options& options" + d + ");");
    out.line("bool " + e.function + "(const nlohmann::json& instance, keel::schema::Errors& errors,");
    out.line("    const keel::schema::Options& options" + d + ");");
  }
}

}  // namespace

std::optional<ValidatorCode> emit_validators(const ir::SchemaSet& input,
                                             const ValidatorOptions& options, Diagnostics& diags) {
  if (!is_cpp_namespace(options.cpp_namespace)) {
    diags.error("E-GEN-NAMESPACE", "'" + options.cpp_namespace + "' is not a valid C++ namespace name",
                Location{"<command line>", 1, 1}, "");
    return std::nullopt;
  }
  ValidatorCode code;
  ir::NameScope names;
  for (const auto& root : input.roots)
    code.entries.push_back({root.name, names.claim("validate_" + ir::pascal_case(root.name)),
                            input.schemas[root.schema].location});
  const ir::SchemaSet set = without_ref_hops(input);
  const Analysis a = analyse(set);

  // Bodies first: they tell which helpers each function needs.
  struct Function {
    SchemaId id;
    std::string body;
    std::string constants;
    std::set<std::size_t> regexes, formats, dynamic;
    std::set<SchemaId> callees;
  };
  std::vector<Function> functions;
  for (SchemaId id = 0; id < set.schemas.size(); ++id) {
    if (!a.has_function[id]) continue;
    Code body;
    FunctionEmitter f(set, a, id, body);
    f.emit();
    Code constants;
    for (std::size_t k = 0; k < f.constants_.size(); ++k) {
      const std::string& json = f.constants_[k];
      if (!nlohmann::json::accept(json))
        diags.error("E-SCHEMA-VALUE",
                    "a const/enum value cannot be represented at run time (number out of range?)",
                    set.schemas[id].source, "");
      constants.open("const nlohmann::json& k" + std::to_string(id) + "_" + std::to_string(k) + "() {");
      constants.line("static const nlohmann::json value = nlohmann::json::parse(" + cpp_string(json) + ");");
      constants.line("return value;");
      constants.close();
    }
    functions.push_back({id, std::move(body.text()), std::move(constants.text()),
                         std::move(f.regexes_used), std::move(f.formats_used),
                         std::move(f.dynamic_used), std::move(f.callees)});
  }
  if (diags.has_errors()) return std::nullopt;

  // ---- header ----
  Code h;
  h.text() += generated_banner(set);
  h.line("#pragma once");
  h.line("");
  h.line("#include <keel/validation.h>");
  h.line("#include <keel/version.h>");
  h.line("");
  h.line("#include <nlohmann/json.hpp>");
  h.line("");
  h.line("static_assert(KEEL_RUNTIME_VERSION == " + std::to_string(KEEL_RUNTIME_VERSION) +
         ", \"generated for another libkeel version; regenerate\");");
  h.line("");
  h.line("namespace " + options.cpp_namespace + " {");
  h.line("");
  declare_entries(h, code.entries, true);
  h.line("");
  h.line("}  // namespace " + options.cpp_namespace);
  code.header = std::move(h.text());

  // ---- sources: contiguous runs of functions of about equal size ----
  const std::size_t files = std::max<std::size_t>(1, options.source_files);
  const bool split = options.source_files > 1;
  std::vector<std::size_t> sizes;
  for (const auto& f : functions) sizes.push_back(f.body.size());
  std::vector<std::vector<const Function*>> chunks;
  for (const auto& [begin, end] : contiguous_parts(sizes, files)) {
    chunks.emplace_back();
    for (std::size_t k = begin; k < end; ++k) chunks.back().push_back(&functions[k]);
  }
  std::vector<const std::string*> patterns(a.regex_index.size());
  for (const auto& [pattern, k] : a.regex_index) patterns[k] = &pattern;
  std::vector<const std::string*> format_names(a.format_index.size());
  for (const auto& [format, k] : a.format_index) format_names[k] = &format;
  std::vector<const std::string*> dynamic_names(a.dynamic_index.size());
  for (const auto& [name, k] : a.dynamic_index) dynamic_names[k] = &name;
  // Split: the functions have external linkage in a namespace of their own
  // and each file instantiates its own explicitly; helpers stay file-local.
  const std::string inner = split ? "validators_detail" : "";

  for (std::size_t file = 0; file < files; ++file) {
    std::set<std::size_t> regexes, formats, dynamic;
    for (const Function* f : chunks[file]) {
      regexes.insert(f->regexes.begin(), f->regexes.end());
      formats.insert(f->formats.begin(), f->formats.end());
      dynamic.insert(f->dynamic.begin(), f->dynamic.end());
    }
    Code src;
    src.text() += generated_banner(set);
    src.line("");
    if (!options.header_name.empty()) src.line("#include " + cpp_string(options.header_name));
    src.line("");
    if (!regexes.empty()) src.line("#include <keel/regex.h>");
    if (!formats.empty()) src.line("#include <keel/formats.h>");
    src.line("#include <keel/validation.h>");
    src.line("#include <keel/version.h>");
    src.line("");
    src.line("#include <nlohmann/json.hpp>");
    src.line("");
    src.line("#include <algorithm>");
    src.line("#include <cstddef>");
    src.line("#include <cstdint>");
    src.line("#include <cstring>");
    src.line("#include <limits>");
    src.line("#include <string>");
    src.line("#include <string_view>");
    src.line("#include <utility>");
    src.line("");
    src.line("static_assert(KEEL_RUNTIME_VERSION == " + std::to_string(KEEL_RUNTIME_VERSION) +
             ", \"generated for another libkeel version; regenerate\");");
    src.line("");
    src.line("namespace " + options.cpp_namespace + " {");
    if (options.header_name.empty() && file == 0) {
      src.line("");
      declare_entries(src, code.entries, true);
    }
    src.line("");
    src.line(split ? "namespace " + inner + " {" : "namespace {");
    src.line("");
    // Declarations of what this file defines or calls (all of it when unsplit).
    std::set<SchemaId> declared;
    for (const Function* f : chunks[file]) {
      declared.insert(f->id);
      declared.insert(f->callees.begin(), f->callees.end());
    }
    for (std::size_t k : dynamic)
      for (const auto& target : a.dynamic.at(*dynamic_names[k])) declared.insert(target.second);
    if (file == 0)
      for (const auto& root : set.roots) declared.insert(root.schema);
    for (SchemaId id = 0; id < set.schemas.size(); ++id) {
      if (!a.has_function[id] || (split && declared.count(id) == 0)) continue;
      src.line("template <class S>");
      src.line("bool s" + std::to_string(id) +
               "(const nlohmann::json& i, keel::schema::Context& c, keel::schema::Evaluated* e);");
    }
    src.line("");
    if (split) src.line("namespace {");
    // Patterns compile once, on first use, and are shared by both sinks.
    for (std::size_t k : regexes) {
      src.open("const keel::schema::Regex& re" + std::to_string(k) + "() {");
      src.line("static const keel::schema::Regex re = keel::schema::Regex::must_compile(std::string_view(" +
               cpp_string(*patterns[k]) + ", " + std::to_string(patterns[k]->size()) + "));");
      src.line("return re;");
      src.close();
    }
    for (std::size_t k : formats) {
      src.open("keel::schema::format::Checker fmt" + std::to_string(k) + "() {");
      src.line("static const keel::schema::format::Checker check = keel::schema::format::find(" +
               cpp_string(*format_names[k]) + ");");
      src.line("return check;");
      src.close();
    }
    for (const Function* f : chunks[file]) src.text() += f->constants;
    // $dynamicRef: the outermost resource in the dynamic scope that has the anchor.
    for (std::size_t k : dynamic) {
      const std::string& name = *dynamic_names[k];
      src.line("// $dynamicAnchor " + comment_line(name));
      src.line("template <class S>");
      src.open("keel::schema::Target<S> dyn" + std::to_string(k) +
               "(const keel::schema::Context& c, keel::schema::Target<S> fallback) {");
      src.open("for (std::uint32_t r : c.scope) {");
      src.open("switch (r) {");
      for (const auto& [resource, target] : a.dynamic.at(name))
        src.line("case " + u64(resource) + ": return {&s" + std::to_string(target) + "<S>, " +
                 u64(resource) + "};");
      src.line("default: break;");
      src.close();
      src.close();
      src.line("return fallback;");
      src.close();
    }
    if (split) src.line("}  // namespace");
    src.line("");
    for (const Function* f : chunks[file]) {
      src.text() += f->body;
      src.line("");
    }
    if (split) {
      for (const Function* f : chunks[file])
        for (const char* sink : {"Fast", "Collect"})
          src.line("template bool s" + std::to_string(f->id) + "<keel::schema::" + sink +
                   ">(const nlohmann::json&, keel::schema::Context&, keel::schema::Evaluated*);");
      src.line("");
      src.line("}  // namespace " + inner);
    } else {
      src.line("}  // namespace");
    }
    src.line("");
    if (file == 0) {
      std::string prefix = split ? inner + "::" : "";
      for (std::size_t r = 0; r < set.roots.size(); ++r) {
        const ValidatorEntry& e = code.entries[r];
        SchemaId root = set.roots[r].schema;
        std::string fn = prefix + "s" + std::to_string(root);
        std::string scope = set.dynamic_scope
                                ? "keel::schema::Scope scope(c, " + u64(set.schemas[root].resource) + ");"
                                : "";
        src.open("bool " + e.function +
                 "(const nlohmann::json& instance, const keel::schema::Options& options) {");
        src.line("keel::schema::Context c(options, nullptr);");
        if (!scope.empty()) src.line(scope);
        src.line("const bool ok = " + fn + "<keel::schema::Fast>(instance, c, nullptr);");
        src.line("return ok && !c.aborted;");
        src.close();
        src.line("");
        src.line("bool " + e.function + "(const nlohmann::json& instance, keel::schema::Errors& errors,");
        src.open("    const keel::schema::Options& options) {");
        src.line("keel::schema::Context c(options, &errors);");
        if (!scope.empty()) src.line(scope);
        src.line("const std::size_t before = errors.size();");
        src.line("if (" + fn + "<keel::schema::Collect>(instance, c, nullptr) && !c.aborted) return true;");
        src.line("if (errors.size() == before && !errors.truncated)");
        src.line("  keel::schema::fail_unexplained(c, " + cpp_string(e.location) + ");");
        src.line("return false;");
        src.close();
        src.line("");
      }
    }
    src.line("}  // namespace " + options.cpp_namespace);
    code.sources.push_back(std::move(src.text()));
  }
  return code;
}

}  // namespace keel::gen::emit
