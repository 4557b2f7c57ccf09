// keel_conformance SUITE_DIR CASES_DIR SKIP_LIST [--verbose]
//
// Runs every case of the JSON Schema Test Suite (draft 2020-12, required
// and optional; files under SUITE_DIR/tests/draft2020-12) and of keel's own
// cases (files "keel/..." under CASES_DIR) against the validators keel-gen
// generated for them, and prints passed / failed / skipped per file with
// totals.
//
// keel's cases use the suite's format plus:
//   group "generation_error": "E-ID"  keel-gen must reject the schema with
//                                     that diagnostic (one case);
//   test "data_nested": {"depth": N, "leaf": X}   N nested arrays around X;
//   test "data_array": {"count": N, "item": X, "last": Y}   N copies of X
//                                     (the last one Y when given);
//   test "data_string": {"repeat": "ab", "count": N, "suffix": "!"};
//   test "errors": [{"instance": "/a", "keyword_location": "#/...",
//                    "keyword": "type"}]   exactly the errors collected (any
//                                     order; instance, keyword_location optional);
//   test "errors_truncated": true     more errors than Options::max_errors;
//   test "direction": "request" | "response"   Options::direction for the
//                                     case (OpenAPI readOnly / writeOnly);
//                                     "any" when absent.
//
// A case passes when both entry points agree with the suite: the fast path
// returns the expected result, the collecting path returns the same and
// explains every rejection with at least one error (never the
// "$invalid" fallback) and every acceptance with none.
//
// Exit status 1 on a failure that is not in SKIP_LIST, on a listed case
// that now passes, or on a list entry that matches no case: the list can
// only shrink.

#include "registry.h"

#include <algorithm>
#include <exception>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

using Json = nlohmann::json;

struct Skip {
  std::string reason;
  bool used = false;
};

struct Counts {
  std::size_t passed = 0, failed = 0, skipped = 0;
  void add(const Counts& o) {
    passed += o.passed;
    failed += o.failed;
    skipped += o.skipped;
  }
};

std::string key(const std::string& file, const std::string& group, const std::string& test) {
  return file + " | " + group + " | " + test;
}

/// The instance of a case: "data", or one of keel's generated forms.
Json case_data(const Json& test) {
  if (test.contains("data_nested")) {
    const Json& spec = test["data_nested"];
    Json value = spec.value("leaf", Json());
    for (int d = spec.at("depth").get<int>(); d > 0; --d) value = Json::array({std::move(value)});
    return value;
  }
  if (test.contains("data_array")) {
    const Json& spec = test["data_array"];
    Json value = Json::array();
    auto count = spec.at("count").get<std::size_t>();
    for (std::size_t k = 0; k < count; ++k) {
      Json item = spec.at("item");
      if (item.is_number_integer() && spec.value("distinct", false)) item = item.get<std::int64_t>() + static_cast<std::int64_t>(k);
      value.push_back(std::move(item));
    }
    if (spec.contains("last") && count > 0) value.back() = spec["last"];
    return value;
  }
  if (test.contains("data_string")) {
    const Json& spec = test["data_string"];
    std::string text;
    auto count = spec.at("count").get<std::size_t>();
    std::string repeat = spec.at("repeat");
    for (std::size_t k = 0; k < count; ++k) text += repeat;
    return text + spec.value("suffix", std::string());
  }
  return test.at("data");
}

/// Sorted "instance | location | keyword" lines, for comparison.
std::vector<std::string> error_lines(const keel::schema::Errors& errors, bool with_instance,
                                     bool with_location) {
  std::vector<std::string> out;
  for (const auto& e : errors.items)
    out.push_back((with_instance ? e.instance_pointer() : "") + " | " +
                  (with_location ? std::string(e.keyword_location) : "") + " | " +
                  std::string(e.keyword));
  std::sort(out.begin(), out.end());
  return out;
}

std::string join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += "\n      " + l;
  return out;
}

