#include <keel/validation.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <unordered_map>
#include <utility>

namespace keel::schema {

namespace {

using Json = nlohmann::json;
using ValueT = Json::value_t;

__extension__ typedef unsigned __int128 Uint128;

/// The '~' and '/' of a member name, each written as two characters in a
/// pointer. Branch-free, so the compiler vectorises it.
std::size_t escapes(std::string_view token) {
  std::size_t n = 0;
  for (char ch : token) n += static_cast<std::size_t>(ch == '~') + static_cast<std::size_t>(ch == '/');
  return n;
}

char* write_escaped(char* out, std::string_view token) {
  for (char ch : token) {
    if (ch == '~' || ch == '/') {
      *out++ = '~';
      *out++ = ch == '~' ? '0' : '1';
    } else {
      *out++ = ch;
    }
  }
  return out;
}

std::size_t decimal_digits(std::size_t n) {
  std::size_t digits = 1;
  for (; n >= 10; n /= 10) ++digits;
  return digits;
}

const char* type_name(const Json& v) {
  switch (v.type()) {
    case ValueT::null: return "null";
    case ValueT::boolean: return "boolean";
    case ValueT::object: return "object";
    case ValueT::array: return "array";
    case ValueT::string: return "string";
    case ValueT::number_integer:
    case ValueT::number_unsigned: return "integer";
    case ValueT::number_float:
      return is_integral(v.get_ref<const double&>()) ? "integer" : "number";
    default: return "value";
  }
}

// -- exact numeric comparison --

template <class T> int three_way(T a, T b) { return a < b ? -1 : (a > b ? 1 : 0); }

int compare_int_double(std::int64_t i, double d) {
  if (std::isnan(d)) return -2;
  if (d >= 9223372036854775808.0) return -1;
  if (d < -9223372036854775808.0) return 1;
  double floor = std::floor(d);
  auto whole = static_cast<std::int64_t>(floor);
  if (i != whole) return i < whole ? -1 : 1;
  return floor == d ? 0 : -1;
}

int compare_uint_double(std::uint64_t u, double d) {
  if (std::isnan(d)) return -2;
  if (d >= 18446744073709551616.0) return -1;
  if (d < 0) return 1;
  double floor = std::floor(d);
  auto whole = static_cast<std::uint64_t>(floor);
  if (u != whole) return u < whole ? -1 : 1;
  return floor == d ? 0 : -1;
}

int compare_int_uint(std::int64_t i, std::uint64_t u) {
  if (i < 0) return -1;
  return three_way(static_cast<std::uint64_t>(i), u);
}

int negate(int r) { return r == -2 ? -2 : -r; }

/// Both numbers; exact.
int compare_numbers(const Json& a, const Json& b) {
  switch (b.type()) {
    case ValueT::number_integer: return compare_number(a, b.get_ref<const std::int64_t&>());
    case ValueT::number_unsigned: return compare_number(a, b.get_ref<const std::uint64_t&>());
    default: return compare_number(a, b.get_ref<const double&>());
  }
}

// -- multipleOf --

/// |v| as mantissa * 10^exponent; false for non-finite values.
bool to_decimal(const Json& v, std::uint64_t& mantissa, std::int32_t& exponent) {
  exponent = 0;
  if (v.is_number_unsigned()) {
    mantissa = v.get_ref<const std::uint64_t&>();
    return true;
  }
  if (v.type() == ValueT::number_integer) {
    std::int64_t i = v.get_ref<const std::int64_t&>();
    mantissa = i < 0 ? std::uint64_t(0) - static_cast<std::uint64_t>(i) : static_cast<std::uint64_t>(i);
    return true;
  }
  double d = v.get_ref<const double&>();
  if (!std::isfinite(d)) return false;
  // The shortest text that reads back as `d` is the decimal the sender
  // (almost always) wrote: 0.0075 stays 75e-4 rather than its binary value.
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, std::fabs(d));
  if (ec != std::errc()) return false;
  mantissa = 0;
  int fraction_digits = 0;
  bool in_fraction = false;
  const char* p = buf;
  for (; p != end && *p != 'e'; ++p) {
    if (*p == '.') {
      in_fraction = true;
      continue;
    }
    mantissa = mantissa * 10 + static_cast<std::uint64_t>(*p - '0');  // <= 17 digits
    if (in_fraction) ++fraction_digits;
  }
  int exp10 = 0;
  if (p != end) {
    ++p;  // 'e'
    bool neg = *p == '-';
    if (*p == '-' || *p == '+') ++p;
    for (; p != end; ++p) exp10 = exp10 * 10 + (*p - '0');
    if (neg) exp10 = -exp10;
  }
  exponent = exp10 - fraction_digits;
  return true;
}

std::uint64_t mul_mod(std::uint64_t a, std::uint64_t b, std::uint64_t m) {
  return static_cast<std::uint64_t>(static_cast<Uint128>(a) * b % m);
}

std::uint64_t pow10_mod(std::int64_t k, std::uint64_t m) {
  std::uint64_t result = 1 % m, base = 10 % m;
  while (k > 0) {
    if (k & 1) result = mul_mod(result, base, m);
    base = mul_mod(base, base, m);
    k >>= 1;
  }
  return result;
}

// -- deep equality and hashing --

bool scalar_equal(const Json& a, const Json& b) {
  if (a.is_number() && b.is_number()) return compare_numbers(a, b) == 0;
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case ValueT::null: return true;
    case ValueT::boolean: return a.get_ref<const bool&>() == b.get_ref<const bool&>();
    case ValueT::string: return a.get_ref<const std::string&>() == b.get_ref<const std::string&>();
    default: return false;
  }
}

