#include <keel/param_style.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

using keel::FieldErrors;
using keel::Headers;
using nlohmann::json;
namespace p = keel::param;
using p::Decoded;
using p::Shape;
using p::Style;

namespace {

constexpr p::Property kUserProps[] = {{"role", keel::type_string}, {"firstName", keel::type_string}};
constexpr Shape kId{Shape::Kind::primitive, keel::type_integer};
constexpr Shape kIds{Shape::Kind::array, keel::type_integer};
constexpr Shape kUser{Shape::Kind::object, 0, kUserProps};

constexpr p::Property kColorProps[] = {
    {"R", keel::type_integer}, {"G", keel::type_integer}, {"B", keel::type_integer}};
constexpr Shape kColor{Shape::Kind::object, 0, kColorProps};

p::Param param(std::string_view name, std::string_view pointer, Style style, bool explode,
               Shape shape) {
  return {.name = name, .pointer = pointer, .style = style, .explode = explode, .shape = shape};
}

enum class In { path, query, header, cookie };

struct Outcome {
  Decoded decoded;
  json value;
  FieldErrors errors;
};

Outcome run(In in, const p::Param& prm, std::string_view wire) {
  Outcome o{Decoded::invalid, json(), {}};
  switch (in) {
  case In::path:
    o.decoded = p::decode_path(wire, prm, o.value, o.errors);
    break;
  case In::query: {
    const p::RawQuery q(wire, o.errors);
    o.decoded = p::decode_query(q, prm, o.value, o.errors);
    break;
  }
  case In::header: {
    Headers h;
    h.add(std::string(prm.name), std::string(wire));
    o.decoded = p::decode_header(h, prm, o.value, o.errors);
    break;
  }
  case In::cookie: {
    const std::string header(wire);
    const keel::CookieParams c(&header);
    o.decoded = p::decode_cookie(c, prm, o.value, o.errors);
    break;
  }
  }
  return o;
}

std::string where(In in) {
  switch (in) {
  case In::path:
    return "/path/id";
  case In::query:
    return "/query/id";
  case In::header:
    return "/header/id";
  case In::cookie:
    return "/cookie/id";
  }
  return "";
}

struct Row {
  In in;
  Style style;
  bool explode;
  const char* primitive;  // nullptr: the table says n/a
  const char* array;
  const char* object;
};

// The style examples table (OAS 3.1 §4.8.12.4, as swagger.io tabulates it)
// for id = 5, [3, 4, 5] and {"role": "admin", "firstName": "Alex"}.
const Row kTable[] = {
    {In::path, Style::simple, false, "5", "3,4,5", "role,admin,firstName,Alex"},
    {In::path, Style::simple, true, "5", "3,4,5", "role=admin,firstName=Alex"},
    {In::path, Style::label, false, ".5", ".3,4,5", ".role,admin,firstName,Alex"},
    {In::path, Style::label, true, ".5", ".3.4.5", ".role=admin.firstName=Alex"},
    {In::path, Style::matrix, false, ";id=5", ";id=3,4,5", ";id=role,admin,firstName,Alex"},
    {In::path, Style::matrix, true, ";id=5", ";id=3;id=4;id=5", ";role=admin;firstName=Alex"},
    {In::query, Style::form, true, "id=5", "id=3&id=4&id=5", "role=admin&firstName=Alex"},
    {In::query, Style::form, false, "id=5", "id=3,4,5", "id=role,admin,firstName,Alex"},
    {In::query, Style::space_delimited, true, nullptr, "id=3&id=4&id=5", nullptr},
    {In::query, Style::space_delimited, false, nullptr, "id=3%204%205",
     "id=role%20admin%20firstName%20Alex"},
    {In::query, Style::pipe_delimited, true, nullptr, "id=3&id=4&id=5", nullptr},
    {In::query, Style::pipe_delimited, false, nullptr, "id=3|4|5", "id=role|admin|firstName|Alex"},
    {In::query, Style::deep_object, true, nullptr, nullptr, "id[role]=admin&id[firstName]=Alex"},
    {In::header, Style::simple, false, "5", "3,4,5", "role,admin,firstName,Alex"},
    {In::header, Style::simple, true, "5", "3,4,5", "role=admin,firstName=Alex"},
    {In::cookie, Style::form, false, "id=5", "id=3,4,5", "id=role,admin,firstName,Alex"},
    // OAS leaves exploded cookies undefined; these are the form-style readings.
    {In::cookie, Style::form, true, "id=5", "id=3; id=4; id=5", "role=admin; firstName=Alex"},
};

}  // namespace

