#include <keel/validation.h>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace keel::schema {
namespace {

using Json = nlohmann::json;

TEST(RuntimeValidation, TypesTreatWholeFloatsAsIntegers) {
  EXPECT_TRUE(has_type(Json(1.0), type_integer));
  EXPECT_FALSE(has_type(Json(1.5), type_integer));
  EXPECT_TRUE(has_type(Json(1.5), type_number));
  EXPECT_TRUE(has_type(Json(-3), type_number));
  EXPECT_FALSE(has_type(Json(true), type_integer | type_number));
  EXPECT_TRUE(has_type(Json(nullptr), type_null | type_string));
  EXPECT_FALSE(is_integral(std::numeric_limits<double>::infinity()));
}

TEST(RuntimeValidation, NumbersCompareExactlyAcrossRepresentations) {
  EXPECT_EQ(compare_number(Json(std::int64_t{9007199254740993}), 9007199254740992.0), 1);
  EXPECT_EQ(compare_number(Json(std::uint64_t{18446744073709551615u}), std::int64_t{-1}), 1);
  EXPECT_EQ(compare_number(Json(std::int64_t{-1}), std::uint64_t{0}), -1);
  EXPECT_EQ(compare_number(Json(1.0), std::int64_t{1}), 0);
  EXPECT_EQ(compare_number(Json(0.5), std::int64_t{0}), 1);
  EXPECT_EQ(compare_number(Json(-0.5), std::int64_t{0}), -1);
  EXPECT_EQ(compare_number(Json(1e300), std::uint64_t{18446744073709551615u}), 1);
  EXPECT_EQ(compare_number(Json(std::int64_t{5}), std::numeric_limits<double>::infinity()), -1);
  EXPECT_EQ(compare_number(Json("5"), std::int64_t{5}), -2);
  // Parsed non-negative integers are unsigned in nlohmann::json.
  EXPECT_EQ(compare_number(Json::parse("5"), std::int64_t{5}), 0);
  EXPECT_EQ(compare_number(Json::parse("5"), std::int64_t{-5}), 1);
  EXPECT_EQ(compare_number(Json::parse("-5"), std::int64_t{5}), -1);
  EXPECT_TRUE(above(Json::parse("18446744073709551615"), std::int64_t{9007199254740992}));
  EXPECT_TRUE(below(Json::parse("-1"), std::uint64_t{0}));
  EXPECT_TRUE(at_or_above(Json(std::nan("")), 1.0));
}

TEST(RuntimeValidation, MultipleOfIsExactInDecimal) {
  Divisor ten_thousandth{1, -4, 0.0001};
  EXPECT_TRUE(is_multiple_of(Json(0.0075), ten_thousandth));
  EXPECT_FALSE(is_multiple_of(Json(0.00751), ten_thousandth));
  EXPECT_TRUE(is_multiple_of(Json(std::int64_t{-12}), ten_thousandth));
  Divisor half{5, -1, 0.5};
  EXPECT_TRUE(is_multiple_of(Json(1e308), half));
  EXPECT_FALSE(is_multiple_of(Json(0.75), half));
  Divisor odd{123456789, -9, 0.123456789};
  EXPECT_FALSE(is_multiple_of(Json(1e308), odd));
  Divisor two{2, 0, 2.0};
  EXPECT_TRUE(is_multiple_of(Json(std::uint64_t{18446744073709551614u}), two));
  EXPECT_FALSE(is_multiple_of(Json(std::uint64_t{18446744073709551615u}), two));
  EXPECT_TRUE(is_multiple_of(Json("not a number"), two));
}

TEST(RuntimeValidation, LengthsCountCodePoints) {
  EXPECT_EQ(code_points("abc"), 3u);
  EXPECT_EQ(code_points("\xC3\xA9t\xC3\xA9"), 3u);         // été
  EXPECT_EQ(code_points("\xF0\x9F\x92\xA9\xF0\x9F\x92\xA9"), 2u);  // two astral characters
}

TEST(RuntimeValidation, EqualityIsJsonEquality) {
  EXPECT_TRUE(json_equal(Json(1), Json(1.0)));
  EXPECT_FALSE(json_equal(Json(true), Json(1)));
  EXPECT_FALSE(json_equal(Json(0), Json(false)));
  EXPECT_TRUE(json_equal(Json::parse(R"({"a": [1, {"b": 2.0}]})"), Json::parse(R"({"a": [1.0, {"b": 2}]})")));
  EXPECT_FALSE(json_equal(Json::parse(R"({"a": 1})"), Json::parse(R"({"b": 1})")));
  EXPECT_FALSE(json_equal(Json::parse("[1, 2]"), Json::parse("[2, 1]")));
  EXPECT_FALSE(json_equal(Json(std::int64_t{9007199254740993}), Json(9007199254740992.0)));
  // A scalar never equals a container, whichever side it is on.
  EXPECT_FALSE(json_equal(Json("a"), Json::array({"a"})));
  EXPECT_FALSE(json_equal(Json::array({1}), Json(1)));
  EXPECT_FALSE(json_equal(Json(nullptr), Json::object()));
  EXPECT_FALSE(json_equal(Json::array(), Json::object()));
  EXPECT_TRUE(json_equal(Json("a"), Json("a")));
}

TEST(RuntimeValidation, EqualityOfDeepValuesDoesNotRecurse) {
  Json a = 1, b = 1;
  for (int i = 0; i < 200000; ++i) {
    a = Json::array({std::move(a)});
    b = Json::array({std::move(b)});
  }
  EXPECT_TRUE(json_equal(a, b));
}

TEST(RuntimeValidation, DuplicatesAreFoundByValueInLargeArrays) {
  Json::array_t items;
  for (int i = 0; i < 1000; ++i) items.push_back(i);
  std::size_t first = 0, second = 0;
  EXPECT_FALSE(find_duplicate(items, first, second));
  items.push_back(Json(500.0));
  ASSERT_TRUE(find_duplicate(items, first, second));
  EXPECT_EQ(first, 500u);
  EXPECT_EQ(second, 1000u);
  Json::array_t mixed{Json(1), Json(true), Json::parse(R"({"a": 1})"), Json::parse(R"({"a": 1.0})")};
  ASSERT_TRUE(find_duplicate(mixed, first, second));
  EXPECT_EQ(first, 2u);
  EXPECT_EQ(second, 3u);
}

TEST(RuntimeValidation, MembersVisitsEveryMemberInTheMapsOrder) {
  // Every size up to 64 members (trees of every shape the balancing makes),
  // filled in three orders; the generated loops must see exactly what
  // std::map's own iteration sees, element by element.
  for (std::size_t size = 0; size <= 64; ++size) {
    for (int order = 0; order < 3; ++order) {
      Json object = Json::object();
      for (std::size_t k = 0; k < size; ++k) {
        std::size_t n = order == 0 ? k : order == 1 ? size - 1 - k : (k * 67) % size;  // a permutation: 67 is prime, > 64
        object["m" + std::to_string(1000 + n)] = n;
      }
      const auto& map = object.get_ref<const Json::object_t&>();
      std::vector<const Json::object_t::value_type*> expected, seen;
      for (const auto& member : map) expected.push_back(&member);
      for (const auto& member : Members(map)) seen.push_back(&member);
      EXPECT_EQ(seen, expected) << "size " << size << ", order " << order;
    }
  }
}

TEST(RuntimeValidation, EvaluatedAnnotationsMerge) {
  Evaluated a, b;
  a.mark_property(3);
  b.mark_property(70);
  b.mark_prefix(2);
  b.mark_item(5);
  a.merge(b);
  EXPECT_TRUE(a.property(3));
  EXPECT_TRUE(a.property(70));
  EXPECT_FALSE(a.property(4));
  EXPECT_TRUE(a.item(1));
  EXPECT_FALSE(a.item(2));
  EXPECT_TRUE(a.item(5));
  a.mark_all_items();
  EXPECT_TRUE(a.item(1000));
}

TEST(RuntimeValidation, ContextReportsAtTheInstancePathAndCapsErrors) {
  Options options;
  options.max_errors = 2;
  Errors errors;
  Context c(options, &errors);
  std::string key = "a/b~c";
  {
    At<Collect> at(c, key);
    At<Collect> at2(c, std::size_t{7});
    c.report("#/x", "type", "bad");
  }
  std::size_t mark = c.mark();
  c.report("#/y", "minimum", "low");
  c.rollback(mark);
  c.report("#/z", "required", "missing");
  c.report("#/w", "required", "dropped");
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors.items[0].instance_pointer(), "/a~1b~0c/7");
  EXPECT_EQ(errors.items[0].keyword_location, "#/x");
  EXPECT_EQ(errors.items[1].keyword, "required");
  EXPECT_TRUE(errors.truncated);
  std::vector<keel::FieldError> fields;
  append_field_errors(errors, "/body", fields);
  ASSERT_EQ(fields.size(), 3u);
  EXPECT_EQ(fields[0].pointer, "/body/a~1b~0c/7");
  EXPECT_EQ(fields[0].code, "type");
  EXPECT_EQ(fields[2].pointer, "/body");
  EXPECT_EQ(fields[2].code, "too_many_errors");
}