std::size_t combine(std::size_t seed, std::size_t value) {
  return seed ^ (value + 0x9e3779b97f4a7c15ull + (seed << 6) + (seed >> 2));
}

std::size_t number_hash(const Json& v) {
  // Equal values must hash alike across representations: 1, 1u and 1.0.
  if (v.type() == ValueT::number_integer) return std::hash<std::int64_t>{}(v.get_ref<const std::int64_t&>());
  if (v.is_number_unsigned()) {
    std::uint64_t u = v.get_ref<const std::uint64_t&>();
    if (u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      return std::hash<std::int64_t>{}(static_cast<std::int64_t>(u));
    return std::hash<std::uint64_t>{}(u);
  }
  double d = v.get_ref<const double&>();
  if (is_integral(d) && d >= -9223372036854775808.0 && d < 9223372036854775808.0)
    return std::hash<std::int64_t>{}(static_cast<std::int64_t>(d));
  if (is_integral(d) && d >= 0 && d < 18446744073709551616.0)
    return std::hash<std::uint64_t>{}(static_cast<std::uint64_t>(d));
  return std::hash<double>{}(d);
}

/// Pre-order hash with explicit sizes, on an explicit stack.
std::size_t value_hash(const Json& root) {
  struct Step {
    const Json* value;
    const std::string* key;
  };
  std::vector<Step> stack{{&root, nullptr}};
  std::size_t h = 0;
  while (!stack.empty()) {
    Step step = stack.back();
    stack.pop_back();
    if (step.key != nullptr) h = combine(h, std::hash<std::string>{}(*step.key));
    const Json& v = *step.value;
    h = combine(h, static_cast<std::size_t>(v.is_number() ? ValueT::number_float : v.type()));
    switch (v.type()) {
      case ValueT::boolean: h = combine(h, v.get_ref<const bool&>() ? 1 : 2); break;
      case ValueT::string: h = combine(h, std::hash<std::string>{}(v.get_ref<const std::string&>())); break;
      case ValueT::number_integer:
      case ValueT::number_unsigned:
      case ValueT::number_float: h = combine(h, number_hash(v)); break;
      case ValueT::array: {
        const auto& items = v.get_ref<const Json::array_t&>();
        h = combine(h, items.size());
        for (auto it = items.rbegin(); it != items.rend(); ++it) stack.push_back({&*it, nullptr});
        break;
      }
      case ValueT::object: {
        const auto& members = v.get_ref<const Json::object_t&>();
        h = combine(h, members.size());
        for (auto it = members.rbegin(); it != members.rend(); ++it)
          stack.push_back({&it->second, &it->first});
        break;
      }
      default: break;
    }
  }
  return h;
}

}  // namespace

// ---- errors and context ---------------------------------------------------

void append_field_errors(const Errors& errors, std::string_view prefix, std::vector<FieldError>& out) {
  for (const auto& e : errors.items)
    out.push_back({std::string(prefix) + e.instance_pointer(), std::string(e.keyword), e.message()});
  if (errors.truncated)
    out.push_back({std::string(prefix), "too_many_errors",
                   "more errors were found; only the first " + std::to_string(errors.items.size()) +
                       " are listed"});
}