TEST(ParamStyle, StyleExamplesTable) {
  const json user = {{"role", "admin"}, {"firstName", "Alex"}};
  for (const Row& row : kTable) {
    const std::string ptr = where(row.in);
    SCOPED_TRACE(ptr + " style " + std::to_string(static_cast<int>(row.style)) + " explode " +
                 std::to_string(row.explode));
    if (row.primitive) {
      auto o = run(row.in, param("id", ptr, row.style, row.explode, kId), row.primitive);
      EXPECT_EQ(o.decoded, Decoded::value) << row.primitive;
      EXPECT_TRUE(o.errors.empty());
      EXPECT_EQ(o.value, json(5)) << row.primitive;
      EXPECT_TRUE(o.value.is_number_integer());
    }
    if (row.array) {
      auto o = run(row.in, param("id", ptr, row.style, row.explode, kIds), row.array);
      EXPECT_EQ(o.decoded, Decoded::value) << row.array;
      EXPECT_TRUE(o.errors.empty()) << (o.errors.empty() ? "" : o.errors[0].detail);
      EXPECT_EQ(o.value, json({3, 4, 5})) << row.array;
    }
    if (row.object) {
      auto o = run(row.in, param("id", ptr, row.style, row.explode, kUser), row.object);
      EXPECT_EQ(o.decoded, Decoded::value) << row.object;
      EXPECT_TRUE(o.errors.empty()) << (o.errors.empty() ? "" : o.errors[0].detail);
      EXPECT_EQ(o.value, user) << row.object;
    }
  }
}

TEST(ParamStyle, SpecColorExamplesWithIntegerProperties) {
  const json rgb = {{"R", 100}, {"G", 200}, {"B", 150}};
  struct Case {
    In in;
    Style style;
    bool explode;
    const char* wire;
  } cases[] = {
      {In::path, Style::simple, false, "R,100,G,200,B,150"},
      {In::path, Style::simple, true, "R=100,G=200,B=150"},
      {In::path, Style::label, false, ".R,100,G,200,B,150"},
      {In::path, Style::label, true, ".R=100.G=200.B=150"},
      {In::path, Style::matrix, false, ";color=R,100,G,200,B,150"},
      {In::path, Style::matrix, true, ";R=100;G=200;B=150"},
      {In::query, Style::form, false, "color=R,100,G,200,B,150"},
      {In::query, Style::form, true, "R=100&G=200&B=150"},
      {In::query, Style::space_delimited, false, "color=R%20100%20G%20200%20B%20150"},
      {In::query, Style::pipe_delimited, false, "color=R|100|G|200|B|150"},
      {In::query, Style::deep_object, true, "color[R]=100&color[G]=200&color[B]=150"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.wire);
    auto o = run(c.in, param("color", "/x/color", c.style, c.explode, kColor), c.wire);
    ASSERT_EQ(o.decoded, Decoded::value);
    EXPECT_EQ(o.value, rgb);
  }
}

