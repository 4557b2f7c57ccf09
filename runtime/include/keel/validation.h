#pragma once

// Support for the JSON Schema validators keel-gen emits (docs/validation.md).
//
// Maintainers: every emitted validator function is a template on a sink
// type, Fast or Collect. Fast stops at the first failure and never builds a
// string; Collect keeps going and records every failure, unformatted, with
// its instance pointer (Error::message() writes the text when read). The
// collecting walk calls Collect functions for subschemas that must hold,
// and Fast ones only where a verdict decides what happens (`anyOf`,
// `oneOf`, `not`, `if`, `contains`; the branches of a failing `anyOf` /
// `oneOf` are then collected). Everything here that only the failure path
// needs is out of line and cold, so the fast path stays small. Keyword
// locations and keywords are taken as std::string_view: the generated code
// passes string literals, whose lengths the compiler folds at the call site,
// so recording an error never scans them.
//
// Two conditions are not ordinary "invalid" results and must not be
// negated by `not` or absorbed by `anyOf`: the evaluation-depth limit and
// a regular expression that exceeds its match limits. They abort the
// validation (Context::aborted), and the entry point reports failure.

#include <keel/error.h>
#include <keel/json_type.h>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <new>
#include <string>
#include <string_view>
#include <vector>

namespace keel::schema {

/// What a failed keyword's message says. The collecting path records this
/// and the message's parameters; Error::message() writes the sentence.
enum class Detail : std::uint8_t {
  text,  ///< a message given as text (Context::report with a string)
  type, false_schema, const_value, enum_value, bound, multiple_of, count, pattern, pattern_key,
  format, unique, required, dependent_required, property_not_allowed, item_not_allowed,
  contains, max_contains, not_schema, any_of, one_of, read_only, write_only,
  discriminator_missing, discriminator_value, discriminator_type, unexplained, depth,
  regex_limit,
};

/// One failed keyword. `keyword_location` and `keyword` view static strings
/// of the generated code (valid for the life of the program). Recording an
/// error writes its instance pointer (one short string) and the message's
/// parameters; the message itself is written when message() is called, so
/// collecting errors costs little more than finding them.
struct Error {
  std::string_view keyword_location;  ///< schema location of the keyword, e.g. "#/properties/a/minLength"
  std::string_view keyword;           ///< e.g. "minLength"; "$depth" when the depth limit stopped it

  /// RFC 6901 pointer into the instance; "" is the whole instance.
  const std::string& instance_pointer() const { return pointer; }
  /// The readable sentence, e.g. "must be >= 0 (is -3)".
  std::string message() const;

  // The recorded form (written by the runtime's fail_* functions; read
  // message() instead). `text` and `text2` view static strings of the
  // generated code; `owned` holds the rare text taken from the instance.
  std::string pointer;
  Detail detail = Detail::text;
  std::uint8_t number_type = 0;  ///< nlohmann::json::value_t of `number` (Detail::bound)
  const char* text = nullptr;
  const char* text2 = nullptr;
  std::uint64_t n = 0, m = 0;
  union {
    std::int64_t i;
    std::uint64_t u;
    double d;
  } number{0};
  std::string owned;
};

/// A vector of errors whose first few live inline: an invalid instance
/// usually has one to three, so collecting them allocates nothing but the
/// rare long instance pointer. The subset of std::vector's interface the
/// runtime and its users need.
class ErrorList {
public:
  static constexpr std::size_t inline_capacity = 4;

  ErrorList() noexcept = default;
  ErrorList(const ErrorList& other);
  ErrorList(ErrorList&& other) noexcept;
  ErrorList& operator=(const ErrorList& other);
  ErrorList& operator=(ErrorList&& other) noexcept;
  ~ErrorList() { release(); }

  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  std::size_t capacity() const { return capacity_; }
  Error* begin() { return data_; }
  Error* end() { return data_ + size_; }
  const Error* begin() const { return data_; }
  const Error* end() const { return data_ + size_; }
  Error& operator[](std::size_t k) { return data_[k]; }
  const Error& operator[](std::size_t k) const { return data_[k]; }
  Error& front() { return data_[0]; }
  const Error& front() const { return data_[0]; }
  Error& back() { return data_[size_ - 1]; }
  const Error& back() const { return data_[size_ - 1]; }

