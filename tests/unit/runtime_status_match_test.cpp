// keel::status_matches: which statuses a documented response key covers.
// The typed responders rely on it to refuse undocumented statuses.
#include <keel/responder.h>

#include <gtest/gtest.h>

namespace {

TEST(StatusMatches, ExactCodeMatchesOnlyItself) {
  EXPECT_TRUE(keel::status_matches(200, "200"));
  EXPECT_TRUE(keel::status_matches(404, "404"));
  EXPECT_FALSE(keel::status_matches(201, "200"));
  EXPECT_FALSE(keel::status_matches(400, "404"));
  EXPECT_FALSE(keel::status_matches(404, "4040"));
  EXPECT_FALSE(keel::status_matches(404, ""));
}

TEST(StatusMatches, RangeCoversItsHundredInEitherCase) {
  for (int status : {400, 404, 451, 499}) {
    EXPECT_TRUE(keel::status_matches(status, "4XX")) << status;
    EXPECT_TRUE(keel::status_matches(status, "4xx")) << status;
  }
  EXPECT_FALSE(keel::status_matches(399, "4XX"));
  EXPECT_FALSE(keel::status_matches(500, "4XX"));
  EXPECT_TRUE(keel::status_matches(100, "1XX"));
  EXPECT_TRUE(keel::status_matches(599, "5XX"));
  EXPECT_FALSE(keel::status_matches(200, "5XX"));
}

TEST(StatusMatches, DefaultCoversEveryValidStatus) {
  for (int status : {100, 200, 204, 302, 404, 500, 599})
    EXPECT_TRUE(keel::status_matches(status, "default")) << status;
}

TEST(StatusMatches, OutOfRangeStatusMatchesNothing) {
  for (int status : {-1, 0, 99, 600, 700, 1000}) {
    EXPECT_FALSE(keel::status_matches(status, "default")) << status;
    EXPECT_FALSE(keel::status_matches(status, std::to_string(status))) << status;
  }
  // 6XX is no range HTTP defines; a status from it is refused too.
  EXPECT_FALSE(keel::status_matches(600, "6XX"));
  EXPECT_FALSE(keel::status_matches(99, "0XX"));
}

}  // namespace