TEST(ParamStyle, EmptyValuesPerTable) {
  constexpr Shape str{Shape::Kind::primitive, keel::type_string};
  constexpr Shape strs{Shape::Kind::array, keel::type_string};
  struct Case {
    In in;
    Style style;
    bool explode;
    const char* wire;
  } cases[] = {
      {In::path, Style::matrix, false, ";color"}, {In::path, Style::matrix, true, ";color"},
      {In::path, Style::label, false, "."},       {In::path, Style::label, true, "."},
      {In::query, Style::form, false, "color="},  {In::query, Style::form, true, "color="},
      {In::query, Style::form, false, "color"},   {In::cookie, Style::form, false, "color="},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.wire);
    auto s = run(c.in, param("color", "/x/color", c.style, c.explode, str), c.wire);
    EXPECT_EQ(s.decoded, Decoded::value);
    EXPECT_EQ(s.value, json(""));
    auto a = run(c.in, param("color", "/x/color", c.style, c.explode, strs), c.wire);
    EXPECT_EQ(a.decoded, Decoded::value);
    EXPECT_EQ(a.value, json::array());
    if (c.in == In::query && c.explode)
      continue;  // form+explode objects spread: no name on the wire
    auto o = run(c.in, param("color", "/x/color", c.style, c.explode, kColor), c.wire);
    EXPECT_EQ(o.decoded, Decoded::value);
    EXPECT_EQ(o.value, json::object());
  }
}

TEST(ParamStyle, PresenceTellsAbsentFromEmpty) {
  FieldErrors errors;
  const p::RawQuery q("a=&b&c=1&d=x&d=", errors);
  auto prm = [](std::string_view n) { return param(n, "/query/x", Style::form, true, kId); };
  EXPECT_EQ(p::presence(q, prm("a")), p::Presence::empty);
  EXPECT_EQ(p::presence(q, prm("b")), p::Presence::empty);
  EXPECT_EQ(p::presence(q, prm("c")), p::Presence::value);
  EXPECT_EQ(p::presence(q, prm("d")), p::Presence::value);
  EXPECT_EQ(p::presence(q, prm("z")), p::Presence::absent);
  const p::RawQuery deep("color[R]=1", errors);
  EXPECT_EQ(p::presence(deep, param("color", "/q", Style::deep_object, true, kColor)),
            p::Presence::value);
  EXPECT_EQ(p::presence(deep, param("colo", "/q", Style::deep_object, true, kColor)),
            p::Presence::absent);
  const p::RawQuery spread("G=", errors);
  EXPECT_EQ(p::presence(spread, param("color", "/q", Style::form, true, kColor)),
            p::Presence::empty);
  EXPECT_TRUE(errors.empty());
}

TEST(ParamStyle, AbsentAndRequired) {
  auto prm = param("id", "/query/id", Style::form, true, kId);
  auto o = run(In::query, prm, "other=1");
  EXPECT_EQ(o.decoded, Decoded::absent);
  EXPECT_TRUE(o.errors.empty());
  prm.required = true;
  for (In in : {In::query, In::header, In::cookie}) {
    o = run(in, prm, "");
    if (in == In::header) {
      Headers none;
      o.errors.clear();
      o.decoded = p::decode_header(none, prm, o.value, o.errors);
    }
    EXPECT_EQ(o.decoded, Decoded::absent);
    ASSERT_EQ(o.errors.size(), 1u);
    EXPECT_EQ(o.errors[0].pointer, "/query/id");
    EXPECT_EQ(o.errors[0].code, "required");
  }
  // Every query shape reports a missing required parameter.
  for (Shape shape : {kIds, kUser}) {
    for (Style style : {Style::form, Style::deep_object}) {
      auto q = param("id", "/query/id", style, true, shape);
      q.required = true;
      o = run(In::query, q, "x=1");
      EXPECT_EQ(o.decoded, Decoded::absent);
      ASSERT_EQ(o.errors.size(), 1u);
      EXPECT_EQ(o.errors[0].code, "required");
    }
  }
}

