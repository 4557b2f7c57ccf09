// Drives tests/golden/params/expected: the parameter styles and body media
// types keel-gen decodes, as the compiled generated code handles them.
#include "params/expected/api.h"

#include <keel/error.h>
#include <keel/response.h>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

// Echoes what the generated code decoded, so tests see the handler's view.
// The spec documents bodiless 200s, so the echo goes through the responders'
// escape hatch (`unchecked`); parameters arrive as models and convert back.
namespace api = golden_params;

template <class Typed>
Typed echo(const nlohmann::json& out) {
  return Typed::unchecked(keel::json_response(200, out));
}

struct Echo : api::Handlers {
  api::PathArraysResponse path_arrays(keel::Context&, const api::PathArraysRequest& r) override {
    return echo<api::PathArraysResponse>({{"simple", r.simple}, {"label", r.label}, {"matrix", r.matrix}});
  }
  api::PathObjectsResponse path_objects(keel::Context&, const api::PathObjectsRequest& r) override {
    return echo<api::PathObjectsResponse>({{"simple", r.simple}, {"label", r.label}, {"matrix", r.matrix}});
  }
  api::SearchResponse search(keel::Context&, const api::SearchRequest& r) override {
    nlohmann::json out = {{"ids", r.ids}, {"limit", r.limit}, {"must", r.must}};
    if (r.tags) out["tags"] = *r.tags;
    if (r.words) out["words"] = *r.words;
    if (r.flags) out["flags"] = *r.flags;
    if (r.filter) out["filter"] = *r.filter;
    if (r.point) out["point"] = *r.point;
    if (r.span) out["span"] = *r.span;
    if (r.count) out["count"] = *r.count;
    if (r.q) out["q"] = *r.q;
    if (r.meta) out["meta"] = *r.meta;
    return echo<api::SearchResponse>(out);
  }
  api::ContentParametersResponse content_parameters(keel::Context&, const api::ContentParametersRequest& r) override {
    nlohmann::json out = {{"doc", r.doc}, {"X-Tags", r.x_tags}, {"page", r.page}};
    if (r.note) out["note"] = *r.note;
    return echo<api::ContentParametersResponse>(out);
  }
  api::StrictResponse strict(keel::Context&, const api::StrictRequest&) override {
    return echo<api::StrictResponse>(nlohmann::json::object());
  }
  api::HeadersResponse headers(keel::Context&, const api::HeadersRequest& r) override {
    nlohmann::json out = {{"X-Ids", r.x_ids}, {"session", r.session}, {"ids", r.ids}};
    if (r.x_point) out["X-Point"] = *r.x_point;
    if (r.x_meta) out["X-Meta"] = *r.x_meta;
    if (r.prefs) out["prefs"] = *r.prefs;
    return echo<api::HeadersResponse>(out);
  }
  api::UploadResponse upload(keel::Context&, const api::UploadRequest& r) override {
    nlohmann::json files = nlohmann::json::array();
    for (const auto& f : r.body.files)
      files.push_back({{"name", f.name}, {"filename", f.filename.value_or("")}, {"type", f.media_type},
                       {"bytes", f.bytes}});
    return echo<api::UploadResponse>({{"media_type", r.body.media_type},
                                      {"json", r.body.json},
                                      {"raw_size", r.body.raw.size()},
                                      {"files", files}});
  }
  api::CollisionsResponse collisions(keel::Context&, const api::CollisionsRequest& r) override {
    // Each member by its collision-resolved name (docs/parameters.md).
    nlohmann::json out = {{"media_type", r.body.media_type}};
    if (r.payload) out["payload"] = *r.payload;
    if (r.payload_query) out["payload_query"] = *r.payload_query;
    if (r.body_query) out["body_query"] = *r.body_query;
    if (r.id) out["id"] = *r.id;
    if (r.id_header) out["id_header"] = *r.id_header;
    if (r.id_cookie) out["id_cookie"] = *r.id_cookie;
    if (r.id_header_query) out["id_header_query"] = *r.id_header_query;
    return echo<api::CollisionsResponse>(out);
  }
};

