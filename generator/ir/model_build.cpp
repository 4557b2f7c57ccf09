#include "ir/model.h"

#include "ir/naming.h"

#include <map>
#include <set>

namespace keel::gen::ir {
namespace {

constexpr std::string_view kComponentPrefix = "#/components/schemas/";

TypeRef simple(TypeRef::Kind kind) {
  TypeRef t;
  t.kind = kind;
  return t;
}

TypeRef wrap(TypeRef::Kind kind, TypeRef inner) {
  TypeRef t;
  t.kind = kind;
  t.args.push_back(std::move(inner));
  return t;
}

TypeRef named(std::uint32_t index) {
  TypeRef t;
  t.kind = TypeRef::Kind::named;
  t.named = index;
  return t;
}

bool is_null_only(const Schema& s) {
  if (s.type && *s.type == type_null) return true;
  if (s.const_ && s.const_->kind == Value::Kind::null) return true;
  return s.enum_ && s.enum_->size() == 1 && s.enum_->front().kind == Value::Kind::null;
}

class ModelBuilder {
public:
  explicit ModelBuilder(SchemaSet& set) : set_(set) {}

  Models run() {
    // Root names first, in root order: a component keeps its name even when
    // an inline schema met earlier would have wanted it. A schema is named
    // by the first root that is the schema itself (not a `$ref` to it).
    const std::size_t root_count = set_.roots.size();
    std::vector<std::string> root_name(root_count);
    for (std::size_t r = 0; r < root_count; ++r) root_name[r] = names_.claim(pascal_case(set_.roots[r].name));
    for (int pass = 0; pass < 2; ++pass) {
      for (std::size_t r = 0; r < root_count; ++r) {
        SchemaId id = target(set_.roots[r].schema);
        if (pass == 0 && id != set_.roots[r].schema) continue;
        root_names_.emplace(id, root_name[r]);
        root_index_.emplace(id, static_cast<std::uint32_t>(r));
      }
    }
    for (std::size_t r = 0; r < root_count; ++r) {
      const SchemaRoot root = set_.roots[r];
      SchemaId id = target(root.schema);
      TypeRef t = type_of(id, root_name[r]);
      m_.roots.push_back(t);
      bool component = set_.schemas[root.schema].location.rfind(kComponentPrefix, 0) == 0;
      bool container = t.kind == TypeRef::Kind::array || t.kind == TypeRef::Kind::map ||
                       t.kind == TypeRef::Kind::nullable;
      bool own_type = t.kind == TypeRef::Kind::named && m_.types[t.named].name == root_name[r];
      // A component that is not its own struct, enum or variant still gets
      // its name, as an alias; an inline body only when it is a container.
      if (!own_type && (component || (container && root_names_.at(id) == root_name[r]))) {
        ModelType alias;
        alias.kind = ModelKind::alias;
        alias.name = root_name[r];
        alias.location = set_.schemas[root.schema].location;
        alias.target = t;
        m_.types.push_back(std::move(alias));
      }
    }
    order();
    return std::move(m_);
  }

private:
  SchemaId target(SchemaId id) const {
    for (std::size_t hops = 0; hops < set_.schemas.size() && only_ref(set_.schemas[id]); ++hops)
      id = set_.schemas[id].ref;
    return id;
  }

  /// A root's own name, or the hint's. A nullable root's name goes to the
  /// alias `Nullable<...>` and the type inside is `<Name>Value`.
  std::string name_for(SchemaId id, const std::string& hint, bool nullable) {
    if (auto found = root_names_.find(id); found != root_names_.end())
      return nullable ? names_.claim(found->second + "Value") : found->second;
    return names_.claim(escape_identifier(hint));
  }

  std::uint32_t new_type(ModelKind kind, SchemaId id, const std::string& hint, bool nullable) {
    ModelType t;
    t.kind = kind;
    t.name = name_for(id, hint, nullable);
    t.location = set_.schemas[id].location;
    m_.types.push_back(std::move(t));
    return static_cast<std::uint32_t>(m_.types.size() - 1);
  }