const Options& request_options() {
  static const Options options = [] {
    Options o;
    o.direction = Direction::request;  // readOnly members must not be sent
    return o;
  }();
  return options;
}

ErrorList::ErrorList(const ErrorList& other) {
  reserve(other.size_);
  for (const Error& e : other) new (data_ + size_++) Error(e);
}

ErrorList::ErrorList(ErrorList&& other) noexcept { take(other); }

ErrorList& ErrorList::operator=(const ErrorList& other) {
  if (this != &other) {
    ErrorList copy(other);
    *this = std::move(copy);
  }
  return *this;
}

ErrorList& ErrorList::operator=(ErrorList&& other) noexcept {
  if (this != &other) {
    release();
    take(other);
  }
  return *this;
}

void ErrorList::take(ErrorList& other) noexcept {
  if (other.data_ != other.inline_data()) {  // steal the heap block
    data_ = other.data_;
    capacity_ = other.capacity_;
    size_ = other.size_;
    other.data_ = other.inline_data();
    other.capacity_ = inline_capacity;
    other.size_ = 0;
    return;
  }
  for (Error& e : other) new (data_ + size_++) Error(std::move(e));
  other.clear();
}

void ErrorList::release() noexcept {
  for (Error& e : *this) e.~Error();
  size_ = 0;
  if (data_ != inline_data()) ::operator delete(data_);
  data_ = inline_data();
  capacity_ = inline_capacity;
}

void ErrorList::grow(std::size_t capacity) {
  auto* bigger = static_cast<Error*>(::operator new(capacity * sizeof(Error)));
  for (std::size_t k = 0; k < size_; ++k) {
    new (bigger + k) Error(std::move(data_[k]));
    data_[k].~Error();
  }
  if (data_ != inline_data()) ::operator delete(data_);
  data_ = bigger;
  capacity_ = capacity;
}

void ErrorList::resize(std::size_t count) {
  while (size_ > count) pop_back();
  if (count > capacity_) grow(count);
  while (size_ < count) emplace_back();
}

void PathStack::grow() {
  auto* bigger = new PathToken[capacity_ * 2];
  std::copy(data_, data_ + size_, bigger);
  if (data_ != inline_data()) delete[] data_;
  data_ = bigger;
  capacity_ *= 2;
}

void Context::rollback(std::size_t mark) {
  if (errors_ != nullptr && errors_->items.size() > mark) errors_->items.resize(mark);
}

std::string Context::instance_pointer() const {
  std::string out;
  write_pointer(out);
  return out;
}

void Context::write_pointer(std::string& out) const {
  if (path.empty()) return;
  // Sized exactly, then written in place: a short pointer stays in the
  // string's inline buffer, and no append has to check for room.
  std::size_t size = 0, escaped = 0;
  for (const auto& token : path) {
    if (token.key != nullptr) {
      size += 1 + token.key->size();
      escaped += escapes(*token.key);
    } else {
      size += 1 + decimal_digits(token.index);
    }
  }
  std::size_t start = out.size();
  out.resize(start + size + escaped);
  char* p = out.data() + start;
  char* const end = out.data() + out.size();
  for (const auto& token : path) {
    *p++ = '/';
    if (token.key == nullptr) {
      p = std::to_chars(p, end, token.index).ptr;
    } else if (escaped == 0) {
      std::memcpy(p, token.key->data(), token.key->size());
      p += token.key->size();
    } else {
      p = write_escaped(p, *token.key);
    }
  }
}

Error* Context::add(std::string_view keyword_location, std::string_view keyword, Detail detail) {
  if (errors_ == nullptr) return nullptr;
  if (errors_->items.size() >= options_.max_errors) {
    errors_->truncated = true;
    return nullptr;
  }
  Error& e = errors_->items.emplace_back();
  e.keyword_location = keyword_location;
  e.keyword = keyword;
  e.detail = detail;
  write_pointer(e.pointer);
  return &e;
}

void Context::report(std::string_view keyword_location, std::string_view keyword, std::string message) {
  if (Error* e = add(keyword_location, keyword, Detail::text)) e->owned = std::move(message);
}

void Context::abort(std::string_view keyword_location, std::string_view keyword, Detail detail) {
  if (aborted) return;  // one report is enough; the rest unwinds
  aborted = true;
  if (Error* e = add(keyword_location, keyword, detail)) e->n = options_.max_depth;
}