struct Params : ::testing::Test {
  Echo handlers;
  std::unique_ptr<keel::Api> api = golden_params::make_api(handlers);
  keel::Context context;

  keel::Response call(keel::Request request) {
    auto match = api->match(request.method, request.path);
    EXPECT_EQ(match.status, keel::RouteMatch::Status::matched) << request.path;
    return api->handle(match.operation, context, request, match);
  }
  keel::Response get(std::string path, std::string query = "", keel::Headers headers = {}) {
    keel::Request r;
    r.method = "GET";
    r.path = std::move(path);
    r.query = std::move(query);
    r.headers = std::move(headers);
    return call(std::move(r));
  }
  keel::Response post(std::string type, std::string body) {
    keel::Request r;
    r.method = "POST";
    r.path = "/upload";
    r.headers.set("Content-Type", std::move(type));
    r.body = std::move(body);
    return call(std::move(r));
  }
};

nlohmann::json ok(const keel::Response& r) {
  EXPECT_FALSE(r.error) << (r.error ? r.error->code + ": " + (r.error->errors.empty() ? r.error->hint : r.error->errors[0].pointer + " " + r.error->errors[0].code) : "");
  if (r.error) return nullptr;
  return nlohmann::json::parse(r.body);
}

// "status pointer code" per error.
std::vector<std::string> errors(const keel::Response& r) {
  std::vector<std::string> out;
  if (!r.error) return out;
  for (const auto& e : r.error->errors) out.push_back(std::to_string(r.error->status) + " " + e.pointer + " " + e.code);
  if (r.error->errors.empty()) out.push_back(std::to_string(r.error->status) + " " + r.error->code);
  return out;
}

using Lines = std::vector<std::string>;

TEST_F(Params, PathStylesForArrays) {
  auto j = ok(get("/arrays/1,2,3/.a.b/;matrix=1.5,2"));
  EXPECT_EQ(j["simple"], nlohmann::json::parse("[1,2,3]"));
  EXPECT_EQ(j["label"], nlohmann::json::parse(R"(["a","b"])"));
  EXPECT_EQ(j["matrix"], nlohmann::json::parse("[1.5,2]"));
  // Percent-decoding after splitting: %2C is data, not a delimiter.
  j = ok(get("/arrays/1/.a%2Cb.c/;matrix=1"));
  EXPECT_EQ(j["label"], nlohmann::json::parse(R"(["a,b","c"])"));
  EXPECT_EQ(errors(get("/arrays/1,x/.a/;matrix=1")),
            (Lines{"400 /path/simple/1 type", "400 /path/label minItems"}));
  EXPECT_EQ(errors(get("/arrays/1/.a.b/;other=1")), (Lines{"400 /path/matrix malformed_parameter"}));
  EXPECT_EQ(errors(get("/arrays/1/.a.%FF/;matrix=1")), (Lines{"400 /path/label/1 invalid_encoding"}));
}

TEST_F(Params, PathStylesForObjects) {
  auto j = ok(get("/objects/x=1,y=2/.x,3,y,4/;x=5;y=6"));
  EXPECT_EQ(j["simple"], nlohmann::json::parse(R"({"x":1,"y":2})"));
  EXPECT_EQ(j["label"], nlohmann::json::parse(R"({"x":3,"y":4})"));
  EXPECT_EQ(j["matrix"], nlohmann::json::parse(R"({"x":5,"y":6})"));
  EXPECT_EQ(errors(get("/objects/x=1/.x,3,y,4,z,5/;x=5;y=abc")),
            (Lines{"400 /path/simple required", "400 /path/label/z additionalProperties",
                   "400 /path/matrix/y type"}));
}