  Error& emplace_back() {
    if (size_ == capacity_) grow(capacity_ * 4);
    // Default-initialised (every member has its initialiser): value
    // initialisation would zero the whole object first, which cost more
    // than the rest of recording an error.
    return *new (data_ + size_++) Error;
  }
  void push_back(Error error) { emplace_back() = std::move(error); }
  void pop_back() { data_[--size_].~Error(); }
  /// Shrinks to `count` errors, or grows with default ones.
  void resize(std::size_t count);
  void clear() { resize(0); }
  void reserve(std::size_t count) {
    if (count > capacity_) grow(count);
  }

private:
  void grow(std::size_t capacity);
  void release() noexcept;
  /// Moves `other`'s errors here (this list is empty and inline).
  void take(ErrorList& other) noexcept;
  Error* inline_data() { return reinterpret_cast<Error*>(storage_); }

  alignas(Error) unsigned char storage_[inline_capacity * sizeof(Error)];
  Error* data_ = inline_data();
  std::size_t size_ = 0;
  std::size_t capacity_ = inline_capacity;
};

/// The errors of one (or more) validations; the collecting overloads append.
struct Errors {
  ErrorList items;
  /// True when more errors were found than Options::max_errors allowed to keep.
  bool truncated = false;

  bool empty() const { return items.empty(); }
  std::size_t size() const { return items.size(); }
  auto begin() const { return items.begin(); }
  auto end() const { return items.end(); }
};

/// Which way a validated message travels, for OpenAPI's `readOnly` and
/// `writeOnly`: a request must not send a read-only value, a response must
/// not return a write-only one.
enum class Direction {
  any,       ///< neither keyword asserts (plain JSON Schema)
  request,   ///< `readOnly: true` rejects the value where it applies
  response,  ///< `writeOnly: true` rejects the value where it applies
};

/// Bounds for one validation. Both keep a hostile instance from costing more
/// than a clear error: depth bounds the stack, max_errors the memory.
struct Options {
  /// Nested evaluation levels (recursive schemas entered) before the
  /// validation stops with a "$depth" error. Each level is a few hundred
  /// bytes of stack.
  std::uint32_t max_depth = 512;
  /// Errors kept by the collecting path; later ones only set `truncated`.
  std::size_t max_errors = 100;
  /// What the instance is (a request or response body or parameter), for
  /// `readOnly` / `writeOnly`; `any` asserts neither.
  Direction direction = Direction::any;
  /// Recursive evaluations after which verdicts are remembered per (schema,
  /// instance value), so that anyOf/oneOf branches recursing into the same
  /// value cannot multiply the work (exponential in the depth otherwise).
  /// Ordinary instances never get there and pay one counter.
  std::uint64_t memo_after = std::uint64_t{1} << 16;
};

/// Appends `errors` to the envelope's `errors` list, pointers prefixed by
/// `prefix` (e.g. "/body"); a truncated list ends with a `too_many_errors` entry.
void append_field_errors(const Errors& errors, std::string_view prefix, std::vector<FieldError>& out);

/// What generated operations validate requests with (bodies and parameters):
/// Direction::request.
const Options& request_options();

/// Sink types: the template argument of every emitted validator function.
struct Fast {
  static constexpr bool collect = false;
};
struct Collect {
  static constexpr bool collect = true;
};

/// One step of the instance path, kept only on the collecting path.
struct PathToken {
  const std::string* key = nullptr;  ///< object member name (points into the instance), or
  std::size_t index = 0;             ///< array index when key is null
};

class Evaluated;

/// The instance path: a stack whose first steps live inline, so the
/// collecting path allocates nothing for it unless the instance is deep.
class PathStack {
public:
  static constexpr std::size_t inline_capacity = 32;

