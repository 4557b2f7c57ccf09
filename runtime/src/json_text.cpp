#include <keel/json_text.h>

#include <unordered_set>
#include <utility>
#include <vector>

namespace keel {
namespace {

using Json = nlohmann::json;

// nlohmann's own DOM builder, fed through a SAX filter that tracks where it
// is (for the pointer) and which keys each open object has seen. A parser
// callback would do the same in a few lines but parses ten times slower.
class StrictSax {
public:
  explicit StrictSax(Json& out) : dom_(out, true) {}

  bool null() { return element(dom_.null()); }
  bool boolean(bool v) { return element(dom_.boolean(v)); }
  bool number_integer(Json::number_integer_t v) { return element(dom_.number_integer(v)); }
  bool number_unsigned(Json::number_unsigned_t v) { return element(dom_.number_unsigned(v)); }
  bool number_float(Json::number_float_t v, const Json::string_t& s) {
    return element(dom_.number_float(v, s));
  }
  bool string(Json::string_t& v) { return element(dom_.string(v)); }
  bool binary(Json::binary_t& v) { return element(dom_.binary(v)); }
  bool start_object(std::size_t n) {
    levels_.push_back({true, 0, {}, {}, {}});
    return dom_.start_object(n);
  }
  bool start_array(std::size_t n) {
    levels_.push_back({false, 0, {}, {}, {}});
    return dom_.start_array(n);
  }
  bool end_object() {
    levels_.pop_back();
    return element(dom_.end_object());
  }
  bool end_array() {
    levels_.pop_back();
    return element(dom_.end_array());
  }
  bool key(Json::string_t& k) {
    Level& top = levels_.back();
    if (!top.insert(k)) {
      top.key = k;
      for (const Level& l : levels_) {
        duplicate += '/';
        for (char c : l.object ? l.key : std::to_string(l.index))
          duplicate += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
      }
      return false;
    }
    top.key = k;
    return dom_.key(k);
  }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception&) {
    error_byte = position;
    return false;
  }

  std::string duplicate;  ///< pointer of a repeated key, once found
  std::size_t error_byte = 0;

private:
  // One open object or array: where the parser is inside it.
  struct Level {
    bool object;
    std::size_t index;  // arrays: the element being read
    std::string key;    // objects: the member being read
    std::vector<std::string> few;  // keys seen, while there are few
    std::unordered_set<std::string> many;

    bool insert(const std::string& k) {
      if (!many.empty()) return many.insert(k).second;
      for (const auto& seen : few)
        if (seen == k) return false;
      few.push_back(k);
      if (few.size() > 16) {  // linear search stops paying off
        many.insert(few.begin(), few.end());
        few.clear();
      }
      return true;
    }
  };

  bool element(bool ok) {
    if (!levels_.empty() && !levels_.back().object) ++levels_.back().index;
    return ok;
  }

  nlohmann::detail::json_sax_dom_parser<Json> dom_;
  std::vector<Level> levels_;
};

}  // namespace

bool parse_json_strict(std::string_view text, nlohmann::json& out, JsonProblem& problem) {
  StrictSax sax(out);
  bool ok = false;
  try {
    ok = Json::sax_parse(text.begin(), text.end(), &sax);
  } catch (const nlohmann::json::exception&) {
    ok = false;  // e.g. a number the DOM cannot hold; reported as malformed
  }
  if (ok) return true;
  if (!sax.duplicate.empty()) problem = {true, std::move(sax.duplicate), 0};
  else problem = {false, {}, sax.error_byte};
  out = nullptr;
  return false;
}

}  // namespace keel