TEST(ParamStyle, LeafConversion) {
  using namespace p;
  using namespace keel;  // the type bits live in keel/json_type.h
  EXPECT_EQ(leaf("42", type_integer), json(42));
  EXPECT_EQ(leaf("-7", type_integer | type_string), json(-7));
  EXPECT_EQ(leaf("42", type_string), json("42"));
  EXPECT_EQ(leaf("4.5", type_number), json(4.5));
  EXPECT_TRUE(leaf("4.5", type_integer).is_number_float());  // the validator says "not an integer"
  EXPECT_EQ(leaf("1e3", type_number), json(1000.0));
  EXPECT_EQ(leaf("18446744073709551615", type_integer), json(18446744073709551615ULL));
  EXPECT_TRUE(leaf("123456789012345678901234567890", type_integer).is_number_float());
  EXPECT_EQ(leaf("true", type_boolean), json(true));
  EXPECT_EQ(leaf("false", type_boolean | type_string), json(false));
  EXPECT_EQ(leaf("True", type_boolean), json("True"));
  EXPECT_EQ(leaf("null", type_null | type_string), json(nullptr));
  EXPECT_EQ(leaf("null", type_string), json("null"));
  EXPECT_EQ(leaf("", type_integer | type_null), json(nullptr));
  EXPECT_EQ(leaf("", type_string | type_null), json(""));
  EXPECT_EQ(leaf("", type_integer), json(""));
  EXPECT_EQ(leaf("42", 0), json("42"));
  // JSON's number grammar, nothing looser: these stay strings for the validator.
  for (const char* s :
       {"+1", "01", ".5", "5.", "0x10", "1e", "inf", "nan", " 1", "1 ", "--1", "1e999", "-"})
    EXPECT_EQ(leaf(s, type_number | type_integer), json(s)) << s;
  EXPECT_EQ(leaf("-0", type_integer), json(0));
  EXPECT_EQ(leaf("0.0", type_integer), json(0.0));
}

TEST(ParamStyle, ReservedCharactersAndPercentEncodingRoundTrip) {
  constexpr Shape str{Shape::Kind::primitive, keel::type_string};
  constexpr Shape strs{Shape::Kind::array, keel::type_string};
  // An encoded comma is data; only a literal one separates items.
  auto o = run(In::path, param("v", "/path/v", Style::simple, false, strs), "a%2Cb,c%2Fd,%C3%A9");
  EXPECT_EQ(o.value, json({"a,b", "c/d", "é"}));
  // '+' is a space in a query string, a plus in a path.
  EXPECT_EQ(run(In::query, param("v", "/q", Style::form, true, str), "v=a+b%2Bc%20d").value,
            json("a b+c d"));
  EXPECT_EQ(run(In::path, param("v", "/p", Style::simple, false, str), "a+b%20c").value,
            json("a+b c"));
  // allowReserved: reserved characters arrive unencoded and '+' is a plus.
  auto reserved = param("v", "/q", Style::form, true, str);
  reserved.allow_reserved = true;
  EXPECT_EQ(run(In::query, reserved, "v=a+b/c?d:e@f!$'()*,;=g&w=1").value,
            json("a+b/c?d:e@f!$'()*,;=g"));
  auto reserved_list = param("v", "/q", Style::form, false, strs);
  reserved_list.allow_reserved = true;
  EXPECT_EQ(run(In::query, reserved_list, "v=a/b,c:d").value, json({"a/b", "c:d"}));
  // Names may be encoded too (deepObject brackets usually are).
  EXPECT_EQ(run(In::query, param("color", "/q", Style::deep_object, true, kColor),
                "color%5BR%5D=1&c%6Flor[G]=2")
                .value,
            json({{"R", 1}, {"G", 2}}));
  // Unicode in every location.
  EXPECT_EQ(
      run(In::query, param("v", "/q", Style::form, true, str), "v=%E2%82%AC%F0%9F%98%80").value,
      json("€😀"));
  EXPECT_EQ(run(In::header, param("v", "/h", Style::simple, false, str), "€ %41").value,
            json("€ %41"));
  EXPECT_EQ(run(In::cookie, param("v", "/c", Style::form, false, str), "v=%E2%82%AC+").value,
            json("€+"));
  // Label primitives keep their dots; space/pipe separators encoded or not.
  EXPECT_EQ(run(In::path, param("v", "/p", Style::label, false, str), ".a.b").value, json("a.b"));
  EXPECT_EQ(
      run(In::query, param("v", "/q", Style::space_delimited, false, strs), "v=a+b%20c d").value,
      json({"a", "b", "c", "d"}));
  EXPECT_EQ(
      run(In::query, param("v", "/q", Style::pipe_delimited, false, strs), "v=a%7Cb%7cc|d").value,
      json({"a", "b", "c", "d"}));
  // Header list items lose their optional whitespace.
  EXPECT_EQ(run(In::header, param("v", "/h", Style::simple, false, kIds), " 3 , 4,\t5 ").value,
            json({3, 4, 5}));
  EXPECT_EQ(
      run(In::header, param("v", "/h", Style::simple, true, kUser), "role = admin , firstName=Alex")
          .value,
      json({{"role", "admin"}, {"firstName", "Alex"}}));
}

