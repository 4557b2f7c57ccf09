#include <keel/json_text.h>

#include <gtest/gtest.h>

namespace {

std::string problem_of(std::string_view text) {
  nlohmann::json out;
  keel::JsonProblem problem;
  if (keel::parse_json_strict(text, out, problem)) return "ok " + out.dump();
  return problem.duplicate_key ? "duplicate " + problem.pointer : "malformed at " + std::to_string(problem.byte);
}

TEST(JsonText, ParsesWellFormedJson) {
  EXPECT_EQ(problem_of(R"({"a":[1,{"b":2}],"c":{"a":1}})"), R"(ok {"a":[1,{"b":2}],"c":{"a":1}})");
  EXPECT_EQ(problem_of("[]"), "ok []");
  EXPECT_EQ(problem_of("3"), "ok 3");
}

TEST(JsonText, RepeatedKeysArePointedAt) {
  EXPECT_EQ(problem_of(R"({"a":1,"a":2})"), "duplicate /a");
  EXPECT_EQ(problem_of(R"({"x":[0,{"k":1},{"k":1,"k":2}]})"), "duplicate /x/2/k");
  EXPECT_EQ(problem_of(R"([[1,2],{"a/b":{"~":1,"~":2}}])"), "duplicate /1/a~1b/~0");
  // Wide objects switch to a hash set; still found, still exact.
  std::string wide = "{";
  for (int i = 0; i < 40; ++i) wide += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  EXPECT_EQ(problem_of(wide + "\"k20\":0}"), "duplicate /k20");
  EXPECT_EQ(problem_of(wide + "\"k40\":0}").substr(0, 3), "ok ");
  // The same key in sibling objects is fine.
  EXPECT_EQ(problem_of(R"([{"k":1},{"k":2}])"), R"(ok [{"k":1},{"k":2}])");
}

TEST(JsonText, MalformedTextAndInvalidUtf8) {
  EXPECT_EQ(problem_of("{"), "malformed at 2");
  EXPECT_EQ(problem_of("\"\xff\""), "malformed at 2");
  EXPECT_EQ(problem_of(""), "malformed at 1");
}

}  // namespace
