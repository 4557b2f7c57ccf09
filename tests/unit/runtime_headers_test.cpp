#include <keel/http.h>

#include <gtest/gtest.h>

namespace {

TEST(RuntimeHeaders, CaseInsensitiveLookupKeepsOrderAndDuplicates) {
  keel::Headers headers;
  headers.add("Link", "<a>");
  headers.add("link", "<b>");
  headers.add("X-Other", "1");
  EXPECT_EQ(*headers.find("LINK"), "<a>");
  EXPECT_EQ(headers.items().size(), 3u);
  headers.set("LiNk", "<c>");
  EXPECT_EQ(headers.items().size(), 2u);
  EXPECT_EQ(*headers.find("link"), "<c>");
  EXPECT_FALSE(headers.contains("missing"));
  EXPECT_TRUE(keel::iequals("Content-Type", "content-TYPE"));
  EXPECT_FALSE(keel::iequals("a", "ab"));
}

}  // namespace
