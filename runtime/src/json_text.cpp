#include <keel/json_text.h>

#include <set>
#include <utility>
#include <vector>

namespace keel {
namespace {

struct DuplicateKey {
  std::string pointer;
};

}  // namespace

bool parse_json_strict(std::string_view text, nlohmann::json& out, JsonProblem& problem) {
  using Event = nlohmann::json::parse_event_t;
  // One level per open object or array: where the parser is inside it.
  struct Level {
    bool object;
    std::size_t index;
    std::string key;
    std::set<std::string> keys;
  };
  std::vector<Level> stack;
  auto element_done = [&] {
    if (!stack.empty() && !stack.back().object) ++stack.back().index;
  };
  auto callback = [&](int, Event event, nlohmann::json& parsed) {
    switch (event) {
      case Event::object_start: stack.push_back({true, 0, {}, {}}); break;
      case Event::array_start: stack.push_back({false, 0, {}, {}}); break;
      case Event::object_end:
      case Event::array_end:
        if (!stack.empty()) stack.pop_back();
        element_done();
        break;
      case Event::value: element_done(); break;
      case Event::key: {
        Level& top = stack.back();
        top.key = parsed.get<std::string>();
        if (top.keys.insert(top.key).second) break;
        std::string pointer;
        for (const Level& l : stack) {
          pointer += '/';
          for (char c : l.object ? l.key : std::to_string(l.index))
            pointer += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
        }
        throw DuplicateKey{std::move(pointer)};
      }
    }
    return true;
  };
  try {
    out = nlohmann::json::parse(text.begin(), text.end(), callback);
    return true;
  } catch (DuplicateKey& duplicate) {
    problem = {true, std::move(duplicate.pointer), 0};
  } catch (const nlohmann::json::parse_error& e) {
    problem = {false, {}, e.byte};
  }
  out = nullptr;
  return false;
}

}  // namespace keel
