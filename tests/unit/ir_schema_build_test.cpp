#include "ir/schema_build.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include <cmath>
#include <cstdint>

namespace keel::gen::ir {
namespace {

std::string dump(const Diagnostics& diags) {
  std::string out;
  for (const auto& d : diags.all()) out += format(d) + "\n";
  return out;
}

std::vector<std::string> ids(const Diagnostics& diags) {
  std::vector<std::string> out;
  for (const auto& d : diags.all()) out.push_back(d.id);
  return out;
}

/// Builds the IR of one standalone JSON schema text.
struct Built {
  spec::Workspace ws;
  Diagnostics diags;
  std::optional<SchemaSet> set;

  explicit Built(const std::string& json, SchemaBuildOptions options = {}) {
    ws.add_document_text("schema.json", json, diags);
    SchemaSetBuilder builder(ws, diags, std::move(options));
    if (const spec::Node* doc = ws.document("schema.json"))
      builder.add_schema_node(*doc, "https://example.com/schema.json", "", "Root");
    set = builder.finish();
  }
  const Schema& root() const { return set->schemas.at(set->roots.at(0).schema); }
  const Schema& at(SchemaId id) const { return set->schemas.at(id); }
};

TEST(IrSchemaBuild, ValidationKeywords) {
  Built b(R"({"type": ["integer", "null"], "minimum": -9223372036854775808,
              "maximum": 18446744073709551615, "exclusiveMaximum": 1e400, "multipleOf": 0.0001,
              "maxLength": 2.0, "required": ["a", "a", "b"], "enum": [1, "x", [1.0]]})");
  ASSERT_TRUE(b.set) << dump(b.diags);
  const Schema& s = b.root();
  EXPECT_EQ(*s.type, type_integer | type_null);
  EXPECT_EQ(s.minimum->kind, Number::Kind::int64);
  EXPECT_EQ(s.minimum->i, INT64_MIN);
  EXPECT_EQ(s.maximum->kind, Number::Kind::uint64);
  EXPECT_EQ(s.maximum->u, UINT64_MAX);
  EXPECT_TRUE(std::isinf(s.exclusive_maximum->d));
  EXPECT_EQ(s.multiple_of->mantissa, 1u);
  EXPECT_EQ(s.multiple_of->exponent, -4);
  EXPECT_EQ(*s.max_length, 2u);
  EXPECT_EQ(s.required, (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(s.enum_->size(), 3u);
  EXPECT_EQ((*s.enum_)[1].kind, Value::Kind::string);
  EXPECT_EQ((*s.enum_)[2].json, "[1.0]");
}

TEST(IrSchemaBuild, RefsAreEdgesAndRecursionIsFinite) {
  Built b(R"({"properties": {"next": {"$ref": "#"}, "list": {"items": {"$ref": "#/$defs/x"}}},
              "$defs": {"x": {"type": "string"}}})");
  ASSERT_TRUE(b.set) << dump(b.diags);
  EXPECT_EQ(b.set->schemas.size(), 5u);  // root, next, list, items, $defs/x
  const Schema& next = b.at(b.root().properties.at(0).schema);
  EXPECT_EQ(next.ref, b.set->roots.at(0).schema);
  EXPECT_EQ(next.location, "#/properties/next");
}

TEST(IrSchemaBuild, InPlaceLoopsAreErrors) {
  EXPECT_EQ(ids(Built(R"({"$ref": "#"})").diags), std::vector<std::string>{"E-SCHEMA-LOOP"});
  EXPECT_EQ(ids(Built(R"({"$defs": {"a": {"not": {"$ref": "#/$defs/b"}}, "b": {"if": {"$ref": "#/$defs/a"}}},
                          "$ref": "#/$defs/a"})")
                    .diags),
            std::vector<std::string>{"E-SCHEMA-LOOP"});
  // Through a property: fine.
  EXPECT_TRUE(Built(R"({"properties": {"a": {"$ref": "#"}}})").diags.all().empty());
}

TEST(IrSchemaBuild, MalformedKeywordsAreDiagnosed) {
  Built b(R"({"minLength": -1, "type": "text", "properties": [], "multipleOf": 0})");
  EXPECT_FALSE(b.set);
  EXPECT_EQ(ids(b.diags), (std::vector<std::string>{"E-SCHEMA-KEYWORD", "E-SCHEMA-KEYWORD",
                                                    "E-SCHEMA-KEYWORD", "E-SCHEMA-KEYWORD"}))
      << dump(b.diags);
}

TEST(IrSchemaBuild, PatternsAndFormatsGoThroughTheHooks) {
  SchemaBuildOptions options;
  options.format_assertion = true;
  options.check_pattern = [](std::string_view p, std::string* error) {
    *error = "nope";
    return p != "bad";
  };
  options.known_format = [](std::string_view f) { return f == "date"; };
  Built bad(R"({"pattern": "bad"})", options);
  EXPECT_EQ(ids(bad.diags), std::vector<std::string>{"E-SCHEMA-PATTERN"});
  Built formats(R"({"properties": {"a": {"format": "date"}, "b": {"format": "x-custom"}}})", options);
  ASSERT_TRUE(formats.set) << dump(formats.diags);
  EXPECT_EQ(ids(formats.diags), std::vector<std::string>{"W-SCHEMA-FORMAT-UNKNOWN"});
  EXPECT_EQ(formats.at(formats.root().properties[0].schema).format, "date");
  EXPECT_FALSE(formats.at(formats.root().properties[1].schema).format);
  // Without assertion, format is an annotation and not kept.
  Built annotation(R"({"format": "date"})");
  EXPECT_FALSE(annotation.root().format);
}

TEST(IrSchemaBuild, DynamicRefsTurnOnTheDynamicScope) {
  Built plain(R"({"$defs": {"a": {"$anchor": "a"}}, "$dynamicRef": "#a"})");
  ASSERT_TRUE(plain.set) << dump(plain.diags);
  EXPECT_FALSE(plain.set->dynamic_scope);
  Built dynamic(R"({"$id": "https://example.com/tree", "$dynamicAnchor": "node",
                    "properties": {"kids": {"items": {"$dynamicRef": "#node"}}}})");
  ASSERT_TRUE(dynamic.set) << dump(dynamic.diags);
  EXPECT_TRUE(dynamic.set->dynamic_scope);
  const auto& anchors = dynamic.set->resources.at(dynamic.root().resource).dynamic_anchors;
  ASSERT_EQ(anchors.size(), 1u);
  EXPECT_EQ(anchors[0].name, "node");
}

TEST(IrSchemaBuild, OpenApiComponentsAndInlineSchemas) {
  spec::Workspace ws;
  Diagnostics diags;
  ASSERT_TRUE(ws.load_root_text("api.yaml", R"(
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /pets:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Pet'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}
components:
  schemas:
    Pet: {type: object, properties: {name: {type: string}}}
    Error: {type: object}
)", diags));
  SchemaSetBuilder builder(ws, diags);
  ASSERT_TRUE(builder.add_openapi_components());
  auto response = builder.add_openapi_schema(
      "/paths/~1pets/post/responses/200/content/application~1json/schema", "ListPetsResponse");
  ASSERT_TRUE(response);
  auto set = builder.finish();
  ASSERT_TRUE(set) << dump(diags);
  ASSERT_EQ(set->roots.size(), 3u);
  EXPECT_EQ(set->roots[0].name, "Pet");
  EXPECT_EQ(set->roots[1].name, "Error");
  EXPECT_EQ(set->roots[2].name, "ListPetsResponse");
  EXPECT_EQ(set->schemas[set->roots[2].schema].location,
            "#/paths/~1pets/post/responses/200/content/application~1json/schema");
  EXPECT_EQ(set->source, "api.yaml");
}

TEST(IrSchemaBuild, OpenApi30Dialect) {
  spec::Workspace ws;
  Diagnostics diags;
  ASSERT_TRUE(ws.load_root_text("api.yaml", R"(
openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    N: {type: integer, nullable: true, maximum: 5, exclusiveMaximum: true}
    R: {$ref: '#/components/schemas/N', minimum: 100}
)", diags));
  SchemaSetBuilder builder(ws, diags);
  builder.add_openapi_components();
  auto set = builder.finish();
  ASSERT_TRUE(set) << dump(diags);
  const Schema& n = set->schemas[set->roots[0].schema];
  EXPECT_EQ(*n.type, type_integer | type_null);
  EXPECT_FALSE(n.maximum);
  EXPECT_EQ(n.exclusive_maximum->i, 5);
  const Schema& r = set->schemas[set->roots[1].schema];
  EXPECT_FALSE(r.minimum);  // 3.0: siblings of $ref are ignored
}

// OpenAI's 3.1 document has `exclusiveMinimum: true`; `keel-gen check`
// accepts it with a warning, so `keel-gen schema` must build it too.
TEST(IrSchemaBuild, BooleanBoundsInA31DocumentAreIgnoredWithAWarning) {
  spec::Workspace ws;
  Diagnostics diags;
  ASSERT_TRUE(ws.load_root_text("api.yaml", R"(
openapi: 3.1.0
info: {title: t, version: '1'}
components:
  schemas:
    Rate: {type: number, minimum: 0, exclusiveMinimum: true, maximum: 9, exclusiveMaximum: false}
)", diags));
  SchemaSetBuilder builder(ws, diags);
  builder.add_openapi_components();
  auto set = builder.finish();
  ASSERT_TRUE(set) << dump(diags);
  EXPECT_EQ(ids(diags), (std::vector<std::string>{"W-SCHEMA-VERSION-KEYWORD", "W-SCHEMA-VERSION-KEYWORD"}));
  const Schema& rate = set->schemas[set->roots[0].schema];
  EXPECT_EQ(rate.minimum->i, 0);
  EXPECT_EQ(rate.maximum->i, 9);
  EXPECT_FALSE(rate.exclusive_minimum);
  EXPECT_FALSE(rate.exclusive_maximum);
  // A standalone 2020-12 schema has no such excuse.
  Built standalone(R"({"minimum": 0, "exclusiveMinimum": true})");
  EXPECT_FALSE(standalone.set);
  EXPECT_EQ(ids(standalone.diags), std::vector<std::string>{"E-SCHEMA-KEYWORD"});
}

TEST(IrSchemaBuild, FilesReferToEachOtherByRelativePaths) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("keel_ir_schema_" + std::to_string(::getpid()));
  fs::create_directories(dir / "common");
  std::ofstream(dir / "order.json") << R"({"properties": {"line": {"$ref": "common/line.yaml#/Line"}}})";
  std::ofstream(dir / "common" / "line.yaml") << "Line: {type: object, required: [sku]}\n";
  fs::path cwd = fs::current_path();
  fs::current_path(dir);  // keyword locations are relative to the working directory
  spec::Workspace ws;
  Diagnostics diags;
  SchemaSetBuilder builder(ws, diags);
  ASSERT_TRUE(builder.add_schema_file("order.json", "Order")) << dump(diags);
  auto set = builder.finish();
  fs::current_path(cwd);
  fs::remove_all(dir);
  ASSERT_TRUE(set) << dump(diags);
  const Schema& root = set->schemas[set->roots[0].schema];
  const Schema& line = set->schemas[set->schemas[root.properties[0].schema].ref];
  EXPECT_EQ(line.location, "common/line.yaml#/Line");
  EXPECT_EQ(line.required, std::vector<std::string>{"sku"});
  EXPECT_EQ(set->source, "order.json");
}

TEST(IrSchemaBuild, TheSchemaCountIsBounded) {
  SchemaBuildOptions options;
  options.max_schemas = 3;
  Built b(R"({"properties": {"a": {}, "b": {}, "c": {}, "d": {}}})", options);
  EXPECT_FALSE(b.set);
  EXPECT_EQ(ids(b.diags), std::vector<std::string>{"E-SCHEMA-TOO-LARGE"});
}

}  // namespace
}  // namespace keel::gen::ir