TEST(ParamStyle, AdditionalPropertiesAndSiblings) {
  constexpr std::string_view siblings[] = {"limit", "page"};
  constexpr p::Property props[] = {{"R", keel::type_integer}};
  auto prm = param("color", "/query/color", Style::form, true,
                   {Shape::Kind::object, keel::type_integer, props});
  prm.siblings = siblings;
  auto o = run(In::query, prm, "R=1&X=2&limit=10&page=2&page[size]=3&name=x");
  EXPECT_EQ(o.value, json({{"R", 1}, {"X", 2}, {"name", "x"}}));
  // Without additionalProperties the object claims only its own keys.
  o = run(In::query, param("color", "/query/color", Style::form, true, kColor), "R=1&X=2");
  EXPECT_EQ(o.value, json({{"R", 1}}));
  // Non-exploded objects keep unknown keys as strings, for the validator to judge.
  o = run(In::path, param("color", "/path/color", Style::simple, false, kColor), "R,1,X,2");
  EXPECT_EQ(o.value, json({{"R", 1}, {"X", "2"}}));
  // Exploded cookies spread like query objects.
  o = run(In::cookie, param("color", "/cookie/color", Style::form, true, kColor),
          "R=1; sid=abc; B=3");
  EXPECT_EQ(o.value, json({{"R", 1}, {"B", 3}}));
}

TEST(ParamStyle, RepeatedHeaderLines) {
  Headers h;
  h.add("X-Ids", "3, 4");
  h.add("x-ids", "5");
  FieldErrors errors;
  json out;
  EXPECT_EQ(
      p::decode_header(h, param("X-Ids", "/header/X-Ids", Style::simple, false, kIds), out, errors),
      Decoded::value);
  EXPECT_EQ(out, json({3, 4, 5}));
  EXPECT_EQ(
      p::decode_header(h, param("X-Ids", "/header/X-Ids", Style::simple, false, kId), out, errors),
      Decoded::invalid);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, "duplicate_parameter");
}