TEST_F(Params, QueryStylesDefaultsAndRequired) {
  auto j = ok(get("/search", "must=true"));
  EXPECT_EQ(j, nlohmann::json::parse(R"({"ids":[1,2],"limit":10,"must":true})"));

  j = ok(get("/search",
             "ids=3&ids=4&tags=a,b&words=x%20y+z&flags=true|false&filter[role]=admin&filter[level]=2"
             "&x=1.5&y=-2&q=a/b?c:d+e&limit=5&meta=%7B%22k%22%3A1%7D&must=false"));
  EXPECT_EQ(j, nlohmann::json::parse(R"({"ids":[3,4],"tags":["a","b"],"words":["x","y","z"],
      "flags":[true,false],"filter":{"role":"admin","level":2},"point":{"x":1.5,"y":-2},
      "q":"a/b?c:d+e","limit":5,"meta":{"k":1},"must":false})"));

  EXPECT_EQ(errors(get("/search", "")), (Lines{"400 /query/must required"}));
}

TEST_F(Params, BadQueryValuesPointAtTheParameter) {
  EXPECT_EQ(errors(get("/search", "must=yes&limit=1e&ids=1&ids=x&tags=a,B&flags=1|true")),
            (Lines{"400 /query/ids/1 type", "400 /query/tags/1 pattern", "400 /query/flags/0 type",
                   "400 /query/limit type", "400 /query/must type"}));
  EXPECT_EQ(errors(get("/search", "must=true&limit=0&filter[role]=root&filter[level]=0&filter[x]=1")),
            (Lines{"400 /query/filter/level minimum", "400 /query/filter/role enum",
                   "400 /query/filter/x additionalProperties", "400 /query/limit minimum"}));
  EXPECT_EQ(errors(get("/search", "must=true&filter[role]=a&filter[role]=b&limit=1&limit=2")),
            (Lines{"400 /query/filter/role duplicate_property", "400 /query/limit duplicate_parameter"}));
  EXPECT_EQ(errors(get("/search", "must=true&meta=%7B&q=%FF")),
            (Lines{"400 /query/q invalid_encoding", "400 /query/meta invalid_json"}));
  EXPECT_EQ(errors(get("/search", "must=true&meta=%7B%22k%22%3A1%2C%22k%22%3A2%7D")),
            (Lines{"400 /query/meta/k duplicate_key"}));
  EXPECT_EQ(errors(get("/search", "must=true&meta=%7B%7D&x=1")),
            (Lines{"400 /query/point required", "400 /query/meta required"}));
  // An object made of allOf members decodes with its members' types.
  EXPECT_EQ(ok(get("/search", "must=true&span[from]=1&span[to]=5&span[open]=true"))["span"],
            nlohmann::json::parse(R"({"from":1,"to":5,"open":true})"));
  EXPECT_EQ(errors(get("/search", "must=true&span[to]=x")), (Lines{"400 /query/span/to type"}));
  // So does a scalar whose type comes from allOf.
  EXPECT_EQ(ok(get("/search", "must=true&count=3"))["count"], 3);
  EXPECT_EQ(errors(get("/search", "must=true&count=-1")), (Lines{"400 /query/count minimum"}));

  // Unknown query parameters are allowed by default.
  ok(get("/search", "must=true&whatever=1"));
}

TEST_F(Params, ContentParametersInEveryLocation) {
  keel::Headers h;
  h.set("X-Tags", "a,b");
  h.set("Cookie", "note=hi%20u");
  // An absent content parameter takes its schema's default (here through a $ref).
  EXPECT_EQ(ok(get("/documents/%7B%22id%22%3A7%7D", "", h)),
            nlohmann::json::parse(R"({"doc":{"id":7},"X-Tags":"a,b","note":"hi u","page":{"size":20}})"));
  EXPECT_EQ(ok(get("/documents/%7B%22id%22%3A7%7D", "page=%7B%22size%22%3A5%7D", h))["page"],
            nlohmann::json::parse(R"({"size":5})"));
  h.set("Cookie", "note=too%20long");
  EXPECT_EQ(errors(get("/documents/%7B%22id%22%3A%22x%22%7D", "", h)),
            (Lines{"400 /path/doc/id type", "400 /cookie/note maxLength"}));
  EXPECT_EQ(errors(get("/documents/%7B%22id%22%3A7%7D", "page=%7B%22size%22%3A0%7D", h)),
            (Lines{"400 /cookie/note maxLength", "400 /query/page/size minimum"}));
  EXPECT_EQ(errors(get("/documents/%7B")), (Lines{"400 /path/doc invalid_json", "400 /header/X-Tags required"}));
}

