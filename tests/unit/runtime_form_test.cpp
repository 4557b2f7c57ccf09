#include <keel/body.h>
#include <keel/form.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

using keel::FieldErrors;
using nlohmann::json;
namespace form = keel::form;
namespace p = keel::param;
using p::Shape;
using p::Style;

namespace {

constexpr p::Property kAddressProps[] = {{"city", keel::type_string}, {"zip", keel::type_integer}};

// A body schema exercising every kind of field.
constexpr form::Field kFields[] = {
    {.name = "name", .shape = {Shape::Kind::primitive, keel::type_string}},
    {.name = "age", .shape = {Shape::Kind::primitive, keel::type_integer}},
    {.name = "admin", .shape = {Shape::Kind::primitive, keel::type_boolean}},
    {.name = "tags", .shape = {Shape::Kind::array, keel::type_string}},
    {.name = "ids",
     .shape = {Shape::Kind::array, keel::type_integer},
     .encoding = {.style = Style::form, .explode = false}},
    {.name = "pipes",
     .shape = {Shape::Kind::array, keel::type_integer},
     .encoding = {.style = Style::pipe_delimited, .explode = false}},
    {.name = "address",
     .shape = {Shape::Kind::object, 0, kAddressProps},
     .encoding = {.style = Style::deep_object}},
    {.name = "meta",
     .shape = {Shape::Kind::object, keel::type_string},
     .encoding = {.content_type = "application/json"}},
};
constexpr form::Spec kSpec{kFields};

json urlencoded(std::string_view body, FieldErrors& errors) {
  json out;
  form::decode_urlencoded(body, kSpec, out, errors);
  return out;
}

}  // namespace

TEST(FormUrlencoded, FieldsFollowTheirShapesAndEncodings) {
  FieldErrors errors;
  json out = urlencoded("name=Ada+Lovelace&age=36&admin=true&tags=a&tags=b%2Cc&ids=1,2,3&pipes=4|5"
                        "&address%5Bcity%5D=London&address[zip]=12345"
                        "&meta=%7B%22k%22%3A%5B1%2Cnull%5D%7D&extra=x%20y",
                        errors);
  EXPECT_TRUE(errors.empty()) << (errors.empty() ? "" : errors[0].pointer + " " + errors[0].detail);
  EXPECT_EQ(out, json({{"name", "Ada Lovelace"},
                       {"age", 36},
                       {"admin", true},
                       {"tags", {"a", "b,c"}},
                       {"ids", {1, 2, 3}},
                       {"pipes", {4, 5}},
                       {"address", {{"city", "London"}, {"zip", 12345}}},
                       {"meta", {{"k", {1, nullptr}}}},
                       {"extra", "x y"}}));
}

TEST(FormUrlencoded, EmptyAndAbsent) {
  FieldErrors errors;
  EXPECT_EQ(urlencoded("", errors), json::object());
  EXPECT_EQ(urlencoded("name=&tags=&age=", errors),
            json({{"name", ""}, {"tags", json::array()}, {"age", ""}}));
  EXPECT_TRUE(errors.empty());
}

TEST(FormUrlencoded, PlusIsAlwaysASpaceInABody) {
  static constexpr form::Field fields[] = {{.name = "q",
                                            .shape = {Shape::Kind::primitive, keel::type_string},
                                            .encoding = {.allow_reserved = true}}};
  FieldErrors errors;
  json out;
  EXPECT_TRUE(form::decode_urlencoded("q=a+b%2Bc/d?e", form::Spec{fields}, out, errors));
  EXPECT_EQ(out, json({{"q", "a b+c/d?e"}}));
}

TEST(FormUrlencoded, ExplodedObjectFieldAndAdditionalTypes) {
  static constexpr p::Property props[] = {{"lat", keel::type_number}, {"lon", keel::type_number}};
  static constexpr form::Field fields[] = {
      {.name = "point", .shape = {Shape::Kind::object, 0, props}},
      {.name = "label", .shape = {Shape::Kind::primitive, keel::type_string}},
  };
  FieldErrors errors;
  json out;
  EXPECT_TRUE(form::decode_urlencoded("lat=1.5&lon=-2&label=x&n=7",
                                      form::Spec{fields, keel::type_integer | keel::type_string}, out,
                                      errors));
  EXPECT_EQ(out, json({{"point", {{"lat", 1.5}, {"lon", -2}}}, {"label", "x"}, {"n", 7}}));
}

