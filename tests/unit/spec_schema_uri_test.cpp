#include "spec/schema_uri.h"

#include <gtest/gtest.h>

namespace keel::gen::spec {
namespace {

TEST(SchemaUri, ResolvesTheRfc3986Examples) {
  const std::string base = "http://a/b/c/d;p?q";
  EXPECT_EQ(resolve_uri(base, "g"), "http://a/b/c/g");
  EXPECT_EQ(resolve_uri(base, "./g"), "http://a/b/c/g");
  EXPECT_EQ(resolve_uri(base, "g/"), "http://a/b/c/g/");
  EXPECT_EQ(resolve_uri(base, "/g"), "http://a/g");
  EXPECT_EQ(resolve_uri(base, "//g"), "http://g");
  EXPECT_EQ(resolve_uri(base, "?y"), "http://a/b/c/d;p?y");
  EXPECT_EQ(resolve_uri(base, "#s"), "http://a/b/c/d;p?q#s");
  EXPECT_EQ(resolve_uri(base, ""), "http://a/b/c/d;p?q");
  EXPECT_EQ(resolve_uri(base, ".."), "http://a/b/");
  EXPECT_EQ(resolve_uri(base, "../../g"), "http://a/g");
  EXPECT_EQ(resolve_uri(base, "../../../../g"), "http://a/g");
  EXPECT_EQ(resolve_uri(base, "g;x=1/../y"), "http://a/b/c/y");
}

TEST(SchemaUri, UrnsKeepTheirPathAndTakeFragments) {
  const std::string urn = "urn:uuid:deadbeef-1234-ffff-ffff-4321feebdaed";
  EXPECT_EQ(resolve_uri(urn, "#/$defs/bar"), urn + "#/$defs/bar");
  EXPECT_EQ(resolve_uri("http://x/y.json", urn), urn);
}

TEST(SchemaUri, SchemeAndHostAreCaseInsensitive) {
  EXPECT_EQ(resolve_uri("HTTP://Example.COM/a", "b"), "http://example.com/b");
}

TEST(SchemaUri, SplitsFragmentsAndDropsAnEmptyOne) {
  EXPECT_EQ(split_fragment("http://x/y#/a"), (std::pair<std::string, std::string>{"http://x/y", "/a"}));
  EXPECT_EQ(split_fragment("http://x/y#"), (std::pair<std::string, std::string>{"http://x/y", ""}));
  EXPECT_EQ(split_fragment("http://x/y"), (std::pair<std::string, std::string>{"http://x/y", ""}));
}

TEST(SchemaUri, FileUrisRoundTripWithEscapes) {
  std::string uri = file_uri("/tmp/a dir/x#1.json");
  EXPECT_EQ(uri, "file:///tmp/a%20dir/x%231.json");
  EXPECT_EQ(file_path(uri), "/tmp/a dir/x#1.json");
  EXPECT_EQ(file_path("http://x/y"), std::nullopt);
  EXPECT_EQ(resolve_uri(uri, "../b.json"), "file:///tmp/b.json");
}

TEST(SchemaUri, AbsoluteMeansHasAScheme) {
  EXPECT_TRUE(is_absolute_uri("urn:x"));
  EXPECT_TRUE(is_absolute_uri("http://x"));
  EXPECT_FALSE(is_absolute_uri("x.json"));
  EXPECT_FALSE(is_absolute_uri("#/a"));
  EXPECT_FALSE(is_absolute_uri("a/b:c"));
}

}  // namespace
}  // namespace keel::gen::spec