void Context::abort(std::string_view keyword_location, std::string_view keyword, std::string message) {
  if (aborted) return;
  aborted = true;
  report(keyword_location, keyword, std::move(message));
}

void Depth::exceeded(std::string_view keyword_location) {
  c_.abort(keyword_location, "$depth", Detail::depth);
}

struct Context::Memo {
  struct Key {
    const nlohmann::json* node;
    std::uint64_t fn;  // function id * 2 + sink
    bool operator==(const Key& o) const { return node == o.node && fn == o.fn; }
  };
  struct Hash {
    std::size_t operator()(const Key& k) const {
      return std::hash<const void*>{}(k.node) ^ (k.fn * 0x9e3779b97f4a7c15ull);
    }
  };
  std::unordered_map<Key, bool, Hash> verdicts;
};

int Context::recall(std::uint32_t fn, bool collect, const nlohmann::json& node) const {
  if (memo_ == nullptr) return -1;
  auto found = memo_->verdicts.find({&node, std::uint64_t{fn} * 2 + (collect ? 1 : 0)});
  return found == memo_->verdicts.end() ? -1 : (found->second ? 1 : 0);
}

void Context::remember(std::uint32_t fn, bool collect, const nlohmann::json& node, bool valid) {
  if (memo_ == nullptr) memo_ = new Memo;
  memo_->verdicts[{&node, std::uint64_t{fn} * 2 + (collect ? 1 : 0)}] = valid;
}

void Context::free_memo() {
  delete memo_;
  memo_ = nullptr;
}

void Evaluated::merge(const Evaluated& other) {
  all_properties_ = all_properties_ || other.all_properties_;
  all_items_ = all_items_ || other.all_items_;
  prefix_ = std::max(prefix_, other.prefix_);
  if (properties_.size() < other.properties_.size()) properties_.resize(other.properties_.size());
  for (std::size_t i = 0; i < other.properties_.size(); ++i) properties_[i] |= other.properties_[i];
  if (items_.size() < other.items_.size()) items_.resize(other.items_.size());
  for (std::size_t i = 0; i < other.items_.size(); ++i) items_[i] |= other.items_[i];
}

// ---- JSON semantics -------------------------------------------------------

bool is_integral(double value) { return std::isfinite(value) && std::floor(value) == value; }

int compare_number_slow(const Json& v, std::int64_t bound) {
  switch (v.type()) {
    case ValueT::number_integer: return three_way(v.get_ref<const std::int64_t&>(), bound);
    case ValueT::number_unsigned: return negate(compare_int_uint(bound, v.get_ref<const std::uint64_t&>()));
    case ValueT::number_float: return negate(compare_int_double(bound, v.get_ref<const double&>()));
    default: return -2;
  }
}

int compare_number_slow(const Json& v, std::uint64_t bound) {
  switch (v.type()) {
    case ValueT::number_integer: return compare_int_uint(v.get_ref<const std::int64_t&>(), bound);
    case ValueT::number_unsigned: return three_way(v.get_ref<const std::uint64_t&>(), bound);
    case ValueT::number_float: return negate(compare_uint_double(bound, v.get_ref<const double&>()));
    default: return -2;
  }
}

int compare_number_slow(const Json& v, double bound) {
  switch (v.type()) {
    case ValueT::number_integer: return compare_int_double(v.get_ref<const std::int64_t&>(), bound);
    case ValueT::number_unsigned: return compare_uint_double(v.get_ref<const std::uint64_t&>(), bound);
    case ValueT::number_float: {
      double d = v.get_ref<const double&>();
      if (std::isnan(d) || std::isnan(bound)) return -2;
      return three_way(d, bound);
    }
    default: return -2;
  }
}