  PathStack() noexcept = default;
  PathStack(const PathStack&) = delete;
  PathStack& operator=(const PathStack&) = delete;
  ~PathStack() {
    if (data_ != inline_data()) delete[] data_;
  }

  void push_back(PathToken token) {
    if (size_ == capacity_) grow();
    data_[size_++] = token;
  }
  void pop_back() { --size_; }
  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  const PathToken& back() const { return data_[size_ - 1]; }
  const PathToken* begin() const { return data_; }
  const PathToken* end() const { return data_ + size_; }

private:
  [[gnu::cold]] void grow();
  PathToken* inline_data() { return reinterpret_cast<PathToken*>(storage_); }

  // Raw storage: a Context is built for every fast call too, which must not
  // pay for initialising the steps it never uses.
  alignas(PathToken) unsigned char storage_[inline_capacity * sizeof(PathToken)];
  PathToken* data_ = inline_data();
  std::size_t size_ = 0;
  std::size_t capacity_ = inline_capacity;
};

/// State of one validation call.
class Context {
public:
  Context(const Options& options, Errors* errors) : options_(options), errors_(errors) {}
  ~Context() {
    if (memo_ != nullptr) free_memo();
  }
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  /// Resources entered, outermost first (only when the schema set uses $dynamicAnchor).
  std::vector<std::uint32_t> scope;
  /// Instance path (collecting path only).
  PathStack path;
  std::uint32_t depth = 0;
  /// Set by a depth or regex limit; the validation as a whole then fails.
  bool aborted = false;
  /// Recursive functions entered so far (counted by Depth).
  std::uint64_t evaluations = 0;
  /// Non-zero while the value validated is a temporary (a property name):
  /// its address identifies nothing, so nothing is remembered.
  std::uint32_t no_memo = 0;

  /// Whether recursive functions look up and remember their verdicts.
  bool memoizing() const { return evaluations > options_.memo_after && no_memo == 0; }
  /// The remembered verdict of function `fn` on `node` for one sink: 1
  /// valid, 0 invalid, -1 unknown.
  int recall(std::uint32_t fn, bool collect, const nlohmann::json& node) const;
  void remember(std::uint32_t fn, bool collect, const nlohmann::json& node, bool valid);

  bool collecting() const { return errors_ != nullptr; }
  const Options& options() const { return options_; }

  /// Position in the error list, to drop the errors of an anyOf/oneOf
  /// branch that is not needed after all.
  std::size_t mark() const { return errors_ != nullptr ? errors_->items.size() : 0; }
  void rollback(std::size_t mark);