  TypeRef type_of(SchemaId id, const std::string& hint) {
    id = target(id);
    if (auto found = memo_.find(id); found != memo_.end()) return found->second;
    // A schema that holds itself other than through a named type (an array
    // of itself): no C++ alias can say that.
    if (!in_progress_.insert(id).second) return simple(TypeRef::Kind::json);
    TypeRef t = compute(id, hint);
    in_progress_.erase(id);
    memo_.emplace(id, t);
    return t;
  }

  /// The TypeRef of a named type about to be filled: memoised first, so the
  /// type's own members can refer to it.
  TypeRef declare(SchemaId id, std::uint32_t index, bool nullable) {
    TypeRef t = named(index);
    if (nullable) t = wrap(TypeRef::Kind::nullable, t);
    memo_.emplace(id, t);
    return t;
  }

  TypeRef compute(SchemaId id, const std::string& hint) {
    const Schema& s = set_.schemas[id];
    // `$ref` beside keywords that only constrain (readOnly, minLength, ...):
    // the referenced type.
    if (s.ref != no_schema && s.all_of.empty() && s.any_of.empty() && s.one_of.empty() &&
        s.properties.empty() && !s.type && !s.enum_ && !s.const_ && s.dynamic_ref == no_schema)
      return type_of(s.ref, hint);
    if (s.always || s.ref != no_schema || s.dynamic_ref != no_schema || s.not_ != no_schema ||
        s.if_ != no_schema)
      return simple(TypeRef::Kind::json);
    unsigned types = s.type.value_or(0u);
    bool nullable = (types & type_null) != 0 && (types & ~type_null) != 0;
    unsigned non_null = types & ~type_null;
    auto maybe_null = [&](TypeRef t) {
      return nullable ? wrap(TypeRef::Kind::nullable, std::move(t)) : t;
    };

    if (!s.one_of.empty() || !s.any_of.empty()) {
      // `type: string` + `oneOf` of `const`s (a documented enum): an enum;
      // other branches under one scalar type only constrain it.
      if (non_null == type_string || non_null == type_integer || non_null == type_number ||
          non_null == type_boolean) {
        if (non_null == type_string && !s.enum_) {
          if (auto values = branch_constants(s); !values.empty())
            return enumeration(id, hint, nullable, values);
        }
        return maybe_null(simple(non_null == type_string    ? TypeRef::Kind::string
                                 : non_null == type_integer ? TypeRef::Kind::integer
                                 : non_null == type_number  ? TypeRef::Kind::number
                                                            : TypeRef::Kind::boolean));
      }
      if ((!s.one_of.empty() && !s.any_of.empty()) || !s.properties.empty() || !s.all_of.empty() ||
          (non_null != 0 && non_null != type_object && non_null != type_array))
        return simple(TypeRef::Kind::json);
      return variant(id, hint, nullable);
    }
    if (!s.all_of.empty()) {
      // `allOf: [$ref]` with nothing else of substance: the referenced type.
      if (s.all_of.size() == 1 && s.properties.empty() && !s.type &&
          s.additional_properties == no_schema)
        return type_of(s.all_of.front(), hint);
      if (!mergeable(id, 0) || !says_object(id, 0)) return simple(TypeRef::Kind::json);
      return structure(id, hint, nullable);
    }
    if (s.enum_) {
      bool strings = false, others = false, has_null = false;
      for (const auto& v : *s.enum_) {
        if (v.kind == Value::Kind::string) strings = true;
        else if (v.kind == Value::Kind::null) has_null = true;
        else others = true;
      }
      if (strings && !others && (non_null == 0 || non_null == type_string))
        return enumeration(id, hint, nullable || has_null, *s.enum_);
      if (strings || others) {
        if (non_null == 0) return simple(TypeRef::Kind::json);
      }
    }
    if (non_null == 0 && s.const_) {
      // `const` alone: the type of its value.
      switch (s.const_->kind) {
        case Value::Kind::string: return simple(TypeRef::Kind::string);
        case Value::Kind::boolean: return simple(TypeRef::Kind::boolean);
        case Value::Kind::number: return simple(TypeRef::Kind::number);
        default: return simple(TypeRef::Kind::json);
      }
    }
    switch (non_null) {
      case type_boolean: return maybe_null(simple(TypeRef::Kind::boolean));
      case type_integer: return maybe_null(simple(TypeRef::Kind::integer));
      case type_number:
      case type_number | type_integer: return maybe_null(simple(TypeRef::Kind::number));
      case type_string: return maybe_null(simple(TypeRef::Kind::string));
      case type_array:
        if (!s.prefix_items.empty()) return simple(TypeRef::Kind::json);
        if (s.items == no_schema) return maybe_null(wrap(TypeRef::Kind::array, simple(TypeRef::Kind::json)));
        return maybe_null(wrap(TypeRef::Kind::array, type_of(s.items, hint + "Item")));
      case type_object:
        if (!s.properties.empty()) return structure(id, hint, nullable);
        if (s.additional_properties != no_schema && s.pattern_properties.empty() &&
            !set_.schemas[target(s.additional_properties)].always)
          return maybe_null(wrap(TypeRef::Kind::map, type_of(s.additional_properties, hint + "Value")));
        return maybe_null(wrap(TypeRef::Kind::map, simple(TypeRef::Kind::json)));
      default: return simple(TypeRef::Kind::json);
    }
  }