bool is_multiple_of(const Json& v, const Divisor& d) {
  if (!v.is_number()) return true;
  if (d.mantissa == 0) {
    // The schema's divisor has more digits than 64 bits hold: floating point.
    if (!v.is_number_float()) {
      double q = v.get<double>() / d.value;
      return is_integral(q);
    }
    double q = v.get_ref<const double&>() / d.value;
    return is_integral(q);
  }
  std::uint64_t mv = 0;
  std::int32_t ev = 0;
  if (!to_decimal(v, mv, ev)) return false;
  if (mv == 0) return true;
  // mv*10^ev is a multiple of md*10^ed. Scale both to the smaller exponent.
  if (ev >= d.exponent) {
    // B = md fits; A = mv * 10^(ev-ed), reduced modulo B.
    std::uint64_t b = d.mantissa;
    return mul_mod(mv % b, pow10_mod(std::int64_t{ev} - d.exponent, b), b) == 0;
  }
  // B = md * 10^(ed-ev) > A = mv unless it divides; compute B when it fits.
  Uint128 b = d.mantissa;
  for (std::int64_t k = std::int64_t{d.exponent} - ev; k > 0; --k) {
    b *= 10;
    if (b > mv) return false;  // a positive multiple is at least B
  }
  return mv % static_cast<std::uint64_t>(b) == 0;
}

bool json_equal(const Json& a, const Json& b) {
  // Two scalars (uniqueItems over strings or numbers, the usual case) need
  // no stack, so they allocate nothing.
  if (!a.is_structured() || !b.is_structured()) return scalar_equal(a, b);
  std::vector<std::pair<const Json*, const Json*>> stack{{&a, &b}};
  while (!stack.empty()) {
    auto [x, y] = stack.back();
    stack.pop_back();
    if (x->is_array() && y->is_array()) {
      const auto& xs = x->get_ref<const Json::array_t&>();
      const auto& ys = y->get_ref<const Json::array_t&>();
      if (xs.size() != ys.size()) return false;
      for (std::size_t i = 0; i < xs.size(); ++i) stack.push_back({&xs[i], &ys[i]});
    } else if (x->is_object() && y->is_object()) {
      const auto& xs = x->get_ref<const Json::object_t&>();
      const auto& ys = y->get_ref<const Json::object_t&>();
      if (xs.size() != ys.size()) return false;
      for (auto i = xs.begin(), j = ys.begin(); i != xs.end(); ++i, ++j) {
        if (i->first != j->first) return false;  // both sorted by key
        stack.push_back({&i->second, &j->second});
      }
    } else if (!scalar_equal(*x, *y)) {
      return false;
    }
  }
  return true;
}

bool find_duplicate(const Json::array_t& items, std::size_t& first, std::size_t& second) {
  std::size_t n = items.size();
  if (n <= 8) {
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = i + 1; j < n; ++j)
        if (json_equal(items[i], items[j])) {
          first = i;
          second = j;
          return true;
        }
    return false;
  }
  std::vector<std::pair<std::size_t, std::size_t>> hashed;  // (hash, index)
  hashed.reserve(n);
  for (std::size_t i = 0; i < n; ++i) hashed.emplace_back(value_hash(items[i]), i);
  std::sort(hashed.begin(), hashed.end());
  bool found = false;
  for (std::size_t start = 0; start < n;) {
    std::size_t end = start + 1;
    while (end < n && hashed[end].first == hashed[start].first) ++end;
    for (std::size_t i = start; i < end; ++i)
      for (std::size_t j = i + 1; j < end; ++j)
        if (json_equal(items[hashed[i].second], items[hashed[j].second])) {
          std::size_t lo = std::min(hashed[i].second, hashed[j].second);
          std::size_t hi = std::max(hashed[i].second, hashed[j].second);
          if (!found || hi < second || (hi == second && lo < first)) {
            first = lo;
            second = hi;
          }
          found = true;
        }
    start = end;
  }
  return found;
}

// ---- failure reports ------------------------------------------------------
//
// Each records the keyword and the message's parameters; Error::message()
// below writes the sentence when someone reads it.