// The first errors and path steps live inline; past that both spill to the
// heap, and copies and moves keep every error whichever storage it is in.
TEST(RuntimeValidation, ErrorsAndPathSpillPastTheirInlineCapacity) {
  Options options;
  Errors errors;
  Context c(options, &errors);
  std::vector<std::string> keys;
  for (int k = 0; k < 40; ++k) keys.push_back("k" + std::to_string(k));
  std::vector<std::unique_ptr<At<Collect>>> steps;
  for (const auto& key : keys) steps.push_back(std::make_unique<At<Collect>>(c, key));
  EXPECT_EQ(c.path.size(), 40u);
  c.report("#/deep", "type", "deep");
  steps.clear();
  EXPECT_TRUE(c.path.empty());
  EXPECT_EQ(errors.items[0].instance_pointer().substr(0, 8), "/k0/k1/k");
  EXPECT_EQ(errors.items[0].instance_pointer().size(), 40u + 10u * 2u + 30u * 3u);

  Errors few;
  Context small(options, &few);
  small.report("#/a", "type", "a");
  Errors few_copy = few;
  Errors few_moved = std::move(few);
  ASSERT_EQ(few_copy.size(), 1u);
  ASSERT_EQ(few_moved.size(), 1u);
  EXPECT_TRUE(few.empty());
  EXPECT_EQ(few_moved.items[0].message(), "a");

  for (int k = 1; k < 20; ++k) c.report("#/more", "type", "error " + std::to_string(k));
  ASSERT_EQ(errors.size(), 20u);
  const std::size_t mark = c.mark();
  c.report("#/dropped", "type", "dropped");
  c.rollback(mark);
  Errors copy = errors;
  Errors moved = std::move(errors);
  ASSERT_EQ(copy.size(), 20u);
  ASSERT_EQ(moved.size(), 20u);
  EXPECT_EQ(copy.items[19].message(), "error 19");
  EXPECT_EQ(moved.items.back().message(), "error 19");
  copy = few_copy;
  ASSERT_EQ(copy.size(), 1u);
  EXPECT_EQ(copy.items.front().keyword_location, "#/a");
  moved = std::move(copy);
  ASSERT_EQ(moved.size(), 1u);
  EXPECT_EQ(moved.items[0].message(), "a");
}