  /// Records an error at the current instance path and returns it for
  /// its parameters; nullptr on the fast path and past Options::max_errors.
  [[gnu::cold]] Error* add(std::string_view keyword_location, std::string_view keyword,
                           Detail detail);
  /// Records an error with a ready message (no-op on the fast path).
  [[gnu::cold]] void report(std::string_view keyword_location, std::string_view keyword,
                            std::string message);
  /// Stops the validation: the result is false whatever `not`/`anyOf` say.
  [[gnu::cold]] void abort(std::string_view keyword_location, std::string_view keyword,
                           Detail detail);
  [[gnu::cold]] void abort(std::string_view keyword_location, std::string_view keyword,
                           std::string message);
  /// The instance pointer of the current path.
  std::string instance_pointer() const;
  /// Appends the instance pointer of the current path to `out`.
  void write_pointer(std::string& out) const;

private:
  struct Memo;
  void free_memo();
  const Options& options_;
  Errors* errors_;
  Memo* memo_ = nullptr;
};

/// A recursive function's body run through the context's memo (once
/// Context::memoizing()). An invalid verdict is remembered whatever the
/// caller wants: the annotations of a failed evaluation are never used,
/// and on the collecting path its errors are already in the list (the
/// same instance pointer and keyword location), so a second visit adds
/// nothing. A valid one only when no annotations are asked for.
template <class S>
bool memoized(Context& c, std::uint32_t fn, const nlohmann::json& i, Evaluated* e,
              bool (*body)(const nlohmann::json&, Context&, Evaluated*)) {
  const int known = c.recall(fn, S::collect, i);
  if (known == 0 || (known == 1 && e == nullptr)) return known == 1;
  const bool valid = body(i, c, e);
  if (!valid || e == nullptr) c.remember(fn, S::collect, i, valid);
  return valid;
}

/// Keeps the memo off while a temporary value is validated.
class NoMemo {
public:
  explicit NoMemo(Context& c) : c_(c) { ++c.no_memo; }
  ~NoMemo() { --c_.no_memo; }
  NoMemo(const NoMemo&) = delete;
  NoMemo& operator=(const NoMemo&) = delete;

private:
  Context& c_;
};

/// Pushes one path step for the collecting path; nothing at all for Fast.
template <class S> class At {
public:
  At(Context&, const std::string&) noexcept {}
  At(Context&, std::size_t) noexcept {}
};
template <> class At<Collect> {
public:
  At(Context& c, const std::string& key) : c_(c) { c.path.push_back({&key, 0}); }
  At(Context& c, std::size_t index) : c_(c) { c.path.push_back({nullptr, index}); }
  ~At() { c_.path.pop_back(); }
  At(const At&) = delete;
  At& operator=(const At&) = delete;

private:
  Context& c_;
};

/// Counts one level of recursion; emitted only in functions that sit on a
/// cycle of the schema graph, so acyclic schemas pay nothing.
class Depth {
public:
  explicit Depth(Context& c) : c_(c) {
    ++c.depth;
    ++c.evaluations;
  }
  ~Depth() { --c_.depth; }
  Depth(const Depth&) = delete;
  Depth& operator=(const Depth&) = delete;
  /// False (after aborting the validation) when the limit is passed, and
  /// after any abort.
  bool ok(std::string_view keyword_location) {
    // Nothing can change an aborted result; without this, an anyOf whose
    // branches all recurse retries each one down to the limit at every
    // level: exponential in the depth (Stripe's external_accounts).
    if (c_.aborted) return false;
    if (c_.depth <= c_.options().max_depth) return true;
    exceeded(keyword_location);
    return false;
  }

private:
  [[gnu::cold]] void exceeded(std::string_view keyword_location);
  Context& c_;
};

/// Pushes a schema resource on the dynamic scope for one call.
class Scope {
public:
  Scope(Context& c, std::uint32_t resource) : c_(c) { c.scope.push_back(resource); }
  ~Scope() { c_.scope.pop_back(); }
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;

private:
  Context& c_;
};

/// A `$dynamicRef` target found in the dynamic scope: the function and its resource.
template <class S> struct Target {
  bool (*fn)(const nlohmann::json&, Context&, Evaluated*);
  std::uint32_t resource;
};

/// Runs `f` with `resource` on the dynamic scope (a call into another resource).
template <class F> bool in_scope(Context& c, std::uint32_t resource, F&& f) {
  Scope scope(c, resource);
  return f();
}

/// Which instance members and items some schema has evaluated: the
/// annotations `unevaluatedProperties` / `unevaluatedItems` read. Members
/// are identified by their position in the object's (sorted) iteration order.
class Evaluated {
public:
  void mark_property(std::size_t index) { set(properties_, index); }
  void mark_all_properties() { all_properties_ = true; }
  bool property(std::size_t index) const { return all_properties_ || test(properties_, index); }

  /// Items [0, count) evaluated (prefixItems).
  void mark_prefix(std::size_t count) {
    if (count > prefix_) prefix_ = count;
  }
  void mark_item(std::size_t index) { set(items_, index); }
  void mark_all_items() { all_items_ = true; }
  bool item(std::size_t index) const {
    return all_items_ || index < prefix_ || test(items_, index);
  }