TEST(FormUrlencoded, Errors) {
  struct Case {
    const char* body;
    const char* pointer;
    const char* code;
  } cases[] = {
      {"name=a&name=b", "/body/name", "duplicate_parameter"},
      {"extra=1&extra=2", "/body/extra", "duplicate_property"},
      {"meta=1&meta=2", "/body/meta", "duplicate_property"},
      {"meta=%7Bnope", "/body/meta", "invalid_json"},
      {"meta=%zz", "/body/meta", "invalid_encoding"},
      {"name=%FF", "/body/name", "invalid_encoding"},
      {"extra=%E2%82", "/body/extra", "invalid_encoding"},
      {"address[city][x]=1", "/body/address", "nesting_too_deep"},
      {"address[city]=a&address[city]=b", "/body/address/city", "duplicate_property"},
      {"ids=1&ids=2", "/body/ids", "duplicate_parameter"},
      {"%zz=1", "/body/%zz", "invalid_encoding"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.body);
    FieldErrors errors;
    json out;
    EXPECT_FALSE(form::decode_urlencoded(c.body, kSpec, out, errors));
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].pointer, c.pointer);
    EXPECT_EQ(errors[0].code, c.code);
  }
  std::string many;
  for (int i = 0; i < 20; ++i) many += "x" + std::to_string(i) + "=1&";
  FieldErrors errors;
  json out;
  EXPECT_FALSE(form::decode_urlencoded(many, kSpec, out, errors, 10));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, "too_many_parameters");
  EXPECT_EQ(errors[0].pointer, "/body");
}

namespace {

constexpr form::Field kUploadFields[] = {
    {.name = "title", .shape = {Shape::Kind::primitive, keel::type_string}},
    {.name = "count", .shape = {Shape::Kind::primitive, keel::type_integer}},
    {.name = "labels", .shape = {Shape::Kind::array, keel::type_string}},
    {.name = "meta",
     .shape = {Shape::Kind::object, keel::type_string},
     .encoding = {.content_type = "application/json"}},
    {.name = "file",
     .shape = {Shape::Kind::primitive, keel::type_string},
     .encoding = {.content_type = "text/csv, application/vnd.ms-excel"},
     .file = true},
    {.name = "images",
     .shape = {Shape::Kind::array, keel::type_string},
     .encoding = {.content_type = "image/*"},
     .file = true},
};
constexpr form::Spec kUpload{kUploadFields};
constexpr std::string_view kType = "multipart/form-data; boundary=B";

std::string part(std::string_view name, std::string_view body, std::string_view extra = {}) {
  return "--B\r\nContent-Disposition: form-data; name=\"" + std::string(name) + "\"" +
         (extra.empty() ? "" : "; ") + std::string(extra) + "\r\n" + "\r\n" + std::string(body) +
         "\r\n";
}

std::string typed(std::string_view name, std::string_view type, std::string_view body,
                  std::string_view filename = {}) {
  std::string disposition = "form-data; name=\"" + std::string(name) + "\"";
  if (!filename.empty()) disposition += "; filename=\"" + std::string(filename) + "\"";
  return "--B\r\nContent-Disposition: " + disposition + "\r\nContent-Type: " + std::string(type) +
         "\r\n\r\n" + std::string(body) + "\r\n";
}

}  // namespace

TEST(FormMultipart, FieldsFilesAndJsonParts) {
  using namespace std::string_literals;
  const std::string binary = "\x89PNG\r\n\x00\xff"s;
  std::string body =
      part("title", "Quarterly €") + part("count", "12") + part("labels", "a") +
      part("labels", "b") + typed("meta", "application/json; charset=utf-8", R"({"x":[1]})") +
      typed("file", "text/csv", "a,b\r\n1,2", "q.csv") +
      typed("images", "image/png", binary, "1.png") +
      typed("images", "image/jpeg", "jpg", "2.jpg") + part("note", "free text") + "--B--\r\n";
  form::Multipart out;
  FieldErrors errors;
  auto refused = form::decode_multipart(kType, body, kUpload, out, errors);
  ASSERT_FALSE(refused.has_value()) << refused->hint;
  EXPECT_TRUE(errors.empty()) << (errors.empty() ? "" : errors[0].pointer + " " + errors[0].detail);
  EXPECT_EQ(out.fields, json({{"title", "Quarterly €"},
                              {"count", 12},
                              {"labels", {"a", "b"}},
                              {"meta", {{"x", {1}}}},
                              {"file", ""},
                              {"images", {"", ""}},
                              {"note", "free text"}}));
  ASSERT_EQ(out.files.size(), 3u);
  EXPECT_EQ(out.files[0].name, "file");
  EXPECT_EQ(out.files[0].filename, "q.csv");
  EXPECT_EQ(out.files[0].media_type, "text/csv");
  EXPECT_EQ(out.files[0].bytes, "a,b\r\n1,2");
  EXPECT_EQ(out.files[1].bytes, binary);
  EXPECT_EQ(out.files[2].media_type, "image/jpeg");
  EXPECT_EQ(out.file("images"), &out.files[1]);
  EXPECT_EQ(out.file("nope"), nullptr);
}