TEST(RuntimeValidation, TheFastPathRecordsNothing) {
  Options options;
  Context c(options, nullptr);
  std::string key = "k";
  At<Fast> at(c, key);
  EXPECT_TRUE(c.path.empty());
  c.report("#", "type", "ignored");
  EXPECT_FALSE(c.collecting());
}

TEST(RuntimeValidation, DepthLimitAbortsOnce) {
  Options options;
  options.max_depth = 2;
  Errors errors;
  Context c(options, &errors);
  Depth one(c);
  EXPECT_TRUE(one.ok("#"));
  Depth two(c);
  EXPECT_TRUE(two.ok("#"));
  Depth three(c);
  EXPECT_FALSE(three.ok("#/items"));
  Depth four(c);
  EXPECT_FALSE(four.ok("#/items"));
  EXPECT_TRUE(c.aborted);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors.items[0].keyword, "$depth");
}

// Once aborted, every recursive function stops at its guard, however
// shallow: the branches an anyOf still tries after the abort cost nothing.
TEST(RuntimeValidation, AnAbortStopsEveryDepthGuard) {
  Options options;
  Context c(options, nullptr);
  c.abort("#/pattern", "pattern", "the regular expression exceeded its match limit");
  Depth one(c);
  EXPECT_FALSE(one.ok("#"));
}

TEST(RuntimeValidation, MessagesAreReadable) {
  Options options;
  Errors errors;
  Context c(options, &errors);
  fail_type(c, "#/type", type_integer | type_null, Json("x"));
  fail_bound(c, "#/minimum", "minimum", "5", Json(3));
  fail_count(c, "#/minLength", "minLength", 2, 1);
  fail_required(c, "#/required", "name");
  EXPECT_EQ(errors.items[0].message(), "expected null or integer, got string");
  EXPECT_EQ(errors.items[1].message(), "must be >= 5 (is 3)");
  EXPECT_EQ(errors.items[2].message(), "must be at least 2 characters long (is 1)");
  EXPECT_EQ(errors.items[3].message(), "missing required property \"name\"");
}