namespace {

Error* add(Context& c, std::string_view loc, std::string_view keyword, Detail detail) {
  return c.collecting() ? c.add(loc, keyword, detail) : nullptr;
}

void add_text(Context& c, std::string_view loc, std::string_view keyword, Detail detail, const char* text,
              const char* text2 = nullptr) {
  if (Error* e = add(c, loc, keyword, detail)) {
    e->text = text;
    e->text2 = text2;
  }
}

void add_counts(Context& c, std::string_view loc, std::string_view keyword, Detail detail, std::uint64_t n,
                std::uint64_t m) {
  if (Error* e = add(c, loc, keyword, detail)) {
    e->n = n;
    e->m = m;
  }
}

/// Writes one message into one string: room reserved once, pieces appended
/// in place (building it from `+` of temporaries cost a heap string each,
/// most of what a 400 response paid per error).
class Message {
public:
  Message() { text_.reserve(96); }
  Message& operator<<(std::string_view piece) {
    text_.append(piece);
    return *this;
  }
  Message& operator<<(const char* piece) {
    return *this << std::string_view(piece != nullptr ? piece : "");
  }
  template <class N> Message& number(N value) {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
    text_.append(buf, ec == std::errc() ? end : buf);
    return *this;
  }
  /// `piece`, cut to `max` bytes (at a UTF-8 boundary) plus "..." when longer.
  Message& shortened(const char* piece, std::size_t max = 80) {
    std::size_t start = text_.size();
    *this << piece;
    cut(start, max);
    return *this;
  }
  /// `piece` in double quotes, JSON-escaped, the whole cut to 80 bytes.
  Message& quoted(std::string_view piece) {
    static constexpr char hex[] = "0123456789abcdef";
    std::size_t start = text_.size();
    text_ += '"';
    std::size_t plain = 0;  // start of the run of bytes copied as they are
    for (std::size_t k = 0; k < piece.size(); ++k) {
      auto u = static_cast<unsigned char>(piece[k]);
      if (u >= 0x20 && u != '"' && u != '\\') continue;
      text_.append(piece.data() + plain, k - plain);
      plain = k + 1;
      if (u >= 0x20) {
        text_ += '\\';
        text_ += static_cast<char>(u);
      } else {
        char escape[6] = {'\\', 'u', '0', '0', hex[u >> 4], hex[u & 15]};
        text_.append(escape, sizeof escape);
      }
    }
    text_.append(piece.data() + plain, piece.size() - plain);
    text_ += '"';
    cut(start, 80);
    return *this;
  }
  std::string take() { return std::move(text_); }

private:
  void cut(std::size_t start, std::size_t max) {
    if (text_.size() - start <= max) return;
    std::size_t end = start + max;
    while (end > start && (static_cast<unsigned char>(text_[end]) & 0xC0u) == 0x80u) --end;
    text_.resize(end);
    text_ += "...";
  }
  std::string text_;
};

void append_recorded_number(Message& out, const Error& e) {
  switch (static_cast<ValueT>(e.number_type)) {
    case ValueT::number_integer: out.number(e.number.i); break;
    case ValueT::number_unsigned: out.number(e.number.u); break;
    case ValueT::number_float: out.number(e.number.d); break;
    default: out << "?";
  }
}

/// The last token of an instance pointer, unescaped (a member name).
std::string last_token(const std::string& pointer) {
  std::size_t slash = pointer.rfind('/');
  std::string out;
  if (slash == std::string::npos) return out;
  for (std::size_t k = slash + 1; k < pointer.size(); ++k) {
    if (pointer[k] == '~' && k + 1 < pointer.size()) {
      out += pointer[k + 1] == '1' ? '/' : '~';
      ++k;
    } else {
      out += pointer[k];
    }
  }
  return out;
}

void count_message(Message& out, std::string_view keyword, std::uint64_t limit,
                   std::uint64_t actual) {
  struct Wording {
    std::string_view keyword, before, after;
  };
  static constexpr Wording wordings[] = {
      {"minLength", "must be at least ", " characters long (is "},
      {"maxLength", "must be at most ", " characters long (is "},
      {"minItems", "must have at least ", " items (has "},
      {"maxItems", "must have at most ", " items (has "},
      {"minProperties", "must have at least ", " properties (has "},
      {"maxProperties", "must have at most ", " properties (has "},
  };
  for (const auto& w : wordings) {
    if (w.keyword != keyword) continue;
    out << w.before;
    out.number(limit) << w.after;
    out.number(actual) << ")";
    return;
  }
  out << keyword << " is ";
  out.number(limit) << " (found ";
  out.number(actual) << ")";
}

void type_message(Message& out, std::uint64_t allowed, const char* got) {
  static constexpr std::pair<unsigned, std::string_view> names[] = {
      {type_null, "null"},     {type_boolean, "boolean"}, {type_object, "object"},
      {type_array, "array"},   {type_number, "number"},   {type_string, "string"},
      {type_integer, "integer"}};
  out << "expected ";
  bool any = false;
  for (const auto& [bit, name] : names) {
    if ((allowed & bit) == 0) continue;
    if (any) out << " or ";
    out << name;
    any = true;
  }
  if (!any) out << "nothing";
  out << ", got " << got;
}

void contains_message(Message& out, std::string_view bound, std::uint64_t limit,
                      std::uint64_t found) {
  out << "must contain " << bound << " ";
  out.number(limit) << (limit == 1 ? " item" : " items") << " matching the contains schema (found ";
  out.number(found) << ")";
}

}  // namespace