TEST(ParamStyle, ContentParameters) {
  FieldErrors errors;
  json out;
  EXPECT_TRUE(p::decode_content("%7B%22a%22%3A%5B1%2C2%5D%7D", p::Location::path, true, "/path/f",
                                out, errors));
  EXPECT_EQ(out, json({{"a", {1, 2}}}));
  EXPECT_TRUE(
      p::decode_content("{\"a\": \"x%20y\"}", p::Location::header, true, "/header/f", out, errors));
  EXPECT_EQ(out, json({{"a", "x%20y"}}));
  EXPECT_TRUE(p::decode_content("a%20b", p::Location::cookie, false, "/cookie/f", out, errors));
  EXPECT_EQ(out, json("a b"));
  EXPECT_TRUE(errors.empty());

  EXPECT_FALSE(p::decode_content("{\"a\":", p::Location::path, true, "/path/f", out, errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, "invalid_json");
  EXPECT_EQ(errors[0].pointer, "/path/f");
  errors.clear();
  EXPECT_FALSE(p::decode_content("%7B%ZZ", p::Location::path, true, "/path/f", out, errors));
  EXPECT_EQ(errors.at(0).code, "invalid_encoding");
  errors.clear();
  EXPECT_FALSE(p::decode_content("\"\xff\"", p::Location::header, true, "/header/f", out, errors));
  EXPECT_EQ(errors.at(0).code, "invalid_encoding");

  auto prm = param("filter", "/query/filter", Style::form, true, {});
  prm.required = true;
  errors.clear();
  const p::RawQuery q("filter=%7B%22q%22%3A%22a+b%22%7D", errors);
  EXPECT_EQ(p::decode_query_content(q, prm, true, out, errors), Decoded::value);
  EXPECT_EQ(out, json({{"q", "a b"}}));
  const p::RawQuery twice("filter=1&filter=2", errors);
  EXPECT_EQ(p::decode_query_content(twice, prm, true, out, errors), Decoded::invalid);
  EXPECT_EQ(errors.at(0).code, "duplicate_parameter");
  errors.clear();
  const p::RawQuery none("", errors);
  EXPECT_EQ(p::decode_query_content(none, prm, true, out, errors), Decoded::absent);
  EXPECT_EQ(errors.at(0).code, "required");
  errors.clear();
  const p::RawQuery bad("filter=%7Bnope", errors);
  EXPECT_EQ(p::decode_query_content(bad, prm, true, out, errors), Decoded::invalid);
  EXPECT_EQ(errors.at(0).code, "invalid_json");
}

namespace {

void expect_error(In in, const p::Param& prm, std::string_view wire, std::string_view code,
                  std::string_view pointer = {}) {
  SCOPED_TRACE(std::string(wire));
  auto o = run(in, prm, wire);
  EXPECT_EQ(o.decoded, Decoded::invalid);
  ASSERT_EQ(o.errors.size(), 1u);
  EXPECT_EQ(o.errors[0].code, code) << o.errors[0].detail;
  EXPECT_FALSE(o.errors[0].detail.empty());
  EXPECT_EQ(o.errors[0].pointer, pointer.empty() ? std::string(prm.pointer) : std::string(pointer));
}

}  // namespace

TEST(ParamStyle, ErrorPaths) {
  constexpr Shape str{Shape::Kind::primitive, keel::type_string};
  constexpr Shape strs{Shape::Kind::array, keel::type_string};
  // Encoding.
  expect_error(In::path, param("v", "/path/v", Style::simple, false, str), "%zz",
               "invalid_encoding");
  expect_error(In::path, param("v", "/path/v", Style::simple, false, str), "ab%4",
               "invalid_encoding");
  expect_error(In::path, param("v", "/path/v", Style::simple, false, str), "%FF",
               "invalid_encoding");
  expect_error(In::path, param("v", "/path/v", Style::simple, false, str), "%C0%AF",
               "invalid_encoding");
  expect_error(In::path, param("v", "/path/v", Style::simple, false, str), "%ED%A0%80",
               "invalid_encoding");
  expect_error(In::query, param("v", "/query/v", Style::form, true, str), "v=\xff",
               "invalid_encoding");
  expect_error(In::header, param("v", "/header/v", Style::simple, false, str), "caf\xe9",
               "invalid_encoding");
  expect_error(In::cookie, param("v", "/cookie/v", Style::form, false, str), "v=%",
               "invalid_encoding");
  expect_error(In::path, param("v", "/path/v", Style::simple, false, strs), "a,%zz",
               "invalid_encoding", "/path/v/1");
  expect_error(In::path, param("v", "/path/v", Style::simple, true, kUser), "role=%zz",
               "invalid_encoding", "/path/v/role");
  // Style grammar.
  expect_error(In::path, param("v", "/path/v", Style::label, false, str), "5",
               "malformed_parameter");
  expect_error(In::path, param("v", "/path/v", Style::matrix, false, str), "v=5",
               "malformed_parameter");
  expect_error(In::path, param("v", "/path/v", Style::matrix, false, str), ";w=5",
               "malformed_parameter");
  expect_error(In::path, param("v", "/path/v", Style::matrix, true, strs), ";v=1;w=2",
               "malformed_parameter");
  expect_error(In::path, param("v", "/path/v", Style::simple, false, kUser), "role,admin,firstName",
               "malformed_parameter");
  expect_error(In::path, param("v", "/path/v", Style::simple, true, kUser), "role=admin,firstName",
               "malformed_parameter");
  expect_error(In::path, param("v", "/path/v", Style::matrix, true, kUser), ";role=admin;x",
               "malformed_parameter");
  // deepObject is one level deep.
  auto deep = param("f", "/query/f", Style::deep_object, true, kUser);
  expect_error(In::query, deep, "f[role][x]=1", "nesting_too_deep");
  expect_error(In::query, deep, "f[a][b][c][d][e][f][g]=1", "nesting_too_deep");
  expect_error(In::query, deep, "f[role=1", "malformed_parameter");
  expect_error(In::query, deep, "f[]=1", "malformed_parameter");
  expect_error(In::query, deep, "f[role]x=1", "malformed_parameter");
  // Duplicates.
  expect_error(In::query, param("v", "/query/v", Style::form, true, str), "v=1&v=2",
               "duplicate_parameter");
  expect_error(In::query, param("v", "/query/v", Style::form, false, strs), "v=1&v=2",
               "duplicate_parameter");
  expect_error(In::query, deep, "f[role]=a&f[role]=b", "duplicate_property", "/query/f/role");
  expect_error(In::query, param("f", "/query/f", Style::form, true, kUser), "role=a&role=b",
               "duplicate_property", "/query/f/role");
  expect_error(In::path, param("v", "/path/v", Style::simple, false, kUser), "role,a,role,b",
               "duplicate_property", "/path/v/role");
  // Volume.
  std::string many = "v=";
  for (std::size_t i = 0; i <= p::max_values; ++i) many += "1,";
  expect_error(In::query, param("v", "/query/v", Style::form, false, strs), many,
               "too_many_values");
  std::string repeated;
  for (std::size_t i = 0; i <= p::max_values; ++i) repeated += "v=1&";
  FieldErrors errors;
  const p::RawQuery q(repeated, errors, "query", 5000);
  json out;
  EXPECT_EQ(p::decode_query(q, param("v", "/query/v", Style::form, true, strs), out, errors),
            Decoded::invalid);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, "too_many_values");
}