  // ---- structs (objects, allOf merged) --------------------------------------

  /// Every part of an allOf tree is an object schema without combinators
  /// of its own that a struct could not hold.
  bool mergeable(SchemaId id, int depth) const {
    const Schema& s = set_.schemas[target(id)];
    if (depth > 32 || s.always || !s.one_of.empty() || !s.any_of.empty() || s.not_ != no_schema ||
        s.if_ != no_schema || s.ref != no_schema || s.dynamic_ref != no_schema || s.enum_ || s.const_)
      return false;
    if (s.type && (*s.type & ~type_null) != type_object) return false;
    for (SchemaId part : s.all_of)
      if (!mergeable(part, depth + 1)) return false;
    return true;
  }

  bool says_object(SchemaId id, int depth) const {
    const Schema& s = set_.schemas[target(id)];
    if (s.type && (*s.type & type_object) != 0) return true;
    if (depth > 32) return false;
    for (SchemaId part : s.all_of)
      if (says_object(part, depth + 1)) return true;
    return false;
  }

  struct Property {
    std::string name;
    SchemaId schema;  ///< the first declaration (allOf parts before the schema's own)
  };

  void collect(SchemaId id, std::vector<Property>& props, std::set<std::string>& required, int depth) const {
    const Schema& s = set_.schemas[target(id)];
    if (depth > 32) return;
    for (SchemaId part : s.all_of) collect(part, props, required, depth + 1);
    for (const auto& p : s.properties) {
      bool seen = false;
      for (const auto& q : props) seen = seen || q.name == p.name;
      if (!seen) props.push_back({p.name, p.schema});
    }
    required.insert(s.required.begin(), s.required.end());
  }

