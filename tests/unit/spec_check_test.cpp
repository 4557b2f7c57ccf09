#include "spec/workspace.h"
#include "spec_test_util.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>

namespace keel::gen::spec {
namespace {

using testing::check_ids;
using testing::dump;
using testing::head30;
using testing::head31;
using Ids = std::vector<std::string>;

std::string doc31(const std::string& rest) { return std::string(head31) + rest; }
std::string doc30(const std::string& rest) { return std::string(head30) + rest; }

/// A tiny operation body with one response, for path tests.
const char* const ok_responses = "responses: {'200': {description: ok}}";

TEST(SpecCheck, MinimalDocumentsAreClean) {
  EXPECT_EQ(check_ids(doc31("paths: {}\n")), Ids{});
  EXPECT_EQ(check_ids(doc31("components: {}\n")), Ids{});
  EXPECT_EQ(check_ids(doc31("webhooks: {}\n")), Ids{});
  EXPECT_EQ(check_ids(doc30("paths: {}\n")), Ids{});
}

TEST(SpecCheck, RequiredTopLevelFields) {
  EXPECT_EQ(check_ids("info: {title: T, version: '1'}\npaths: {}\n"), Ids{"E-FIELD-REQUIRED"});
  EXPECT_EQ(check_ids("openapi: 3.1.0\npaths: {}\n"), Ids{"E-FIELD-REQUIRED"});
  EXPECT_EQ(check_ids("openapi: 3.1.0\ninfo: {version: '1'}\npaths: {}\n"),
            Ids{"E-FIELD-REQUIRED"});
  EXPECT_EQ(check_ids("openapi: 3.1.0\ninfo: {title: T}\npaths: {}\n"), Ids{"E-FIELD-REQUIRED"});
  EXPECT_EQ(check_ids(doc30("components: {}\n")), Ids{"E-FIELD-REQUIRED"});
  EXPECT_EQ(check_ids(std::string(head31)), Ids{"E-NO-CONTAINERS"});
}

TEST(SpecCheck, OpenapiVersions) {
  EXPECT_EQ(check_ids("swagger: '2.0'\ninfo: {title: T, version: '1'}\npaths: {}\n"),
            Ids{"E-OPENAPI-VERSION"});
  EXPECT_EQ(check_ids("openapi: 2.0.0\ninfo: {title: T, version: '1'}\npaths: {}\n"),
            Ids{"E-OPENAPI-VERSION"});
  EXPECT_EQ(check_ids("openapi: 3.2.0\ninfo: {title: T, version: '1'}\npaths: {}\n"),
            Ids{"E-OPENAPI-VERSION"});
  EXPECT_EQ(check_ids("openapi: 3.1\ninfo: {title: T, version: '1'}\npaths: {}\n"),
            Ids{"E-OPENAPI-VERSION"});
  EXPECT_EQ(check_ids("openapi: 3.1.1-rc1\ninfo: {title: T, version: '1'}\npaths: {}\n"), Ids{});
  EXPECT_EQ(check_ids("openapi: '3.0.0'\ninfo: {title: T, version: '1'}\npaths: {}\n"), Ids{});
}

TEST(SpecCheck, UnknownFieldsAndExtensions) {
  EXPECT_EQ(check_ids(doc31("paths: {}\noverlays: {}\n")), Ids{"E-UNKNOWN-FIELD"});
  EXPECT_EQ(check_ids(doc31("paths: {}\nx-anything: {a: 1}\n")), Ids{});
  // 3.1-only fields in a 3.0 document.
  EXPECT_EQ(check_ids(doc30("paths: {}\nwebhooks: {}\n")), Ids{"E-UNKNOWN-FIELD"});
}

TEST(SpecCheck, FieldTypes) {
  EXPECT_EQ(check_ids(doc31("paths: {}\nservers: {url: /v1}\n")), Ids{"E-TYPE"});
  EXPECT_EQ(check_ids(doc31("paths: {}\ntags: [{name: a, description: [x]}]\n")), Ids{"E-TYPE"});
  EXPECT_EQ(check_ids(doc31("paths:\n  /a:\n    get: {deprecated: 'yes', " +
                            std::string(ok_responses) + "}\n")),
            Ids{"E-TYPE"});
}

TEST(SpecCheck, ServerVariables) {
  EXPECT_EQ(check_ids(doc31("paths: {}\nservers:\n  - url: 'https://{v}.x'\n    variables:\n"
                            "      v: {enum: [], default: a}\n")),
            Ids{"E-SERVER-VARIABLE-ENUM"});
  EXPECT_EQ(check_ids(doc31("paths: {}\nservers:\n  - url: 'https://{v}.x'\n    variables:\n"
                            "      v: {enum: [b], default: a}\n")),
            Ids{"W-SERVER-VARIABLE-DEFAULT"});
  EXPECT_EQ(check_ids(doc31("paths: {}\nservers:\n  - url: 'https://{v}.x'\n")),
            Ids{"W-SERVER-VARIABLE-UNDECLARED"});
  EXPECT_EQ(check_ids(doc31("paths: {}\nservers:\n  - description: x\n")), Ids{"E-FIELD-REQUIRED"});
}

TEST(SpecCheck, DuplicateOperationIds) {
  Diagnostics diags;
  auto ids = check_ids(doc31("paths:\n"
                             "  /a:\n"
                             "    get: {operationId: same, " +
                             std::string(ok_responses) +
                             "}\n"
                             "  /b:\n"
                             "    get: {operationId: same, " +
                             std::string(ok_responses) + "}\n"),
                       &diags);
  ASSERT_EQ(ids, Ids{"E-OPERATION-ID-DUPLICATE"});
  EXPECT_EQ(format(diags.all()[0]),
            "openapi.yaml:7:24: error[E-OPERATION-ID-DUPLICATE]: operationId 'same' is already "
            "used at openapi.yaml:5:24 (at /paths/~1b/get/operationId)");
}

TEST(SpecCheck, PathTemplatesAgainstParameters) {
  auto undeclared =
      check_ids(doc31("paths:\n  /a/{id}:\n    get: {" + std::string(ok_responses) + "}\n"));
  EXPECT_EQ(undeclared, Ids{"W-PATH-PARAM-UNDECLARED"});
  auto unused =
      check_ids(doc31("paths:\n  /a:\n    get:\n      parameters:\n"
                      "        - {name: id, in: path, required: true, schema: {type: string}}\n"
                      "      " +
                      std::string(ok_responses) + "\n"));
  EXPECT_EQ(unused, Ids{"W-PATH-PARAM-UNUSED"});
  // Declared at path level, through a $ref: fine.
  auto ok =
      check_ids(doc31("paths:\n  /a/{id}:\n    parameters: [{$ref: '#/components/parameters/id'}]\n"
                      "    get: {" +
                      std::string(ok_responses) +
                      "}\n"
                      "components:\n  parameters:\n"
                      "    id: {name: id, in: path, required: true, schema: {type: string}}\n"));
  EXPECT_EQ(ok, Ids{});
  // A path item without operations has nothing to check.
  EXPECT_EQ(check_ids(doc31("paths:\n  /a/{id}: {}\n")), Ids{});
}

TEST(SpecCheck, PathKeys) {
  EXPECT_EQ(check_ids(doc31("paths:\n  a: {}\n")), Ids{"E-PATH-KEY"});
  EXPECT_EQ(check_ids(doc31("paths:\n  /a/{b: {}\n")), Ids{"E-PATH-TEMPLATE"});
  EXPECT_EQ(check_ids(doc31("paths:\n  /a/{x}: {}\n  /a/{y}: {}\n")), Ids{"E-PATH-DUPLICATE"});
  EXPECT_EQ(check_ids(doc31("paths:\n  x-ext: 1\n")), Ids{});
}

TEST(SpecCheck, ParameterRules) {
  auto param = [](const std::string& body) {
    return check_ids(doc31("components:\n  parameters:\n    p: " + body + "\n"));
  };
  EXPECT_EQ(param("{name: a, in: body, schema: {}}"), Ids{"E-PARAM-IN"});
  EXPECT_EQ(param("{name: a, in: path, schema: {}}"), Ids{"E-PARAM-PATH-REQUIRED"});
  EXPECT_EQ(param("{name: a, in: path, required: false, schema: {}}"),
            Ids{"E-PARAM-PATH-REQUIRED"});
  EXPECT_EQ(param("{name: a, in: path, content: {text/plain: {}}}"), Ids{"W-PARAM-PATH-REQUIRED"});
  EXPECT_EQ(param("{name: a, in: query}"), Ids{"E-PARAM-SCHEMA-CONTENT"});
  EXPECT_EQ(param("{name: a, in: query, schema: {}, content: {a/b: {}}}"),
            Ids{"E-PARAM-SCHEMA-CONTENT"});
  EXPECT_EQ(param("{name: a, in: query, content: {a/b: {}, c/d: {}}}"),
            Ids{"E-PARAM-SCHEMA-CONTENT"});
  EXPECT_EQ(param("{name: a, in: header, allowReserved: true, schema: {}}"),
            Ids{"E-PARAM-ALLOW-RESERVED"});
  EXPECT_EQ(param("{name: a, in: query, allowReserved: true, schema: {}}"), Ids{});
  EXPECT_EQ(param("{name: a, in: cookie, allowEmptyValue: true, schema: {}}"),
            Ids{"E-PARAM-ALLOW-EMPTY"});
  EXPECT_EQ(param("{name: a, in: header, style: form, schema: {}}"), Ids{"E-PARAM-STYLE"});
  EXPECT_EQ(param("{name: a, in: query, style: deepObject, schema: {}}"), Ids{});
  EXPECT_EQ(param("{name: '{a}', in: path, required: true, schema: {}}"), Ids{"E-PARAM-NAME"});
  EXPECT_EQ(param("{name: Accept, in: header, schema: {}}"), Ids{"W-PARAM-HEADER-IGNORED"});
  EXPECT_EQ(param("{name: a, in: query, schema: {}, example: 1, examples: {}}"),
            Ids{"E-EXAMPLE-BOTH"});
  EXPECT_EQ(param("{in: query, schema: {}}"), Ids{"E-FIELD-REQUIRED"});
}

TEST(SpecCheck, ParameterRulesOas30AreWarnings) {
  auto ids = check_ids(doc30("paths: {}\ncomponents:\n  parameters:\n"
                             "    p: {name: a, in: header, allowReserved: true, schema: {}}\n"));
  EXPECT_EQ(ids, Ids{"W-PARAM-ALLOW-RESERVED"});
}

TEST(SpecCheck, DuplicateParameters) {
  auto ids = check_ids(doc31("paths:\n  /a:\n    get:\n      parameters:\n"
                             "        - {name: X-Id, in: header, schema: {}}\n"
                             "        - {name: x-id, in: header, schema: {}}\n"
                             "        - {name: x-id, in: query, schema: {}}\n"
                             "      " +
                             std::string(ok_responses) + "\n"));
  EXPECT_EQ(ids, Ids{"E-PARAM-DUPLICATE"});
}

TEST(SpecCheck, Responses) {
  auto op = [](const std::string& responses) {
    return check_ids(doc31("paths:\n  /a:\n    get:\n      responses: " + responses + "\n"));
  };
  EXPECT_EQ(op("{'200': {description: ok}, 4XX: {description: e}, default: {description: d}}"),
            Ids{});
  EXPECT_EQ(op("{'2xx': {description: ok}}"), Ids{"E-RESPONSE-CODE"});
  EXPECT_EQ(op("{'600': {description: ok}}"), Ids{"E-RESPONSE-CODE"});
  EXPECT_EQ(op("{}"), Ids{"E-RESPONSES-EMPTY"});
  EXPECT_EQ(op("{'200': {content: {}}}"), Ids{"E-FIELD-REQUIRED"});
  EXPECT_EQ(check_ids(doc31("paths:\n  /a:\n    get: {}\n")), Ids{"W-RESPONSES-MISSING"});
  EXPECT_EQ(check_ids(doc30("paths:\n  /a:\n    get: {}\n")), Ids{"E-RESPONSES-MISSING"});
}

TEST(SpecCheck, Refs) {
  Diagnostics diags;
  auto ids = check_ids(doc31("paths:\n  /a:\n    get:\n      responses:\n"
                             "        '200': {$ref: '#/components/responses/Nope'}\n"),
                       &diags);
  ASSERT_EQ(ids, Ids{"E-REF-MISSING"});
  EXPECT_EQ(diags.all()[0].pointer, "/paths/~1a/get/responses/200/$ref");
  EXPECT_EQ(diags.all()[0].location.line, 7);
}

TEST(SpecCheck, RefCycleReportedOnce) {
  auto ids = check_ids(doc31("components:\n  schemas:\n    a: {$ref: '#/components/schemas/b'}\n"
                             "    b: {$ref: '#/components/schemas/a'}\n"));
  EXPECT_EQ(ids, Ids{"E-REF-CYCLE"});
}

TEST(SpecCheck, SchemaCycleThroughPropertiesIsLegal) {
  auto ids = check_ids(
      doc31("components:\n  schemas:\n"
            "    a: {type: object, properties: {b: {$ref: '#/components/schemas/b'}}}\n"
            "    b: {type: object, properties: {a: {$ref: '#/components/schemas/a'}}}\n"));
  EXPECT_EQ(ids, Ids{});
}

TEST(SpecCheck, RefTargetsAreCheckedToo) {
  // The target of a $ref is checked as the kind of object the ref stands for.
  auto ids = check_ids(doc31("paths:\n  /a:\n    get:\n      responses:\n"
                             "        '200': {$ref: '#/x-shared/r'}\n"
                             "x-shared:\n  r: {content: {}}\n"));
  EXPECT_EQ(ids, Ids{"E-FIELD-REQUIRED"});
}

TEST(SpecCheck, NonStandardRefsAreFollowedWithAWarning) {
  auto ids = check_ids(doc30("paths:\n  /a:\n    get: {$ref: '#/x-ops/get'}\n"
                             "x-ops:\n  get: {responses: {'200': {description: ok}}}\n"));
  EXPECT_EQ(ids, Ids{"W-REF-NONSTANDARD"});
  auto broken = check_ids(doc30("paths:\n  /a:\n    get: {$ref: '#/x-ops/get'}\n"
                                "x-ops:\n  get: {responses: {'200': {}}}\n"));
  EXPECT_EQ(broken, (Ids{"W-REF-NONSTANDARD", "E-FIELD-REQUIRED"}));
  auto description = check_ids(doc31("paths: {}\ntags: [{name: a, description: {$ref: '#/x-d'}}]\n"
                                     "x-d: some text\n"));
  EXPECT_EQ(description, Ids{"W-REF-NONSTANDARD"});
}

TEST(SpecCheck, RemoteRefIsAWarning) {
  EXPECT_EQ(check_ids(doc31("components:\n  schemas:\n    a: {$ref: 'https://x.test/s.json'}\n")),
            Ids{"W-REF-REMOTE"});
}

TEST(SpecCheck, Security) {
  const std::string schemes =
      "components:\n  securitySchemes:\n    key: {type: apiKey, name: k, in: header}\n";
  EXPECT_EQ(check_ids(doc31("paths: {}\nsecurity: [{key: []}, {}]\n" + schemes)), Ids{});
  EXPECT_EQ(check_ids(doc31("paths: {}\nsecurity: [{other: []}]\n" + schemes)),
            Ids{"E-SECURITY-SCHEME-UNDECLARED"});
  EXPECT_EQ(check_ids(doc31("paths: {}\nsecurity: [{other: []}]\n")),
            Ids{"W-SECURITY-SCHEME-UNDECLARED"});
  auto scheme = [](const std::string& body) {
    return check_ids(doc31("components:\n  securitySchemes:\n    s: " + body + "\n"));
  };
  EXPECT_EQ(scheme("{type: basic}"), Ids{"E-SECURITY-SCHEME-TYPE"});
  EXPECT_EQ(scheme("{type: apiKey, name: k, in: body}"), Ids{"E-SECURITY-SCHEME-IN"});
  EXPECT_EQ(scheme("{type: http}"), Ids{"E-FIELD-REQUIRED"});
  EXPECT_EQ(scheme("{type: oauth2, flows: {implicit: {scopes: {}}}}"), Ids{"E-FIELD-REQUIRED"});
  EXPECT_EQ(scheme("{type: openIdConnect}"), Ids{"E-FIELD-REQUIRED"});
  EXPECT_EQ(scheme("{type: mutualTLS}"), Ids{});
}

TEST(SpecCheck, Links) {
  auto link = [](const std::string& body) {
    return check_ids(doc31("components:\n  links:\n    l: " + body + "\n"));
  };
  EXPECT_EQ(link("{operationRef: '#/paths/~1a/get'}"), Ids{});
  EXPECT_EQ(link("{description: none}"), Ids{"E-LINK-TARGET"});
  EXPECT_EQ(link("{operationRef: x, operationId: y}"),
            (Ids{"E-LINK-TARGET", "W-LINK-OPERATION-UNKNOWN"}));
  EXPECT_EQ(link("{operationId: y, body: {}}"),
            (Ids{"W-LINK-OPERATION-UNKNOWN", "E-UNKNOWN-FIELD"}));
}

TEST(SpecCheck, Examples) {
  EXPECT_EQ(check_ids(doc31("components:\n  examples:\n    e: {value: 1, externalValue: x}\n")),
            Ids{"E-EXAMPLE-VALUE-BOTH"});
}

TEST(SpecCheck, Schemas) {
  auto schema = [](const std::string& body, bool v30 = false) {
    std::string rest = "components:\n  schemas:\n    s: " + body + "\n";
    return check_ids(v30 ? doc30("paths: {}\n" + rest) : doc31(rest));
  };
  EXPECT_EQ(schema("true"), Ids{});
  EXPECT_EQ(schema("null"), Ids{"E-SCHEMA-NOT-OBJECT"});
  EXPECT_EQ(schema("0"), Ids{"E-SCHEMA-NOT-OBJECT"});
  EXPECT_EQ(schema("[]"), Ids{"E-SCHEMA-NOT-OBJECT"});
  EXPECT_EQ(schema("true", true), Ids{"E-SCHEMA-NOT-OBJECT"});
  EXPECT_EQ(schema("{type: [string, 'null']}"), Ids{});
  EXPECT_EQ(schema("{type: [string, 'null']}", true), Ids{"E-SCHEMA-TYPE"});
  EXPECT_EQ(schema("{type: str}"), Ids{"E-SCHEMA-TYPE"});
  EXPECT_EQ(schema("{properties: {a: {type: nope}}}"), Ids{"E-SCHEMA-TYPE"});
  EXPECT_EQ(schema("{allOf: [{items: {type: x}}]}"), Ids{"E-SCHEMA-TYPE"});
  EXPECT_EQ(schema("{allOf: []}"), Ids{"E-SCHEMA-KEYWORD"});
  EXPECT_EQ(schema("{required: name}"), Ids{"E-SCHEMA-KEYWORD"});
  EXPECT_EQ(schema("{items: [{}]}"), Ids{"E-SCHEMA-KEYWORD"});
  EXPECT_EQ(schema("{additionalProperties: false}", true), Ids{});
  EXPECT_EQ(schema("{myKeyword: [1, 2]}"), Ids{});
  EXPECT_EQ(schema("{nullable: true}"), Ids{"W-SCHEMA-VERSION-KEYWORD"});
  EXPECT_EQ(schema("{nullable: true, exclusiveMinimum: true, minimum: 1}", true), Ids{});
  EXPECT_EQ(schema("{exclusiveMinimum: true, minimum: 1}"), Ids{"W-SCHEMA-VERSION-KEYWORD"});
  EXPECT_EQ(schema("{exclusiveMaximum: 5}", true), Ids{"W-SCHEMA-VERSION-KEYWORD"});
  EXPECT_EQ(schema("{discriminator: {mapping: {}}}"), Ids{"E-FIELD-REQUIRED"});
  EXPECT_EQ(schema("{items: {$recursiveRef: '#'}}"), Ids{"W-SCHEMA-DYNAMIC-REF"});
  EXPECT_EQ(schema("{properties: {$ref: '#/x-p'}}\nx-p: {a: {type: string}}"),
            Ids{"W-REF-NONSTANDARD"});
}

TEST(SpecCheck, ComponentNames) {
  EXPECT_EQ(check_ids(doc31("components:\n  schemas:\n    'a b': {}\n")), Ids{"E-COMPONENT-NAME"});
}

TEST(SpecCheck, TagsAndLicense) {
  EXPECT_EQ(check_ids(doc31("paths: {}\ntags: [{name: a}, {name: a}]\n")), Ids{"E-TAG-DUPLICATE"});
  EXPECT_EQ(check_ids("openapi: 3.1.0\ninfo: {title: T, version: '1', license: "
                      "{name: MIT, identifier: MIT, url: x}}\npaths: {}\n"),
            Ids{"E-LICENSE-IDENTIFIER-URL"});
}

TEST(SpecCheck, DiagnosticsAreSortedByPosition) {
  Diagnostics diags;
  check_ids(doc31("paths:\n  /b:\n    get: {}\n  /a:\n    post: {}\n    get: {}\n"), &diags);
  ASSERT_EQ(diags.all().size(), 3u) << dump(diags);
  EXPECT_EQ(diags.all()[0].location.line, 5);
  EXPECT_EQ(diags.all()[1].location.line, 7);
  EXPECT_EQ(diags.all()[2].location.line, 8);
}

/// The official OAS 3.1 schema fixtures: pass/ must be accepted, fail/ rejected.
void check_fixture_dir(const std::string& sub, bool expect_errors) {
  namespace fs = std::filesystem;
  fs::path dir = fs::path(KEEL_SHARED_DIR) / "oas-corpus/oai-spec-tests-3.1" / sub;
  if (!fs::is_directory(dir)) GTEST_SKIP() << "no corpus at " << dir;
  int seen = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    Workspace ws;
    Diagnostics diags;
    if (ws.load_root(entry.path().string(), diags)) check_document(ws, diags);
    EXPECT_EQ(diags.has_errors(), expect_errors) << entry.path() << "\n" << dump(diags);
    ++seen;
  }
  EXPECT_GT(seen, 0);
}

TEST(SpecCheckCorpus, OfficialPassFixturesAccepted) { check_fixture_dir("pass", false); }
TEST(SpecCheckCorpus, OfficialFailFixturesRejected) { check_fixture_dir("fail", true); }

}  // namespace
}  // namespace keel::gen::spec