  void merge(const Evaluated& other);

private:
  static void set(std::vector<std::uint64_t>& bits, std::size_t index) {
    if (bits.size() <= index / 64) bits.resize(index / 64 + 1);
    bits[index / 64] |= std::uint64_t{1} << (index % 64);
  }
  static bool test(const std::vector<std::uint64_t>& bits, std::size_t index) {
    return index / 64 < bits.size() && ((bits[index / 64] >> (index % 64)) & 1u) != 0;
  }

  bool all_properties_ = false;
  bool all_items_ = false;
  std::size_t prefix_ = 0;
  std::vector<std::uint64_t> properties_;
  std::vector<std::uint64_t> items_;
};

/// The members of an object, in order, for the generated member loops.
/// With libstdc++ the step to the next member is inlined: std::map's own
/// `++` is a call into the shared library (std::_Rb_tree_increment), which
/// took a third of the fast path on small objects (bench/README.md, run 8).
/// The step is the in-order successor in the map's tree; it is taken only
/// while members are left, so it never has to step onto the end.
class Members {
public:
  using Map = nlohmann::json::object_t;
  explicit Members(const Map& map) noexcept : map_(map) {}
#if defined(__GLIBCXX__)
  class iterator {
  public:
    using Node = const std::_Rb_tree_node_base*;
    iterator(Node node, std::size_t left) noexcept : node_(node), left_(left) {}
    const Map::value_type& operator*() const { return *Map::const_iterator(node_); }
    iterator& operator++() {
      if (--left_ != 0) node_ = successor(node_);
      return *this;
    }
    bool operator!=(const iterator& other) const { return left_ != other.left_; }