TEST(RuntimeValidation, OpenApiDialectMessages) {
  Options options;
  EXPECT_EQ(options.direction, Direction::any);  // plain JSON Schema unless told otherwise
  Errors errors;
  Context c(options, &errors);
  std::string key = "id";
  {
    At<Collect> at(c, key);
    fail_read_only(c, "#/properties/id/readOnly");
    fail_write_only(c, "#/properties/id/writeOnly");
  }
  const char* values = R"(["cat","dog"])";
  fail_discriminator(c, "#/discriminator", "pet/type", values, Json::object());
  fail_discriminator(c, "#/discriminator", "pet/type", values, Json{{"pet/type", "bird"}});
  fail_discriminator(c, "#/discriminator", "pet/type", values, Json{{"pet/type", 3}});
  ASSERT_EQ(errors.size(), 5u);
  EXPECT_EQ(errors.items[0].instance_pointer(), "/id");
  EXPECT_EQ(errors.items[0].keyword, "readOnly");
  EXPECT_EQ(errors.items[0].message(), "is read-only: a request must not send it");
  EXPECT_EQ(errors.items[1].keyword, "writeOnly");
  EXPECT_EQ(errors.items[1].message(), "is write-only: a response must not return it");
  // At the discriminator property, present or not; the path is left as it was.
  for (std::size_t k = 2; k < 5; ++k) {
    EXPECT_EQ(errors.items[k].instance_pointer(), "/pet~1type");
    EXPECT_EQ(errors.items[k].keyword, "discriminator");
  }
  EXPECT_TRUE(c.path.empty());
  EXPECT_EQ(errors.items[2].message(),
            R"(missing discriminator property "pet/type": must be one of ["cat","dog"])");
  EXPECT_EQ(errors.items[3].message(), R"(must be one of ["cat","dog"] (is "bird"))");
  EXPECT_EQ(errors.items[4].message(), R"(must be a string, one of ["cat","dog"] (is integer))");
}

// Errors are recorded unformatted; message() writes the same sentences the
// eager reports wrote, from the recorded parameters and the pointer.
TEST(RuntimeValidation, MessagesAreWrittenFromTheRecordedParameters) {
  Options options;
  Errors errors;
  Context c(options, &errors);
  std::string key = "a/b~c";
  {
    At<Collect> at(c, key);
    fail_property_not_allowed(c, "#/additionalProperties", "additionalProperties");
    At<Collect> item(c, std::size_t{12});
    fail_item_not_allowed(c, "#/items", "items");
    fail_bound(c, "#/maximum", "maximum", "2.5", Json(3.75));
    fail_bound(c, "#/exclusiveMinimum", "exclusiveMinimum", "0", Json(std::int64_t{-7}));
    fail_unique(c, "#/uniqueItems", 1, 4);
    fail_dependent_required(c, "#/dependentRequired", "a", "b");
    fail_one_of(c, "#/oneOf", 2);
  }
  c.abort("#/items", "$depth", Detail::depth);
  ASSERT_EQ(errors.size(), 8u);
  EXPECT_EQ(errors.items[0].message(), R"(property "a/b~c" is not allowed)");
  EXPECT_EQ(errors.items[1].instance_pointer(), "/a~1b~0c/12");
  EXPECT_EQ(errors.items[1].message(), "item 12 is not allowed");
  EXPECT_EQ(errors.items[2].message(), "must be <= 2.5 (is 3.75)");
  EXPECT_EQ(errors.items[3].message(), "must be > 0 (is -7)");
  EXPECT_EQ(errors.items[4].message(), "items must be unique; items 1 and 4 are equal");
  EXPECT_EQ(errors.items[5].message(), R"(property "a" requires property "b")");
  EXPECT_EQ(errors.items[6].message(), "must match exactly one schema in 'oneOf' (matched 2)");
  EXPECT_EQ(errors.items[7].instance_pointer(), "");
  EXPECT_EQ(errors.items[7].message(),
            "the instance nests deeper than the validator's limit of 512 evaluation levels");
}