TEST(FormMultipart, UntypedPartsTakeTheDeclaredType) {
  // Browsers cannot label string parts: no Content-Type means "as declared".
  std::string body = part("meta", R"({"a":"b"})") + part("file", "raw", "filename=\"x\"") + "--B--";
  form::Multipart out;
  FieldErrors errors;
  ASSERT_FALSE(form::decode_multipart(kType, body, kUpload, out, errors));
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(out.fields["meta"], json({{"a", "b"}}));
  ASSERT_EQ(out.files.size(), 1u);
  EXPECT_EQ(out.files[0].media_type, "application/octet-stream");
  EXPECT_FALSE(out.files[0].filename.has_value() && out.files[0].filename->empty());
}

TEST(FormMultipart, AJsonArrayPartFillsAnArrayField) {
  std::string body =
      typed("labels", "application/json", R"(["a","b"])") + part("labels", "c") + "--B--";
  form::Multipart out;
  FieldErrors errors;
  ASSERT_FALSE(form::decode_multipart(kType, body, kUpload, out, errors));
  EXPECT_EQ(out.fields["labels"], json({"a", "b", "c"}));
}

TEST(FormMultipart, PartContentTypeNotAllowedIs415) {
  std::string body = part("title", "t") + typed("file", "application/pdf", "%PDF", "x.pdf") +
                     typed("images", "text/plain", "no", "y.txt") + "--B--";
  form::Multipart out;
  FieldErrors errors;
  auto refused = form::decode_multipart(kType, body, kUpload, out, errors);
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->status, 415);
  EXPECT_EQ(refused->code, "unsupported_media_type");
  EXPECT_NE(refused->hint.find("file"), std::string::npos);
  EXPECT_NE(refused->hint.find("text/csv"), std::string::npos);
  ASSERT_EQ(refused->errors.size(), 2u);
  EXPECT_EQ(refused->errors[0].pointer, "/body/file");
  EXPECT_EQ(refused->errors[1].pointer, "/body/images");
  // Parameters and case do not matter; wildcards and lists do.
  body = typed("file", "Application/VND.ms-excel; q=1", "x", "x.xls") +
         typed("images", "image/webp", "w", "w") + "--B--";
  EXPECT_FALSE(form::decode_multipart(kType, body, kUpload, out, errors).has_value());
}

TEST(FormMultipart, FieldErrors) {
  struct Case {
    std::string body;
    const char* pointer;
    const char* code;
  } cases[] = {
      {part("title", "a") + part("title", "b") + "--B--", "/body/title", "duplicate_property"},
      {part("file", "a", "filename=\"1\"") + part("file", "b", "filename=\"2\"") + "--B--",
       "/body/file", "duplicate_property"},
      {part("note", "a") + part("note", "b") + "--B--", "/body/note", "duplicate_property"},
      {typed("meta", "application/json", "{nope") + "--B--", "/body/meta", "invalid_json"},
      {part("meta", "[1,") + "--B--", "/body/meta", "invalid_json"},
      {part("title", "caf\xe9") + "--B--", "/body/title", "invalid_encoding"},
      {typed("note", "application/vnd.x+json", "nope") + "--B--", "/body/note", "invalid_json"},
      {part("\xff", "v") + "--B--", "/body", "invalid_encoding"},
      {part("file", "v", "filename=\"\xc3\"") + "--B--", "/body/file", "invalid_encoding"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.body);
    form::Multipart out;
    FieldErrors errors;
    EXPECT_FALSE(form::decode_multipart(kType, c.body, kUpload, out, errors).has_value());
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].pointer, c.pointer);
    EXPECT_EQ(errors[0].code, c.code);
  }
}

