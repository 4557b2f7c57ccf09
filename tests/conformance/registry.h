#pragma once

// What each generated conformance translation unit registers: per case
// group of one suite file, the two entry points of its validator (or why
// keel-gen could not generate it).

#include <keel/validation.h>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace keel_conformance {

using FastFn = bool (*)(const nlohmann::json&, const keel::schema::Options&);
using CollectFn = bool (*)(const nlohmann::json&, keel::schema::Errors&, const keel::schema::Options&);

struct Group {
  FastFn fast = nullptr;  ///< null when generation failed
  CollectFn collect = nullptr;
  const char* diagnostics = "";  ///< keel-gen's diagnostics (why it failed, or warnings)
};

struct Suite {
  std::string file;  ///< relative to tests/draft2020-12/
  std::vector<Group> groups;
};

inline std::vector<Suite>& suites() {
  static std::vector<Suite> all;
  return all;
}

struct Registration {
  Registration(const char* file, std::vector<Group> groups) {
    suites().push_back({file, std::move(groups)});
  }
};

}  // namespace keel_conformance