  TypeRef structure(SchemaId id, const std::string& hint, bool nullable) {
    std::uint32_t index = new_type(ModelKind::struct_, id, hint, nullable);
    TypeRef result = declare(id, index, nullable);
    const std::string type_name = m_.types[index].name;
    const Schema& s = set_.schemas[id];
    std::vector<Property> props;
    std::set<std::string> required;
    collect(id, props, required, 0);

    NameScope members;
    // Namespaces the generated declarations name: a member so called would hide them.
    for (const char* reserved : {"std", "keel", "nlohmann"}) members.claim(reserved);
    std::vector<ModelField> fields;
    for (const auto& p : props) {
      ModelField f;
      f.json_name = p.name;
      f.member = members.claim(snake_case(p.name));
      f.required = required.count(p.name) != 0;
      f.type = type_of(p.schema, type_name + pascal_case(p.name));
      const Schema& own = set_.schemas[p.schema];
      const Schema& resolved = set_.schemas[target(p.schema)];
      if (f.required && resolved.const_ && value_fits(*resolved.const_, f.type)) f.const_ = resolved.const_;
      const auto& def = own.default_ ? own.default_ : resolved.default_;
      if (!f.required && def && value_fits(*def, f.type)) f.default_ = def;
      fields.push_back(std::move(f));
    }
    ExtraProperties extra = ExtraProperties::keep;
    TypeRef extra_type;
    if (s.additional_properties != no_schema) {
      const Schema& ap = set_.schemas[target(s.additional_properties)];
      if (ap.always == false) {
        extra = ExtraProperties::none;
      } else if (!ap.always && s.pattern_properties.empty()) {
        extra = ExtraProperties::typed;
        extra_type = type_of(s.additional_properties, type_name + "Value");
      }
    } else if (s.unevaluated_properties != no_schema &&
               set_.schemas[target(s.unevaluated_properties)].always == false) {
      extra = ExtraProperties::none;
    }
    // Properties matching patternProperties are not declared members either.
    if (!s.pattern_properties.empty()) extra = ExtraProperties::keep;
    std::string extra_member = extra == ExtraProperties::none ? "" : members.claim("additional_properties");
    for (auto& f : fields) {
      if (!f.default_) continue;
      std::string base = f.member;  // `default_` -> `default_or_default`
      while (!base.empty() && base.back() == '_') base.pop_back();
      f.default_accessor = members.claim(base + "_or_default");
    }

    ModelType& t = m_.types[index];  // type_of() above may have grown the vector
    t.fields = std::move(fields);
    t.extra = extra;
    t.extra_type = std::move(extra_type);
    t.extra_member = std::move(extra_member);
    return result;
  }

  /// Whether `v` has a C++ literal of type `t` (a scalar or an enum value).
  bool value_fits(const Value& v, const TypeRef& t) const {
    switch (t.kind) {
      case TypeRef::Kind::boolean: return v.kind == Value::Kind::boolean;
      case TypeRef::Kind::integer:
        return v.kind == Value::Kind::number && v.number.kind == Number::Kind::int64;
      case TypeRef::Kind::number:
        return v.kind == Value::Kind::number && v.number.kind != Number::Kind::uint64;
      case TypeRef::Kind::string: return v.kind == Value::Kind::string;
      case TypeRef::Kind::named: {
        const ModelType& m = m_.types[t.named];
        if (m.kind != ModelKind::enum_ || v.kind != Value::Kind::string) return false;
        for (const auto& e : m.values)
          if (e.value == v.string) return true;
        return false;
      }
      default: return false;
    }
  }

  // ---- enums -----------------------------------------------------------------

  /// The string `const`s of every branch of a oneOf/anyOf; empty unless
  /// every branch is one.
  std::vector<Value> branch_constants(const Schema& s) const {
    std::vector<Value> values;
    for (SchemaId b : s.one_of.empty() ? s.any_of : s.one_of) {
      const Schema& branch = set_.schemas[target(b)];
      if (!branch.const_ || branch.const_->kind != Value::Kind::string) return {};
      values.push_back(*branch.const_);
    }
    return values;
  }

  TypeRef enumeration(SchemaId id, const std::string& hint, bool nullable, const std::vector<Value>& enum_values) {
    std::uint32_t index = new_type(ModelKind::enum_, id, hint, nullable);
    NameScope enumerators;
    std::vector<EnumValue> values;
    for (const auto& v : enum_values) {
      if (v.kind != Value::Kind::string) continue;
      bool seen = false;
      for (const auto& e : values) seen = seen || e.value == v.string;
      if (!seen) values.push_back({v.string, enumerators.claim(snake_case(v.string))});
    }
    m_.types[index].values = std::move(values);
    return declare(id, index, nullable);
  }

  // ---- variants (oneOf / anyOf) ------------------------------------------------