std::string Error::message() const {
  switch (detail) {  // fixed sentences
    case Detail::text: return owned;
    case Detail::false_schema: return "no value is allowed here (the schema is false)";
    case Detail::not_schema: return "must not match the schema in 'not'";
    case Detail::any_of: return "must match at least one schema in 'anyOf'";
    case Detail::one_of:
      if (n == 0) return "must match exactly one schema in 'oneOf' (matched none)";
      break;
    case Detail::read_only: return "is read-only: a request must not send it";
    case Detail::write_only: return "is write-only: a response must not return it";
    case Detail::unexplained: return "the instance is invalid";
    case Detail::regex_limit: return "the regular expression exceeded its match limit";
    default: break;
  }
  Message out;
  switch (detail) {
    case Detail::type: type_message(out, n, text); break;
    case Detail::const_value:
      out << "must be equal to ";
      out.shortened(text);
      break;
    case Detail::enum_value:
      out << "must be one of ";
      out.shortened(text, 160);
      break;
    case Detail::bound: {
      std::string_view op = keyword == "minimum"            ? ">="
                            : keyword == "maximum"          ? "<="
                            : keyword == "exclusiveMinimum" ? ">"
                                                            : "<";
      out << "must be " << op << " " << text << " (is ";
      append_recorded_number(out, *this);
      out << ")";
      break;
    }
    case Detail::multiple_of: out << "must be a multiple of " << text; break;
    case Detail::count: count_message(out, keyword, n, m); break;
    case Detail::pattern:
      out << "must match the pattern ";
      out.quoted(text);
      break;
    case Detail::pattern_key:
      out << "property name must match the pattern ";
      out.quoted(text);
      break;
    case Detail::format: out << "must be a valid " << text; break;
    case Detail::unique:
      out << "items must be unique; items ";
      out.number(n) << " and ";
      out.number(m) << " are equal";
      break;
    case Detail::required:
      out << "missing required property ";
      out.quoted(text);
      break;
    case Detail::dependent_required:
      out << "property ";
      out.quoted(text) << " requires property ";
      out.quoted(text2);
      break;
    case Detail::property_not_allowed:
      out << "property ";
      out.quoted(n != 0 ? last_token(pointer) : "") << " is not allowed";
      break;
    case Detail::item_not_allowed:
      out << "item ";
      if (m != 0) out.number(n);
      out << " is not allowed";
      break;
    case Detail::contains: contains_message(out, "at least", n, m); break;
    case Detail::max_contains: contains_message(out, "at most", n, m); break;
    case Detail::one_of:
      out << "must match exactly one schema in 'oneOf' (matched ";
      out.number(n) << ")";
      break;
    case Detail::discriminator_missing:
      out << "missing discriminator property ";
      out.quoted(text) << ": must be one of ";
      out.shortened(text2, 160);
      break;
    case Detail::discriminator_value:
      out << "must be one of ";
      out.shortened(text2, 160) << " (is ";
      out.quoted(owned) << ")";
      break;
    case Detail::discriminator_type:
      out << "must be a string, one of ";
      out.shortened(text2, 160) << " (is " << owned << ")";
      break;
    case Detail::depth:
      out << "the instance nests deeper than the validator's limit of ";
      out.number(n) << " evaluation levels";
      break;
    default: return "invalid";
  }
  return out.take();
}

void fail_type(Context& c, std::string_view loc, unsigned allowed, const Json& v) {
  if (Error* e = add(c, loc, "type", Detail::type)) {
    e->n = allowed;
    e->text = type_name(v);
  }
}

void fail_false(Context& c, std::string_view loc) { add(c, loc, "false", Detail::false_schema); }

void fail_const(Context& c, std::string_view loc, const char* expected_json) {
  add_text(c, loc, "const", Detail::const_value, expected_json);
}

void fail_enum(Context& c, std::string_view loc, const char* values_json) {
  add_text(c, loc, "enum", Detail::enum_value, values_json);
}