  private:
    static Node successor(Node x) {
      if (x->_M_right != nullptr) {  // the leftmost node of the right subtree
        x = x->_M_right;
        while (x->_M_left != nullptr) x = x->_M_left;
        return x;
      }
      Node up = x->_M_parent;  // else the first ancestor we are left of
      while (x == up->_M_right) {
        x = up;
        up = up->_M_parent;
      }
      return up;
    }
    Node node_;
    std::size_t left_;
  };
  iterator begin() const { return {map_.begin()._M_node, map_.size()}; }
  iterator end() const { return {nullptr, 0}; }
#else
  Map::const_iterator begin() const { return map_.begin(); }
  Map::const_iterator end() const { return map_.end(); }
#endif

private:
  const Map& map_;
};

// ---- JSON semantics -------------------------------------------------------

/// Bits of the `type` keyword (keel/json_type.h).
using TypeBits = keel::JsonType;

/// A number with no fractional part (1.0 and 1e3 are integers; NaN/inf are not).
bool is_integral(double value);

/// `type` with the allowed bits; the switch folds when `allowed` is a constant.
inline bool has_type(const nlohmann::json& v, unsigned allowed) {
  using T = nlohmann::json::value_t;
  switch (v.type()) {
    case T::null: return (allowed & type_null) != 0;
    case T::boolean: return (allowed & type_boolean) != 0;
    case T::object: return (allowed & type_object) != 0;
    case T::array: return (allowed & type_array) != 0;
    case T::string: return (allowed & type_string) != 0;
    case T::number_integer:
    case T::number_unsigned: return (allowed & (type_number | type_integer)) != 0;
    case T::number_float:
      return (allowed & type_number) != 0 ||
             ((allowed & type_integer) != 0 && is_integral(v.get_ref<const double&>()));
    default: return false;  // binary / discarded never come from a JSON parser
  }
}

/// Three-way comparison of a JSON number with a schema constant, by value
/// and exactly (no rounding of large integers through double). -2 when
/// `v` is NaN or not a number (never within any bound).
int compare_number_slow(const nlohmann::json& v, std::int64_t bound);
int compare_number_slow(const nlohmann::json& v, std::uint64_t bound);
int compare_number_slow(const nlohmann::json& v, double bound);

// The same representation on both sides is the common case and stays inline.
inline int compare_number(const nlohmann::json& v, std::int64_t bound) {
  // nlohmann's parser stores non-negative integers as unsigned, negative ones as signed.
  if (v.type() == nlohmann::json::value_t::number_unsigned) {
    if (bound < 0) return 1;
    std::uint64_t x = v.get_ref<const std::uint64_t&>(), b = static_cast<std::uint64_t>(bound);
    return x < b ? -1 : (x > b ? 1 : 0);
  }
  if (v.type() == nlohmann::json::value_t::number_integer) {
    std::int64_t x = v.get_ref<const std::int64_t&>();
    return x < bound ? -1 : (x > bound ? 1 : 0);
  }
  return compare_number_slow(v, bound);
}
inline int compare_number(const nlohmann::json& v, std::uint64_t bound) {
  return compare_number_slow(v, bound);
}
inline int compare_number(const nlohmann::json& v, double bound) {
  if (v.is_number_float()) {
    double x = v.get_ref<const double&>();
    if (x < bound) return -1;
    if (x > bound) return 1;
    if (x == bound) return 0;
    return -2;  // NaN
  }
  return compare_number_slow(v, bound);
}

/// Bound checks as the keywords fail them; NaN fails every bound.
template <class T> bool below(const nlohmann::json& v, T bound) {  // minimum
  return compare_number(v, bound) < 0;
}
template <class T> bool above(const nlohmann::json& v, T bound) {  // maximum
  int r = compare_number(v, bound);
  return r > 0 || r == -2;
}
template <class T> bool at_or_below(const nlohmann::json& v, T bound) {  // exclusiveMinimum
  return compare_number(v, bound) <= 0;
}
template <class T> bool at_or_above(const nlohmann::json& v, T bound) {  // exclusiveMaximum
  int r = compare_number(v, bound);
  return r >= 0 || r == -2;
}

/// A multipleOf divisor as the schema wrote it: mantissa * 10^exponent
/// when that is exact in 64 bits (almost always), plus the double value.
struct Divisor {
  std::uint64_t mantissa = 0;  ///< 0 when the decimal form did not fit
  std::int32_t exponent = 0;
  double value = 0;
};
/// `multipleOf`, exact in decimal: 0.0075 is a multiple of 0.0001, and
/// 1e308 of 0.5, where plain floating-point division says otherwise.
bool is_multiple_of(const nlohmann::json& v, const Divisor& d);

/// Unicode code points of UTF-8 text (what minLength/maxLength count).
inline std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0u) != 0x80u;
  return n;
}

/// JSON equality: numbers by value (1 == 1.0), true != 1, objects unordered.
/// Iterative, so a deeply nested instance cannot overflow the stack.
bool json_equal(const nlohmann::json& a, const nlohmann::json& b);

/// Index pair of the first two equal items, or false when all are unique.
/// Hashes first, so a huge array costs O(n log n), not O(n^2).
bool find_duplicate(const nlohmann::json::array_t& items, std::size_t& first, std::size_t& second);

/// Number literal equality for `const`/`enum` scalars.
inline bool equals_number(const nlohmann::json& v, std::int64_t n) {
  return v.is_number() && compare_number(v, n) == 0;
}
inline bool equals_number(const nlohmann::json& v, std::uint64_t n) {
  return v.is_number() && compare_number(v, n) == 0;
}
inline bool equals_number(const nlohmann::json& v, double n) {
  return v.is_number() && compare_number(v, n) == 0;
}
inline bool equals_string(const nlohmann::json& v, std::string_view s) {
  return v.is_string() && v.get_ref<const std::string&>() == s;
}

/// `pattern` / `patternProperties` through keel::schema::Regex (templated so
/// this header does not need regex.h). A match-limit overrun aborts the
/// validation, which alone makes the result false; it then counts as a
/// match here so that the caller does not report the same failure twice.
template <class Regex>
bool pattern_matches(Context& c, const Regex& re, std::string_view text,
                     std::string_view keyword_location, std::string_view keyword) {
  auto result = re.search(text);
  using R = decltype(result);
  if (result == R::match) return true;
  if (result == R::no_match) return false;
  c.abort(keyword_location, keyword, Detail::regex_limit);
  return true;
}