TEST_F(Params, UnknownQueryParametersRejectedWhenTheOperationSaysSo) {
  ok(get("/strict", "a=1&f[x]=2"));
  EXPECT_EQ(errors(get("/strict", "a=1&b=2&f[x]=1&g[x]=1")),
            (Lines{"400 /query/b unknown_parameter", "400 /query/g[x] unknown_parameter"}));
}

TEST_F(Params, HeadersAndCookies) {
  keel::Headers h;
  h.add("X-Ids", "1, 2");
  h.add("X-Ids", "3");
  h.set("X-Point", "x=1,y=2");
  h.set("X-Meta", R"(["a","b"])");
  h.set("Cookie", "session=abc; prefs=theme,dark,size,3");
  auto j = ok(get("/headers", "", h));
  EXPECT_EQ(j, nlohmann::json::parse(R"({"X-Ids":[1,2,3],"X-Point":{"x":1,"y":2},"X-Meta":["a","b"],
      "session":"abc","prefs":{"theme":"dark","size":3},"ids":[7]})"));

  EXPECT_EQ(errors(get("/headers")), (Lines{"400 /header/X-Ids required", "400 /cookie/session required"}));
  keel::Headers bad;
  bad.set("X-Ids", "1,two");
  bad.set("X-Meta", "[");
  // ids is exploded: "1,2" is one item (ids=1; ids=2 is the list).
  bad.set("Cookie", "session=a; prefs=theme; ids=1,2");
  EXPECT_EQ(errors(get("/headers", "", bad)),
            (Lines{"400 /header/X-Ids/1 type", "400 /header/X-Meta invalid_json", "400 /cookie/session minLength",
                   "400 /cookie/prefs malformed_parameter", "400 /cookie/ids/0 type"}));

  // A scalar cookie is percent-decoded like the others ('+' stays '+').
  h.set("Cookie", "session=a%20b+c%3B; prefs=theme,dark%20blue");
  j = ok(get("/headers", "", h));
  EXPECT_EQ(j["session"], "a b+c;");
  EXPECT_EQ(j["prefs"]["theme"], "dark blue");
  h.set("Cookie", "session=ab%FF");
  EXPECT_EQ(errors(get("/headers", "", h)), (Lines{"400 /cookie/session invalid_encoding"}));
}

TEST_F(Params, JsonAndUrlencodedBodies) {
  auto j = ok(post("application/json", R"({"name":"n","count":2})"));
  EXPECT_EQ(j["json"], nlohmann::json::parse(R"({"name":"n","count":2})"));
  j = ok(post("application/x-www-form-urlencoded",
              "name=a+b&count=3&tags=x,y&address[city]=Oslo&address[zip]=150&meta=%7B%22k%22%3Atrue%7D"));
  EXPECT_EQ(j["json"], nlohmann::json::parse(R"({"name":"a b","count":3,"tags":["x","y"],
      "address":{"city":"Oslo","zip":150},"meta":{"k":true}})"));
  EXPECT_EQ(errors(post("application/x-www-form-urlencoded", "count=-1&count=2")),
            (Lines{"400 /body/count duplicate_parameter"}));
  EXPECT_EQ(errors(post("application/x-www-form-urlencoded", "count=x&name=")),
            (Lines{"400 /body/count type", "400 /body/name minLength"}));
  EXPECT_EQ(errors(post("application/x-www-form-urlencoded", "name=%C3")),
            (Lines{"400 /body/name invalid_encoding"}));
  // Duplicate keys and invalid UTF-8 in JSON.
  EXPECT_EQ(errors(post("application/json", R"({"name":"a","meta":{"k":1,"k":2}})")),
            (Lines{"400 /body/meta/k duplicate_key"}));
  EXPECT_EQ(errors(post("application/json", R"([{"name":"a"}])")), (Lines{"400 /body type"}));
  EXPECT_EQ(errors(post("application/json", "{\"name\":\"\xff\"}")), (Lines{"400 /body malformed_json"}));
  // The same rule for JSON carried in a form field or a content parameter.
  EXPECT_EQ(errors(post("application/x-www-form-urlencoded", "name=a&meta=%7B%22k%22%3A1%2C%22k%22%3A2%7D")),
            (Lines{"400 /body/meta/k duplicate_key"}));
}

