// keel/model.h: the vocabulary types of generated models.
#include <keel/model.h>

#include <gtest/gtest.h>

#include <string>

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

}  // namespace