  TypeRef variant(SchemaId id, const std::string& hint, bool nullable) {
    const Schema& s = set_.schemas[id];
    const std::vector<SchemaId> branches = s.one_of.empty() ? s.any_of : s.one_of;
    std::vector<std::size_t> kept;  // branch index of each alternative
    for (std::size_t k = 0; k < branches.size(); ++k) {
      if (is_null_only(set_.schemas[target(branches[k])])) nullable = true;
      else kept.push_back(k);
    }
    if (kept.empty()) return simple(TypeRef::Kind::json);
    if (kept.size() == 1) {
      TypeRef only = type_of(branches[kept.front()], hint);
      if (!nullable || only.kind == TypeRef::Kind::nullable) return only;
      return wrap(TypeRef::Kind::nullable, std::move(only));
    }
    std::uint32_t index = new_type(ModelKind::variant, id, hint, nullable);
    TypeRef result = declare(id, index, nullable);
    const std::string type_name = m_.types[index].name;
    std::vector<Alternative> alternatives;
    for (std::size_t a = 0; a < kept.size(); ++a) {
      SchemaId branch = branches[kept[a]];
      Alternative alt;
      alt.type = type_of(branch, type_name + "Option" + std::to_string(kept[a] + 1));
      std::string validator_name = alt.type.kind == TypeRef::Kind::named
                                       ? m_.types[alt.type.named].name
                                       : type_name + "Option" + std::to_string(kept[a] + 1);
      alt.validator = validator_root(branch, validator_name);
      alternatives.push_back(std::move(alt));
    }
    ModelType& t = m_.types[index];
    t.alternatives = std::move(alternatives);
    if (s.discriminator && s.discriminator->one_of == !s.one_of.empty()) {
      t.discriminator = s.discriminator->property;
      for (const auto& v : s.discriminator->values) {
        for (std::size_t a = 0; a < kept.size(); ++a)
          if (kept[a] == v.branch) t.mapping.push_back({v.value, a});
      }
    }
    return result;
  }

  std::uint32_t validator_root(SchemaId branch, const std::string& name) {
    SchemaId id = target(branch);
    if (auto found = root_index_.find(id); found != root_index_.end()) return found->second;
    auto index = static_cast<std::uint32_t>(set_.roots.size());
    set_.roots.push_back({name, id});
    root_index_.emplace(id, index);
    return index;
  }

  // ---- definition order and boxes ------------------------------------------------

  void order() {
    state_.assign(m_.types.size(), 0);
    for (std::uint32_t i = 0; i < m_.types.size(); ++i)
      if (state_[i] == 0) visit(i);
  }

  void visit(std::uint32_t i) {
    state_[i] = 1;  // on the stack
    ModelType& t = m_.types[i];
    if (t.kind == ModelKind::struct_) {
      for (auto& f : t.fields) edges(f.type, true);
      if (t.extra == ExtraProperties::typed) edges(t.extra_type, false);
    } else if (t.kind == ModelKind::variant) {
      for (auto& a : t.alternatives) edges(a.type, true);
    }
    state_[i] = 2;
    if (t.kind == ModelKind::struct_ || t.kind == ModelKind::variant) m_.order.push_back(i);
  }

  /// Types `ref` needs complete are visited first; one that is on the
  /// stack (a cycle) is boxed when held by value.
  void edges(TypeRef& ref, bool by_value) {
    switch (ref.kind) {
      case TypeRef::Kind::named:
        if (state_[ref.named] == 0) visit(ref.named);
        else if (state_[ref.named] == 1 && by_value) ref.boxed = true;
        return;
      case TypeRef::Kind::nullable: edges(ref.args.front(), by_value); return;
      case TypeRef::Kind::array:
      case TypeRef::Kind::map: edges(ref.args.front(), false); return;
      default: return;
    }
  }

  SchemaSet& set_;
  Models m_;
  NameScope names_;
  std::map<SchemaId, std::string> root_names_;
  std::map<SchemaId, std::uint32_t> root_index_;
  std::map<SchemaId, TypeRef> memo_;
  std::set<SchemaId> in_progress_;
  std::vector<int> state_;
};

}  // namespace

Models build_models(SchemaSet& set) { return ModelBuilder(set).run(); }

}  // namespace keel::gen::ir