TEST(ParamStyle, RawQueryLimitsAndBadNames) {
  FieldErrors errors;
  std::string huge;
  for (int i = 0; i < 5000; ++i) huge += "a=1&";
  const p::RawQuery q(huge, errors);
  EXPECT_EQ(q.pairs().size(), 1000u);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, "too_many_parameters");
  EXPECT_EQ(errors[0].pointer, "/query");

  errors.clear();
  const p::RawQuery bad("%zz=1&%FF=2&ok=3&&=4&x", errors);
  ASSERT_EQ(errors.size(), 1u);  // one report for all bad names
  EXPECT_EQ(errors[0].code, "invalid_encoding");
  ASSERT_EQ(q.pairs().size(), 1000u);
  ASSERT_EQ(bad.pairs().size(), 3u);
  EXPECT_EQ(bad.pairs()[0].name, "ok");
  EXPECT_EQ(bad.pairs()[1].name, "");
  EXPECT_EQ(bad.pairs()[1].value, "4");
  EXPECT_EQ(bad.pairs()[2].name, "x");

  // Decoded names stay valid however many there are (the buffer grows).
  std::string encoded;
  for (int i = 0; i < 200; ++i)
    encoded += "n%61me" + std::to_string(i) + "=" + std::to_string(i) + "&";
  errors.clear();
  const p::RawQuery names(encoded, errors);
  ASSERT_EQ(names.pairs().size(), 200u);
  EXPECT_EQ(names.pairs()[0].name, "name0");
  EXPECT_EQ(names.pairs()[199].name, "name199");
}

