// CSV and JSON-rows parsing and column type inference.
#include "datasets/csv.h"
#include "datasets/inference.h"
#include "datasets/json_rows.h"
#include "handlers_test_support.h"

#include <keel/error.h>

#include <gtest/gtest.h>

using namespace keel::reference;
using keel::reference::test_support::error_of;

namespace {

std::vector<Cell> cells(std::initializer_list<const char*> values) {
  std::vector<Cell> out;
  for (const char* v : values) out.push_back(v ? Cell(v) : Cell());
  return out;
}

} // namespace

TEST(Csv, HeaderAndRowsWithLf) {
  Table t = parse_csv("a,b\n1,x\n2,y\n");
  EXPECT_EQ(t.names, (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(t.row_count(), 2u);
  EXPECT_EQ(*t.columns[0][1], "2");
  EXPECT_EQ(*t.columns[1][0], "x");
}

TEST(Csv, CrlfAndNoTrailingNewline) {
  Table t = parse_csv("a,b\r\n1,x\r\n2,y");
  ASSERT_EQ(t.row_count(), 2u);
  EXPECT_EQ(*t.columns[1][1], "y");
}

TEST(Csv, QuotedFieldsWithSeparatorsNewlinesAndEscapedQuotes) {
  Table t = parse_csv("name,note\r\n\"Smith, J\",\"said \"\"hi\"\"\r\nthen left\"\r\n");
  ASSERT_EQ(t.row_count(), 1u);
  EXPECT_EQ(*t.columns[0][0], "Smith, J");
  EXPECT_EQ(*t.columns[1][0], "said \"hi\"\r\nthen left");
}

TEST(Csv, EmptyUnquotedIsNullQuotedEmptyIsEmptyString) {
  Table t = parse_csv("a,b,c\n,\"\",x\n");
  EXPECT_FALSE(t.columns[0][0].has_value());
  ASSERT_TRUE(t.columns[1][0].has_value());
  EXPECT_EQ(*t.columns[1][0], "");
  // A trailing comma makes a final null field.
  Table u = parse_csv("a,b\n1,\n");
  EXPECT_FALSE(u.columns[1][0].has_value());
}

TEST(Csv, BomAndBlankLinesAreSkipped) {
  Table t = parse_csv("\xEF\xBB\xBF"
                      "a\n1\n\n2\n\n\n");
  EXPECT_EQ(t.names[0], "a");
  EXPECT_EQ(t.row_count(), 2u);
}

TEST(Csv, InconsistentFieldCountNamesLineAndRow) {
  auto e = error_of([] { parse_csv("a,b\n1,2\n3\n"); });
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(e.code, "invalid_csv");
  EXPECT_NE(e.hint.find("line 3"), std::string::npos) << e.hint;
  EXPECT_NE(e.hint.find("row 2"), std::string::npos) << e.hint;
  EXPECT_NE(e.hint.find("expected 2 fields, found 1"), std::string::npos) << e.hint;
}

TEST(Csv, LineNumbersCountNewlinesInsideQuotes) {
  auto e = error_of([] { parse_csv("a,b\n\"x\ny\",1\n1,2,3\n"); });
  EXPECT_NE(e.hint.find("line 4"), std::string::npos) << e.hint;
}

TEST(Csv, Malformed) {
  EXPECT_EQ(error_of([] { parse_csv("a,b\n\"open,1\n"); }).code, "invalid_csv");
  EXPECT_NE(error_of([] { parse_csv("a,b\n\"open,1\n"); }).hint.find("never closed"),
            std::string::npos);
  EXPECT_EQ(error_of([] { parse_csv("a,b\n\"x\"y,1\n"); }).code, "invalid_csv");
  EXPECT_EQ(error_of([] { parse_csv("a,b\nx\"y,1\n"); }).code, "invalid_csv");
  EXPECT_EQ(error_of([] { parse_csv("a,b\r1,2\n"); }).code, "invalid_csv");
  EXPECT_EQ(error_of([] { parse_csv("a,a\n1,2\n"); }).code, "invalid_csv");
  EXPECT_EQ(error_of([] { parse_csv("a,,c\n1,2,3\n"); }).code, "invalid_csv");
  auto bad_utf8 = error_of([] { parse_csv("a\nok\n\xff\n"); });
  EXPECT_EQ(bad_utf8.code, "invalid_csv");
  EXPECT_NE(bad_utf8.hint.find("line 3"), std::string::npos) << bad_utf8.hint;
}

TEST(Csv, EmptyInputs) {
  EXPECT_EQ(error_of([] { parse_csv(""); }).code, "empty_dataset");
  EXPECT_EQ(error_of([] { parse_csv("\n\n"); }).code, "empty_dataset");
  EXPECT_EQ(error_of([] { parse_csv("a,b\n"); }).code, "empty_dataset");
}

TEST(Csv, WriterRoundTrips) {
  std::string out;
  append_csv_field(out, "plain");
  out += ',';
  append_csv_field(out, "with, comma and \"quote\"\nand newline");
  out += ',';
  append_csv_field(out, "");
  EXPECT_EQ(out, "plain,\"with, comma and \"\"quote\"\"\nand newline\",\"\"");
  Table t = parse_csv("a,b,c\n" + out + "\n");
  EXPECT_EQ(*t.columns[1][0], "with, comma and \"quote\"\nand newline");
  EXPECT_EQ(*t.columns[2][0], "");
}

TEST(Inference, ScalarParsers) {
  EXPECT_EQ(parse_integer("42"), 42);
  EXPECT_EQ(parse_integer("-7"), -7);
  EXPECT_EQ(parse_integer("0"), 0);
  EXPECT_FALSE(parse_integer("007"));
  EXPECT_FALSE(parse_integer("+1"));
  EXPECT_FALSE(parse_integer("1.0"));
  EXPECT_FALSE(parse_integer("99999999999999999999"));
  EXPECT_EQ(parse_number("1.5"), 1.5);
  EXPECT_EQ(parse_number("-0.25e2"), -25.0);
  EXPECT_EQ(parse_number(".5"), 0.5);
  EXPECT_FALSE(parse_number("1."));
  EXPECT_FALSE(parse_number("inf"));
  EXPECT_FALSE(parse_number("nan"));
  EXPECT_FALSE(parse_number("1e999"));
  EXPECT_FALSE(parse_number("0x10"));
  EXPECT_FALSE(parse_number(" 1"));
  EXPECT_EQ(parse_boolean("TRUE"), true);
  EXPECT_EQ(parse_boolean("false"), false);
  EXPECT_FALSE(parse_boolean("yes"));
}

TEST(Inference, ColumnTypes) {
  EXPECT_EQ(infer_type(cells({"1", "2", nullptr, "-3"})), ColumnType::integer);
  EXPECT_EQ(infer_type(cells({"1", "2.5", nullptr})), ColumnType::number);
  EXPECT_EQ(infer_type(cells({"true", "False", nullptr})), ColumnType::boolean);
  EXPECT_EQ(infer_type(cells({"1", "x"})), ColumnType::string);
  EXPECT_EQ(infer_type(cells({"true", "1"})), ColumnType::string);
  EXPECT_EQ(infer_type(cells({"02134", "10001"})), ColumnType::string);
  EXPECT_EQ(infer_type(cells({nullptr, nullptr})), ColumnType::string);
  EXPECT_EQ(infer_type(cells({""})), ColumnType::string);
}

TEST(JsonRows, UnionOfKeysInFirstSeenOrderWithNullsForMissing) {
  auto rows = nlohmann::ordered_json::parse(
      R"([{"z": 1, "a": "x"}, {"a": "y", "m": true}, {"z": null, "m": false}])");
  Table t = table_from_json_rows(rows);
  EXPECT_EQ(t.names, (std::vector<std::string>{"z", "a", "m"}));
  ASSERT_EQ(t.row_count(), 3u);
  EXPECT_EQ(t.types, (std::vector<ColumnType>{ColumnType::integer, ColumnType::string,
                                              ColumnType::boolean}));
  EXPECT_FALSE(t.columns[2][0].has_value()); // "m" missing in row 0
  EXPECT_FALSE(t.columns[0][2].has_value()); // explicit null
  EXPECT_EQ(*t.columns[2][1], "true");
}

TEST(JsonRows, TypesFollowJsonValues) {
  auto rows = nlohmann::ordered_json::parse(
      R"([{"i": 1, "n": 1, "s": "42", "mixed": 1}, {"i": 2, "n": 2.5, "s": "7", "mixed": "a"}])");
  Table t = table_from_json_rows(rows);
  EXPECT_EQ(t.types, (std::vector<ColumnType>{ColumnType::integer, ColumnType::number,
                                              ColumnType::string, ColumnType::string}));
  EXPECT_EQ(*t.columns[1][1], "2.5");
}

TEST(JsonRows, Errors) {
  auto nested = error_of([] {
    table_from_json_rows(nlohmann::ordered_json::parse(R"([{"a": 1}, {"a": 2}, {"a": {"b": 1}}])"));
  });
  EXPECT_EQ(nested.code, "invalid_rows");
  EXPECT_NE(nested.hint.find("row 2"), std::string::npos) << nested.hint;
  EXPECT_NE(nested.hint.find("an object"), std::string::npos) << nested.hint;
  auto array =
      error_of([] { table_from_json_rows(nlohmann::ordered_json::parse(R"([{"a": [1]}])")); });
  EXPECT_EQ(array.code, "invalid_rows");
  auto not_object =
      error_of([] { table_from_json_rows(nlohmann::ordered_json::parse(R"([{"a": 1}, 3])")); });
  EXPECT_NE(not_object.hint.find("row 1 is not an object"), std::string::npos);
  EXPECT_EQ(error_of([] { table_from_json_rows(nlohmann::ordered_json::parse("{}")); }).code,
            "invalid_rows");
  EXPECT_EQ(error_of([] { table_from_json_rows(nlohmann::ordered_json::parse("[]")); }).code,
            "empty_dataset");
}

TEST(Table, EncodeDecodeRoundTrip) {
  Table t = parse_csv("a,b\n1,\n\"x\"\"y\",\"\"\n");
  std::string blob = encode_rows(t);
  Table back;
  back.names = t.names;
  decode_rows(blob, back);
  EXPECT_EQ(back.columns, t.columns);
}