std::string part(std::string name, std::string body, std::string headers = "") {
  return "--B\r\nContent-Disposition: form-data; name=\"" + name + "\"" + headers + "\r\n\r\n" + body + "\r\n";
}

TEST_F(Params, MultipartBodies) {
  std::string body = part("name", "n") + part("count", "4") + part("tags", "a") + part("tags", "b") +
                     part("meta", R"({"k":1})") +
                     part("file", std::string("\x00\x01", 2), "; filename=\"f.bin\"\r\nContent-Type: image/png") +
                     part("report", "a,b\n1,2\n", "; filename=\"r.csv\"\r\nContent-Type: text/csv") + "--B--\r\n";
  auto j = ok(post("multipart/form-data; boundary=B", body));
  EXPECT_EQ(j["json"], nlohmann::json::parse(R"({"name":"n","count":4,"tags":["a","b"],"meta":{"k":1},
      "file":"","report":""})"));
  ASSERT_EQ(j["files"].size(), 2u);
  EXPECT_EQ(j["files"][0]["filename"], "f.bin");
  EXPECT_EQ(j["files"][0]["type"], "image/png");
  EXPECT_EQ(j["files"][1]["bytes"], "a,b\n1,2\n");

  // A broken boundary is a 400, a part of a type its Encoding refuses a 415.
  EXPECT_EQ(errors(post("multipart/form-data; boundary=B", "--X\r\n\r\n")), (Lines{"400 malformed_multipart"}));
  EXPECT_EQ(errors(post("multipart/form-data", body)), (Lines{"400 malformed_multipart"}));
  std::string pdf = part("name", "n") + part("file", "x", "; filename=\"f\"") +
                    part("report", "%PDF", "; filename=\"r.pdf\"\r\nContent-Type: application/pdf") + "--B--\r\n";
  EXPECT_EQ(errors(post("multipart/form-data; boundary=B", pdf)), (Lines{"415 /body/report unsupported_media_type"}));
  // Missing file part and a field that is not a number.
  std::string bad = part("name", "n") + part("count", "1.5") + "--B--\r\n";
  EXPECT_EQ(errors(post("multipart/form-data; boundary=B", bad)),
            (Lines{"400 /body/count type", "400 /body required"}));
}

TEST_F(Params, RawBodiesAndNegotiation) {
  auto j = ok(post("text/csv", "a,b\n1,2\n"));
  EXPECT_EQ(j["raw_size"], 8);
  EXPECT_EQ(j["json"], nullptr);
  EXPECT_EQ(errors(post("text/csv", std::string(65, 'x'))), (Lines{"400 /body maxLength"}));
  EXPECT_EQ(ok(post("application/octet-stream", std::string("\xff\x00", 2)))["raw_size"], 2);
  EXPECT_EQ(errors(post("application/xml", "<a/>")), (Lines{"415 unsupported_media_type"}));
}

}  // namespace

TEST_F(Params, CollidingMemberNamesStayApart) {
  keel::Request r;
  r.method = "POST";
  r.path = "/collisions";
  r.query = "payload=p&body=b&id=3&id_header=q";
  r.headers.set("id", "h");
  r.headers.set("Cookie", "id=c");
  r.headers.set("Content-Type", "application/json");
  r.body = R"({"n": 1})";
  EXPECT_EQ(ok(call(std::move(r))), nlohmann::json::parse(R"({"media_type": "application/json",
      "payload": {"n": 1}, "payload_query": "p", "body_query": "b", "id": 3, "id_header": "h",
      "id_cookie": "c", "id_header_query": "q"})"));
  // Pointers keep the spec's names.
  keel::Request bad;
  bad.method = "POST";
  bad.path = "/collisions";
  bad.query = "id=x";
  EXPECT_EQ(errors(call(std::move(bad))), (Lines{"400 /query/id type"}));
}
