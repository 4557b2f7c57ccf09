// keel/model.h: the vocabulary types of generated models.
#include <keel/model.h>

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace {

using nlohmann::json;

TEST(RuntimeModel, BoxCopiesDeeplyAndConverts) {
  keel::Box<std::string> a(std::string("x"));
  keel::Box<std::string> b = a;
  *b = "y";
  EXPECT_EQ(*a, "x");
  EXPECT_EQ(b->size(), 1u);
  a = b;
  EXPECT_EQ(*a, "y");
  json j = a;
  EXPECT_EQ(j, "y");
  keel::Box<std::string> c;
  json("z").get_to(c);
  EXPECT_EQ(*c, "z");
}

TEST(RuntimeModel, NullableIsNullWhenEmpty) {
  keel::Nullable<int> n = nullptr;
  EXPECT_TRUE(n.is_null());
  EXPECT_EQ(json(n), json(nullptr));
  n = 3;
  EXPECT_EQ(json(n), json(3));
  json(nullptr).get_to(n);
  EXPECT_TRUE(n.is_null());
  json(4).get_to(n);
  EXPECT_EQ(*n, 4);
}

TEST(RuntimeModel, NumberKeepsItsForm) {
  for (const char* text : {"3", "3.0", "-7", "0.5", "18446744073709551615", "-9223372036854775808"}) {
    json in = json::parse(text);
    keel::Number n = in.get<keel::Number>();
    EXPECT_EQ(json(n).dump(), in.dump()) << text;
  }
  keel::Number half = 0.5;
  EXPECT_DOUBLE_EQ(half, 0.5);
  EXPECT_FALSE(half.is_integer());
  EXPECT_TRUE(keel::Number(2).is_integer());
}

// The member conversions generated to_json/from_json call: each vocabulary
// type and container round-trips exactly, and a mismatch throws.
TEST(RuntimeModel, WriteAndReadJsonRoundTrip) {
  const json in = json::parse(R"({"flags": [true, false, true], "counts": {"a": 1, "b": null},
                                  "names": ["x", "y"], "any": {"k": [1, 2.5]}, "n": 3.0})");
  std::vector<bool> flags;
  keel::read_json(in.at("flags"), flags);
  EXPECT_EQ(flags, (std::vector<bool>{true, false, true}));
  std::map<std::string, keel::Nullable<std::int64_t>> counts;
  keel::read_json(in.at("counts"), counts);
  ASSERT_EQ(counts.size(), 2u);
  EXPECT_EQ(*counts.at("a"), 1);
  EXPECT_TRUE(counts.at("b").is_null());
  keel::Box<std::vector<std::string>> names;
  keel::read_json(in.at("names"), names);
  EXPECT_EQ(*names, (std::vector<std::string>{"x", "y"}));
  json any;
  keel::read_json(in.at("any"), any);
  keel::Number n;
  keel::read_json(in.at("n"), n);
  EXPECT_FALSE(n.is_integer());

  json out = json::object();
  keel::write_json(out["flags"], flags);
  keel::write_json(out["counts"], counts);
  keel::write_json(out["names"], names);
  keel::write_json(out["any"], any);
  keel::write_json(out["n"], n);
  EXPECT_EQ(out, in);
  EXPECT_EQ(out.at("n").dump(), "3.0");

  std::vector<std::string> wrong;
  EXPECT_THROW(keel::read_json(json("x"), wrong), json::type_error);
  std::int64_t number = 0;
  EXPECT_THROW(keel::read_json(json("x"), number), json::type_error);
  std::map<std::string, std::string> refilled{{"old", "gone"}};
  keel::read_json(json::parse(R"({"new": "v"})"), refilled);
  EXPECT_EQ(refilled, (std::map<std::string, std::string>{{"new", "v"}}));
}

}  // namespace