/// The `required` bits that apply in the validation's direction: OpenAPI
/// requires a read-only property in responses only and a write-only one in
/// requests only (otherwise a request could never be valid).
inline std::uint64_t required_in(const Context& c, std::uint64_t any, std::uint64_t request,
                                 std::uint64_t response) {
  switch (c.options().direction) {
    case Direction::request: return request;
    case Direction::response: return response;
    default: return any;
  }
}

// ---- failure reports (collecting path only; cold) -------------------------

[[gnu::cold]] void fail_type(Context& c, std::string_view loc, unsigned allowed,
                             const nlohmann::json& v);
[[gnu::cold]] void fail_false(Context& c, std::string_view loc);
[[gnu::cold]] void fail_const(Context& c, std::string_view loc, const char* expected_json);
[[gnu::cold]] void fail_enum(Context& c, std::string_view loc, const char* values_json);
/// minimum, maximum, exclusiveMinimum, exclusiveMaximum.
[[gnu::cold]] void fail_bound(Context& c, std::string_view loc, std::string_view keyword,
                              const char* bound, const nlohmann::json& v);
[[gnu::cold]] void fail_multiple_of(Context& c, std::string_view loc, const char* divisor);
/// minLength, maxLength, minItems, maxItems, minProperties, maxProperties,
/// minContains, maxContains: `limit` is the keyword's value, `actual` the count.
[[gnu::cold]] void fail_count(Context& c, std::string_view loc, std::string_view keyword,
                              std::uint64_t limit, std::size_t actual);
[[gnu::cold]] void fail_pattern(Context& c, std::string_view loc, const char* pattern);
[[gnu::cold]] void fail_pattern_key(Context& c, std::string_view loc, const char* pattern);
[[gnu::cold]] void fail_format(Context& c, std::string_view loc, const char* format);
[[gnu::cold]] void fail_unique(Context& c, std::string_view loc, std::size_t first,
                               std::size_t second);
[[gnu::cold]] void fail_required(Context& c, std::string_view loc, const char* name);
[[gnu::cold]] void fail_dependent_required(Context& c, std::string_view loc, const char* name,
                                           const char* required);
/// additionalProperties / unevaluatedProperties: false (the member is on the path).
[[gnu::cold]] void fail_property_not_allowed(Context& c, std::string_view loc,
                                             std::string_view keyword);
/// items / unevaluatedItems: false (the item is on the path).
[[gnu::cold]] void fail_item_not_allowed(Context& c, std::string_view loc,
                                         std::string_view keyword);
[[gnu::cold]] void fail_contains(Context& c, std::string_view loc, std::uint64_t min_contains,
                                 std::size_t found);
[[gnu::cold]] void fail_max_contains(Context& c, std::string_view loc, std::uint64_t max_contains,
                                     std::size_t found);
[[gnu::cold]] void fail_not(Context& c, std::string_view loc);
[[gnu::cold]] void fail_any_of(Context& c, std::string_view loc);
[[gnu::cold]] void fail_one_of(Context& c, std::string_view loc, std::size_t matched);
/// `readOnly: true` met in a request, `writeOnly: true` in a response.
[[gnu::cold]] void fail_read_only(Context& c, std::string_view loc);
[[gnu::cold]] void fail_write_only(Context& c, std::string_view loc);
/// An object whose discriminator `property` is missing, not a string, or a
/// value that selects no branch; reported at the property. `values_json`
/// lists the values that do.
[[gnu::cold]] void fail_discriminator(Context& c, std::string_view loc, const char* property,
                                      const char* values_json, const nlohmann::json& object);
/// The fast path rejected what the collecting path could not explain (a
/// bug); keeps "invalid" from ever arriving with an empty error list.
[[gnu::cold]] void fail_unexplained(Context& c, std::string_view loc);

}  // namespace keel::schema