// Quoted text is JSON-escaped; long text is cut (at a UTF-8 character
// boundary) and marked with "...".
TEST(RuntimeValidation, MessagesQuoteAndCutLongText) {
  Options options;
  Errors errors;
  Context c(options, &errors);
  std::string accents;
  for (int k = 0; k < 100; ++k) accents += "\xc3\xa9";  // é, two bytes each
  const std::string long_const = "\"" + std::string(100, 'x') + "\"";
  fail_pattern(c, "#/pattern", "^a\"b\\c\x01$");
  fail_pattern(c, "#/pattern", accents.c_str());
  fail_const(c, "#/const", long_const.c_str());
  fail_count(c, "#/maxItems", "maxItems", 3, 5);
  fail_count(c, "#/minContains", "minContains", 2, 1);
  fail_contains(c, "#/contains", 1, 0);
  fail_max_contains(c, "#/maxContains", 2, 3);
  fail_one_of(c, "#/oneOf", 0);
  fail_type(c, "#/type", 0, Json(1.5));
  fail_bound(c, "#/maximum", "maximum", "10", Json(std::uint64_t{18446744073709551615u}));
  fail_format(c, "#/format", "email");
  fail_multiple_of(c, "#/multipleOf", "0.5");
  ASSERT_EQ(errors.size(), 12u);
  EXPECT_EQ(errors.items[0].message(), R"(must match the pattern "^a\"b\\c\u0001$")");
  // '"' + 39 whole characters (79 bytes): the 80th byte is the second half of one.
  std::string cut = "must match the pattern \"";
  for (int k = 0; k < 39; ++k) cut += "\xc3\xa9";
  EXPECT_EQ(errors.items[1].message(), cut + "...");
  EXPECT_EQ(errors.items[2].message(), "must be equal to " + long_const.substr(0, 80) + "...");
  EXPECT_EQ(errors.items[3].message(), "must have at most 3 items (has 5)");
  EXPECT_EQ(errors.items[4].message(), "minContains is 2 (found 1)");
  EXPECT_EQ(errors.items[5].message(),
            "must contain at least 1 item matching the contains schema (found 0)");
  EXPECT_EQ(errors.items[6].message(),
            "must contain at most 2 items matching the contains schema (found 3)");
  EXPECT_EQ(errors.items[7].message(), "must match exactly one schema in 'oneOf' (matched none)");
  EXPECT_EQ(errors.items[8].message(), "expected nothing, got number");
  EXPECT_EQ(errors.items[9].message(), "must be <= 10 (is 18446744073709551615)");
  EXPECT_EQ(errors.items[10].message(), "must be a valid email");
  EXPECT_EQ(errors.items[11].message(), "must be a multiple of 0.5");
}

int memo_calls = 0;
bool invalid_body(const Json&, Context&, Evaluated*) {
  ++memo_calls;
  return false;
}
bool valid_body(const Json&, Context&, Evaluated*) {
  ++memo_calls;
  return true;
}

// Past Options::memo_after recursive evaluations, a recursive function's
// verdict on one instance value is computed once per sink.
TEST(RuntimeValidation, VerdictsAreRememberedPastTheThreshold) {
  Options options;
  options.memo_after = 2;
  Context c(options, nullptr);
  Json a = 1, b = 2;
  Depth one(c), two(c);
  EXPECT_FALSE(c.memoizing());
  Depth three(c);
  EXPECT_TRUE(c.memoizing());
  memo_calls = 0;
  EXPECT_FALSE(memoized<Fast>(c, 5, a, nullptr, &invalid_body));
  EXPECT_FALSE(memoized<Fast>(c, 5, a, nullptr, &invalid_body));
  EXPECT_EQ(memo_calls, 1);
  EXPECT_FALSE(memoized<Collect>(c, 5, a, nullptr, &invalid_body));  // another sink
  EXPECT_FALSE(memoized<Fast>(c, 6, a, nullptr, &invalid_body));     // another function
  EXPECT_EQ(memo_calls, 3);
  EXPECT_TRUE(memoized<Fast>(c, 5, b, nullptr, &valid_body));
  EXPECT_TRUE(memoized<Fast>(c, 5, b, nullptr, &valid_body));
  EXPECT_EQ(memo_calls, 4);
  // A valid verdict does not carry the annotations a caller asks for.
  Evaluated evaluated;
  EXPECT_TRUE(memoized<Fast>(c, 5, b, &evaluated, &valid_body));
  EXPECT_EQ(memo_calls, 5);
  {
    NoMemo temporary(c);  // propertyNames validates a temporary
    EXPECT_FALSE(c.memoizing());
  }
  EXPECT_TRUE(c.memoizing());
}

}  // namespace
}  // namespace keel::schema
