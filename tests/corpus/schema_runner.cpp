// Calls every validator `keel-gen schema` wrote for one corpus document
// (compile_schemas.sh builds it against that document's output): each one on
// a few trivial instances, and each recursive one on an instance nested far
// deeper than Options::max_depth along a path that re-enters it. It proves
// the output links and runs; it does not judge the verdicts, which depend on
// the schema, except that the two overloads must agree with each other.
//
// usage: schema_runner [WITNESSES.json]
// WITNESSES maps a component's location ("#/components/schemas/Node") to
// the instance path (keys and indexes) from the component back to itself.

#include "runner_validators.h"  // written by compile_schemas.sh: the validator header

#include <keel/validation.h>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace {

using Json = nlohmann::json;

struct Entry {
  const char* function;
  const char* location;
  bool (*fast)(const Json&);
  bool (*collect)(const Json&, keel::schema::Errors&);
};

#define KEEL_ENTRY(fn, where)                                                                      \
  Entry{#fn, where, [](const Json& i) { return corpus::fn(i); },                                   \
        [](const Json& i, keel::schema::Errors& e) { return corpus::fn(i, e); }},

const std::vector<Entry> entries = {
#include "runner_entries.inc"
};

bool has_depth_error(const keel::schema::Errors& errors) {
  for (const auto& e : errors)
    if (e.keyword == "$depth") return true;
  return false;
}

/// The two overloads must agree, and a failure must say why.
bool consistent(const Entry& entry, const Json& instance, const char* what, bool& depth_stopped) {
  bool fast = entry.fast(instance);
  keel::schema::Errors errors;
  bool collected = entry.collect(instance, errors);
  depth_stopped = has_depth_error(errors);
  if (fast == collected && collected == errors.empty()) return true;
  std::cerr << entry.function << " on " << what << ": fast " << fast << ", collecting " << collected
            << " with " << errors.size() << " errors\n";
  return false;
}

/// `{}` nested along `steps`, `repeat` times: 10,000 rounds is far past the
/// default max_depth of 512 however short the cycle.
Json nested(const Json& steps, std::size_t repeat) {
  Json root = Json::object();
  Json* at = &root;
  for (std::size_t r = 0; r < repeat; ++r) {
    for (const auto& step : steps) {
      if (step.is_string()) {
        at = &(*at)[step.get<std::string>()];
        *at = Json::object();
      } else {
        *at = Json::array({Json::object()});
        at = &(*at)[0];
      }
    }
  }
  return root;
}

}  // namespace

int main(int argc, char** argv) {
  Json witnesses = Json::object();
  if (argc > 1) {
    std::ifstream in(argv[1]);
    witnesses = Json::parse(in);
  }
  const Json trivial[] = {Json::object(), Json(nullptr), Json::array(), Json("")};
  const char* const trivial_names[] = {"{}", "null", "[]", "\"\""};
  std::size_t failures = 0;
  std::size_t valid_empty_object = 0;
  std::size_t deep_runs = 0;
  std::size_t deep_stopped = 0;
  for (const auto& entry : entries) {
    bool depth_stopped = false;
    for (std::size_t k = 0; k < std::size(trivial); ++k) {
      if (!consistent(entry, trivial[k], trivial_names[k], depth_stopped)) ++failures;
      if (k == 0 && entry.fast(trivial[k])) ++valid_empty_object;
    }
    auto witness = witnesses.find(entry.location);
    if (witness == witnesses.end()) continue;
    Json deep = nested(*witness, 10000);
    ++deep_runs;
    if (!consistent(entry, deep, "a deep instance", depth_stopped)) ++failures;
    if (depth_stopped) ++deep_stopped;
  }
  // One line for compile_schemas.sh's table.
  std::cout << entries.size() << " validators run, " << valid_empty_object << " accept {}; "
            << deep_runs << " deep instances, " << deep_stopped << " stopped by max_depth; "
            << failures << " inconsistent\n";
  return failures == 0 ? 0 : 1;
}