void fail_bound(Context& c, std::string_view loc, std::string_view keyword, const char* bound, const Json& v) {
  Error* e = add(c, loc, keyword, Detail::bound);
  if (e == nullptr) return;
  e->text = bound;
  e->number_type = static_cast<std::uint8_t>(v.type());
  switch (v.type()) {
    case ValueT::number_integer: e->number.i = v.get_ref<const std::int64_t&>(); break;
    case ValueT::number_unsigned: e->number.u = v.get_ref<const std::uint64_t&>(); break;
    case ValueT::number_float: e->number.d = v.get_ref<const double&>(); break;
    default: break;
  }
}

void fail_multiple_of(Context& c, std::string_view loc, const char* divisor) {
  add_text(c, loc, "multipleOf", Detail::multiple_of, divisor);
}

void fail_count(Context& c, std::string_view loc, std::string_view keyword, std::uint64_t limit,
                std::size_t actual) {
  add_counts(c, loc, keyword, Detail::count, limit, actual);
}

void fail_pattern(Context& c, std::string_view loc, const char* pattern) {
  add_text(c, loc, "pattern", Detail::pattern, pattern);
}

void fail_pattern_key(Context& c, std::string_view loc, const char* pattern) {
  add_text(c, loc, "pattern", Detail::pattern_key, pattern);
}

void fail_format(Context& c, std::string_view loc, const char* format) {
  add_text(c, loc, "format", Detail::format, format);
}

void fail_unique(Context& c, std::string_view loc, std::size_t first, std::size_t second) {
  add_counts(c, loc, "uniqueItems", Detail::unique, first, second);
}

void fail_required(Context& c, std::string_view loc, const char* name) {
  add_text(c, loc, "required", Detail::required, name);
}

void fail_dependent_required(Context& c, std::string_view loc, const char* name, const char* required) {
  add_text(c, loc, "dependentRequired", Detail::dependent_required, name, required);
}

void fail_property_not_allowed(Context& c, std::string_view loc, std::string_view keyword) {
  // The name is the last step of the pointer (n says whether there is one).
  bool named = !c.path.empty() && c.path.back().key != nullptr;
  add_counts(c, loc, keyword, Detail::property_not_allowed, named ? 1 : 0, 0);
}

void fail_item_not_allowed(Context& c, std::string_view loc, std::string_view keyword) {
  bool indexed = !c.path.empty();
  add_counts(c, loc, keyword, Detail::item_not_allowed, indexed ? c.path.back().index : 0,
             indexed ? 1 : 0);
}

void fail_contains(Context& c, std::string_view loc, std::uint64_t min_contains, std::size_t found) {
  add_counts(c, loc, "contains", Detail::contains, min_contains, found);
}

void fail_max_contains(Context& c, std::string_view loc, std::uint64_t max_contains, std::size_t found) {
  add_counts(c, loc, "maxContains", Detail::max_contains, max_contains, found);
}

void fail_not(Context& c, std::string_view loc) { add(c, loc, "not", Detail::not_schema); }

void fail_any_of(Context& c, std::string_view loc) { add(c, loc, "anyOf", Detail::any_of); }

void fail_one_of(Context& c, std::string_view loc, std::size_t matched) {
  add_counts(c, loc, "oneOf", Detail::one_of, matched, 0);
}

void fail_read_only(Context& c, std::string_view loc) { add(c, loc, "readOnly", Detail::read_only); }

void fail_write_only(Context& c, std::string_view loc) { add(c, loc, "writeOnly", Detail::write_only); }

void fail_discriminator(Context& c, std::string_view loc, const char* property, const char* values_json,
                        const Json& object) {
  if (!c.collecting()) return;
  // The error points at the member even when it is missing: that is what to fix.
  const std::string name = property;
  c.path.push_back({&name, 0});
  auto found = object.is_object() ? object.find(name) : object.end();
  Detail detail = found == object.end() ? Detail::discriminator_missing
                  : found->is_string()  ? Detail::discriminator_value
                                        : Detail::discriminator_type;
  if (Error* e = c.add(loc, "discriminator", detail)) {
    e->text = property;
    e->text2 = values_json;
    if (detail == Detail::discriminator_value)
      e->owned = found->get_ref<const std::string&>();
    else if (detail == Detail::discriminator_type)
      e->owned = type_name(*found);
  }
  c.path.pop_back();
}

void fail_unexplained(Context& c, std::string_view loc) {
  add(c, loc, "$invalid", Detail::unexplained);
}

}  // namespace keel::schema