TEST(ParamStyle, QueryParamsAndCookieParamsExposeAllPairs) {
  FieldErrors errors;
  const keel::QueryParams q("a=1&b=x+y&a=2", errors);
  ASSERT_EQ(q.items().size(), 3u);
  EXPECT_EQ(q.items()[1].second, "x y");
  EXPECT_EQ(q.items()[2].first, "a");
  const std::string header = "a=1; b=2; a=3";
  const keel::CookieParams c(&header);
  ASSERT_EQ(c.items().size(), 3u);
  EXPECT_EQ(c.items()[2].second, "3");
  EXPECT_TRUE(keel::is_utf8("é€😀"));
  EXPECT_FALSE(keel::is_utf8("\xc3"));
}

TEST(ParamStyle, RandomInputNeverThrowsAndAlwaysSerializes) {
  std::uint64_t state = 0x9e3779b97f4a7c15ULL;
  auto next = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::uint32_t>(state >> 33);
  };
  const std::string alphabet = "id=&;,.|[]%+ 0123456789abcdefABCDEF\"{}:\xc3\xa9\xff\t";
  constexpr p::Property props[] = {{"id", keel::type_integer | keel::type_null}, {"a", keel::type_boolean}};
  const Shape shapes[] = {
      {Shape::Kind::primitive, keel::type_integer | keel::type_number | keel::type_boolean | keel::type_null},
      {Shape::Kind::primitive, keel::type_string},
      {Shape::Kind::array, keel::type_integer | keel::type_string},
      {Shape::Kind::object, keel::type_string, props},
      {Shape::Kind::object, 0, props},
  };
  const Style styles[] = {Style::simple,     Style::label,           Style::matrix,
                          Style::form,       Style::space_delimited, Style::pipe_delimited,
                          Style::deep_object};
  std::size_t decoded = 0;
  for (int iteration = 0; iteration < 5000; ++iteration) {
    std::string input;
    if (iteration % 2 == 0) {
      std::size_t length = next() % 40;
      for (std::size_t i = 0; i < length; ++i)
        input +=
            next() % 4 == 0 ? static_cast<char>(next() & 0xff) : alphabet[next() % alphabet.size()];
    } else {
      // Near misses of valid values reach deeper than pure noise.
      const Row& row = kTable[next() % std::size(kTable)];
      const char* seeds[] = {row.primitive, row.array, row.object};
      const char* seed = seeds[next() % 3];
      input = seed ? seed : "id[a][b]=%C3%A9&id=1,2";
      for (int e = 1 + static_cast<int>(next() % 3); e > 0; --e) {
        std::size_t at = next() % (input.size() + 1);
        if (next() % 2 == 0 && at < input.size()) input.erase(at, 1);
        else input.insert(at, 1, alphabet[next() % alphabet.size()]);
      }
    }
    auto prm = param("id", "/x/id", styles[next() % 7], next() % 2 == 0, shapes[next() % 5]);
    prm.allow_reserved = next() % 2 == 0;
    prm.required = next() % 2 == 0;
    for (In in : {In::path, In::query, In::header, In::cookie}) {
      auto o = run(in, prm, input);  // must not throw
      if (o.decoded == Decoded::value) {
        ++decoded;
        EXPECT_NO_THROW((void)o.value.dump()) << input;  // leaves and keys are valid UTF-8
      }
      if (o.decoded == Decoded::invalid) {
        EXPECT_FALSE(o.errors.empty()) << input;
      }
    }
    json out;
    FieldErrors errors;
    for (auto loc :
         {p::Location::path, p::Location::query, p::Location::header, p::Location::cookie}) {
      if (p::decode_content(input, loc, true, "/x", out, errors)) {
        EXPECT_NO_THROW((void)out.dump());
      }
      if (p::decode_content(input, loc, false, "/x", out, errors)) {
        EXPECT_NO_THROW((void)out.dump());
      }
    }
    const p::RawQuery q(input, errors);
    (void)p::presence(q, prm);
    (void)p::decode_query_content(q, prm, true, out, errors);
  }
  EXPECT_GT(decoded, 2000u);  // the alphabet is rich enough to reach the value paths
}