/// Why the case failed, or "" when it passed.
std::string run_case(const keel_conformance::Group& group, const Json& test, const Json& data) {
  bool expected = test.at("valid").get<bool>();
  if (group.fast == nullptr) return std::string("keel-gen rejected the schema:\n") + group.diagnostics;
  keel::schema::Options options;
  const std::string direction = test.value("direction", std::string("any"));
  if (direction == "request")
    options.direction = keel::schema::Direction::request;
  else if (direction == "response")
    options.direction = keel::schema::Direction::response;
  else if (direction != "any")
    return "unknown direction '" + direction + "' (any, request or response)";
  try {
    bool fast = group.fast(data, options);
    keel::schema::Errors errors;
    bool collected = group.collect(data, errors, options);
    if (fast != expected)
      return std::string("expected ") + (expected ? "valid" : "invalid") + ", fast path says " +
             (fast ? "valid" : "invalid");
    if (collected != fast) return "the collecting path disagrees with the fast path";
    if (collected && !errors.empty()) return "valid, but the collecting path reported errors";
    if (!collected && errors.empty()) return "invalid, but the collecting path reported no error";
    for (const auto& e : errors.items)
      if (e.keyword == "$invalid") return "the collecting path could not explain the failure";
    if (test.contains("errors")) {
      bool with_location = false, with_instance = false;
      std::vector<std::string> want;
      for (const auto& e : test["errors"]) {
        with_location = with_location || e.contains("keyword_location");
        with_instance = with_instance || e.contains("instance");
      }
      for (const auto& e : test["errors"])
        want.push_back(e.value("instance", std::string()) + " | " +
                       e.value("keyword_location", std::string()) + " | " +
                       e.at("keyword").get<std::string>());
      std::sort(want.begin(), want.end());
      auto got = error_lines(errors, with_instance, with_location);
      if (got != want) return "errors differ; expected:" + join(want) + "\n    got:" + join(got);
    }
    if (test.value("errors_truncated", false) != errors.truncated)
      return std::string("errors ") + (errors.truncated ? "" : "not ") + "truncated";
  } catch (const std::exception& e) {
    return std::string("exception: ") + e.what();
  }
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: keel_conformance SUITE_DIR CASES_DIR SKIP_LIST [--verbose]\n";
    return 2;
  }
  std::string suite_dir = argv[1], cases_dir = argv[2];
  const char* skip_path = argv[3];
  bool verbose = argc > 4 && std::string(argv[4]) == "--verbose";

  std::map<std::string, Skip> skips;
  {
    std::ifstream in(skip_path);
    Json list = Json::parse(in, nullptr, false);
    if (list.is_discarded() || !list.is_object() || !list["skips"].is_array()) {
      std::cerr << "keel_conformance: " << skip_path << " is not a skip list\n";
      return 2;
    }
    for (const auto& s : list["skips"]) {
      std::string reason = s.value("reason", "");
      if (reason.empty()) {
        std::cerr << "keel_conformance: skip entry without a reason: " << s.dump() << '\n';
        return 2;
      }
      skips[key(s.at("file"), s.at("group"), s.at("test"))] = {reason, false};
    }
  }

  auto suites = keel_conformance::suites();
  std::sort(suites.begin(), suites.end(),
            [](const auto& a, const auto& b) { return a.file < b.file; });

  std::map<std::string, Counts> per_file;
  Counts required, optional, own;
  std::vector<std::string> problems;
  for (const auto& suite : suites) {
    bool keel_case = suite.file.rfind("keel/", 0) == 0;
    std::ifstream in(keel_case ? cases_dir + "/" + suite.file
                               : suite_dir + "/tests/draft2020-12/" + suite.file);
    Json groups = Json::parse(in, nullptr, false);
    if (groups.is_discarded() || !groups.is_array() || groups.size() != suite.groups.size()) {
      problems.push_back(suite.file + ": the suite file changed since generation; rebuild");
      continue;
    }
    Counts& counts = per_file[suite.file];
    for (std::size_t g = 0; g < groups.size(); ++g) {
      const std::string group_name = groups[g].at("description");
      if (groups[g].contains("generation_error")) {
        std::string id = "[" + groups[g]["generation_error"].get<std::string>() + "]";
        const auto& group = suite.groups[g];
        if (group.fast == nullptr && std::string(group.diagnostics).find(id) != std::string::npos) {
          ++counts.passed;
        } else {
          ++counts.failed;
          problems.push_back("FAILED: " + key(suite.file, group_name, "generation") +
                             "\n    expected keel-gen to reject the schema with " + id +
                             "\n    diagnostics: " + group.diagnostics);
        }
        continue;
      }
      for (const auto& test : groups[g].at("tests")) {
        const std::string test_name = test.at("description");
        const Json data = case_data(test);
        std::string why = run_case(suite.groups[g], test, data);
        auto skip = skips.find(key(suite.file, group_name, test_name));
        if (skip == skips.end()) skip = skips.find(key(suite.file, group_name, "*"));
        if (skip != skips.end()) {
          skip->second.used = true;
          if (why.empty()) {
            ++counts.failed;
            problems.push_back("skipped case now passes (remove it from the list): " +
                               key(suite.file, group_name, test_name));
          } else {
            ++counts.skipped;
            if (verbose)
              std::cout << "skipped: " << key(suite.file, group_name, test_name) << " ("
                        << skip->second.reason << ")\n";
          }
        } else if (why.empty()) {
          ++counts.passed;
        } else {
          ++counts.failed;
          // Generated instances may nest 100000 deep: show how they were made
          // (nlohmann's dump recurses).
          std::string shown = test.contains("data") ? data.dump() : test.dump();
          if (shown.size() > 300) shown = shown.substr(0, 300) + "...";
          problems.push_back("FAILED: " + key(suite.file, group_name, test_name) + "\n    data: " +
                             shown + "\n    " + why);
        }
      }
    }
    (keel_case ? own : suite.file.rfind("optional/", 0) == 0 ? optional : required).add(counts);
  }
  for (const auto& [k, skip] : skips)
    if (!skip.used) problems.push_back("skip list entry matches no case: " + k);

  std::size_t width = 10;
  for (const auto& [file, c] : per_file) width = std::max(width, file.size());
  auto row = [&](const std::string& name, const Counts& c) {
    std::cout << std::left << std::setw(static_cast<int>(width)) << name << std::right
              << std::setw(8) << c.passed << std::setw(8) << c.failed << std::setw(9) << c.skipped
              << '\n';
  };
  std::cout << std::left << std::setw(static_cast<int>(width)) << "file" << std::right
            << std::setw(8) << "passed" << std::setw(8) << "failed" << std::setw(9) << "skipped"
            << '\n';
  for (const auto& [file, c] : per_file) row(file, c);
  Counts all = required;
  all.add(optional);
  std::cout << '\n';
  row("total required", required);
  row("total optional", optional);
  row("total suite", all);
  row("keel's own cases", own);
  auto percent = [](const Counts& c) {
    std::size_t n = c.passed + c.failed + c.skipped;
    return n == 0 ? 100.0 : 100.0 * static_cast<double>(c.passed) / static_cast<double>(n);
  };
  std::cout << std::fixed << std::setprecision(2) << "required " << percent(required)
            << "% passed, optional " << percent(optional) << "% passed\n";

  for (const auto& p : problems) std::cout << p << '\n';
  return problems.empty() ? 0 : 1;
}