TEST(FormMultipart, MalformedBodiesAre400) {
  const std::string good = part("title", "t") + "--B--";
  struct Case {
    std::string_view type;
    std::string body;
  } cases[] = {
      {"multipart/form-data", good},                                       // no boundary
      {"multipart/form-data; boundary=C", good},                           // wrong boundary
      {kType, "--B\nContent-Disposition: form-data; name=x\n\nv\n--B--"},  // bare LF
      {kType, part("title", "t")},                                         // never closed
      {kType, "--B\r\nContent-Type: text/plain\r\n\r\nv\r\n--B--"},        // no name
      {kType, ""},
  };
  for (const Case& c : cases) {
    form::Multipart out;
    FieldErrors errors;
    auto refused = form::decode_multipart(c.type, c.body, kUpload, out, errors);
    ASSERT_TRUE(refused.has_value()) << c.body;
    EXPECT_EQ(refused->status, 400);
    EXPECT_EQ(refused->code, "malformed_multipart");
    EXPECT_FALSE(refused->hint.empty());
  }
  std::string many;
  for (int i = 0; i < 300; ++i) many += part("labels", "x");
  many += "--B--";
  form::Multipart out;
  FieldErrors errors;
  auto refused = form::decode_multipart(kType, many, kUpload, out, errors);
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->status, 400);
  EXPECT_NE(refused->hint.find("too many parts"), std::string::npos);
}

TEST(FormMultipart, RandomMutationsNeverThrow) {
  std::uint64_t state = 0xfeedface;
  auto next = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::uint32_t>(state >> 33);
  };
  using namespace std::string_literals;
  const std::string seed = part("title", "t") + typed("meta", "application/json", R"({"a":1})") +
                           typed("images", "image/png", "\x89PNG", "a.png") + part("labels", "x") +
                           part("count", "3") + "--B--\r\n";
  const std::string alphabet = "-\r\n\"; =:Bab{}[]\\\t\0\xff\xc3"s;
  for (int iteration = 0; iteration < 3000; ++iteration) {
    std::string input = seed;
    for (int e = 1 + static_cast<int>(next() % 4); e > 0; --e) {
      std::size_t at = next() % (input.size() + 1);
      if (next() % 2 == 0 && at < input.size()) input.erase(at, 1 + next() % 4);
      else input.insert(at, 1, alphabet[next() % alphabet.size()]);
    }
    form::Multipart out;
    FieldErrors errors;
    auto refused = form::decode_multipart(kType, input, kUpload, out, errors);
    if (!refused) {
      EXPECT_NO_THROW((void)out.fields.dump());
    }
    json body;
    FieldErrors form_errors;
    form::decode_urlencoded(input, kSpec, body, form_errors);
    EXPECT_NO_THROW((void)body.dump());
  }
}

TEST(BodyNegotiation, MediaRangeSpecificity) {
  using keel::media_range_match;
  EXPECT_EQ(media_range_match("application/json", "application/json"), 4);
  EXPECT_EQ(media_range_match("Application/JSON; charset=utf-8", "application/json"), 4);
  EXPECT_EQ(media_range_match("application/*+json", "application/merge-patch+json"), 3);
  EXPECT_EQ(media_range_match("application/*+json", "application/json"), 0);
  EXPECT_EQ(media_range_match("application/*", "application/json"), 2);
  EXPECT_EQ(media_range_match("*/*", "text/csv"), 1);
  EXPECT_EQ(media_range_match("text/*", "application/json"), 0);
  EXPECT_EQ(media_range_match("application/json", "application/problem+json"), 0);
  EXPECT_EQ(media_range_match("", "text/csv"), 0);
  EXPECT_TRUE(keel::is_json_media_type("application/json; charset=utf-8"));
  EXPECT_TRUE(keel::is_json_media_type("application/vnd.api+JSON"));
  EXPECT_FALSE(keel::is_json_media_type("text/json5"));
  EXPECT_FALSE(keel::is_json_media_type("+json"));
}

TEST(BodyNegotiation, ReadBodyChoosesTheMostSpecificRange) {
  keel::Request request;
  request.headers.add("Content-Type", "application/json");
  request.body = R"({"a":1})";
  keel::Body body;
  FieldErrors errors;
  // Declared order puts the wildcard first; the exact match still wins and parses.
  auto refused = keel::read_body(
      request, {{"*/*", false}, {"application/*", false}, {"application/json", true}}, true, body,
      errors);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(body.json, json({{"a", 1}}));

  request.headers.set("Content-Type", "application/merge-patch+json");
  body = {};
  refused =
      keel::read_body(request, {{"*/*", false}, {"application/*+json", true}}, true, body, errors);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(body.json, json({{"a", 1}}));

  request.headers.set("Content-Type", "text/plain");
  refused = keel::read_body(request, {{"application/json", true}, {"application/*+json", true}},
                            true, body, errors);
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->status, 415);
  EXPECT_NE(refused->hint.find("application/json, application/*+json"), std::string::npos);
  EXPECT_TRUE(errors.empty());
}
