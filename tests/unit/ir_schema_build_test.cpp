#include "ir/schema_build.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <stdexcept>

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

// Mistakes published OpenAPI documents make are read for what they mean,
// with a warning, instead of rejecting the whole document; the same schema
// given as standalone JSON Schema is an error.
TEST(IrSchemaBuild, OpenApiDocumentsAreReadLeniently) {
  spec::Workspace ws;
  Diagnostics diags;
  ASSERT_TRUE(ws.load_root_text("api.yaml", R"(
openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Rate: {type: number, minimum: 0, exclusiveMinimum: true}
    Tag: {type: string, pattern: '^[a-z\:]+$'}
    Droplets:
      properties:
        $ref: 'models.yml#/ids'
)", diags));
  SchemaBuildOptions options;
  options.check_pattern = [](std::string_view p, std::string* error) {
    if (error != nullptr) *error = "invalid escape";
    return p.find("\\:") == std::string_view::npos;
  };
  SchemaSetBuilder builder(ws, diags, options);
  builder.add_openapi_components();
  auto set = builder.finish();
  ASSERT_TRUE(set) << dump(diags);
  EXPECT_EQ(ids(diags), (std::vector<std::string>{"W-SCHEMA-PATTERN-ESCAPE", "W-SCHEMA-IGNORED"}));
  const Schema& rate = set->schemas[set->roots[0].schema];
  EXPECT_FALSE(rate.minimum);  // 3.0's boolean form: the bound is exclusive
  EXPECT_EQ(rate.exclusive_minimum->i, 0);
  EXPECT_EQ(*set->schemas[set->roots[1].schema].pattern, "^[a-z:]+$");
  const Schema& droplets = set->schemas[set->roots[2].schema];
  ASSERT_EQ(droplets.properties.size(), 1u);
  EXPECT_TRUE(*set->schemas[droplets.properties[0].schema].always);

  Built strict(R"({"properties": {"$ref": "models.yml#/ids"}})");
  EXPECT_EQ(ids(strict.diags), std::vector<std::string>{"E-SCHEMA-KEYWORD"});
  Built bound(R"({"minimum": 0, "exclusiveMinimum": true})");
  EXPECT_FALSE(bound.set);
  EXPECT_EQ(ids(bound.diags), std::vector<std::string>{"E-SCHEMA-KEYWORD"});
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

/// The IR of an OpenAPI 3.1 document's components.
struct BuiltApi {
  spec::Workspace ws;
  Diagnostics diags;
  std::optional<SchemaSet> set;

  explicit BuiltApi(const std::string& yaml) {
    if (!ws.load_root_text("api.yaml", yaml, diags)) return;
    SchemaSetBuilder builder(ws, diags);
    builder.add_openapi_components();
    set = builder.finish();
  }
  const Schema& component(const std::string& name) const {
    for (const auto& root : set->roots)
      if (root.name == name) return set->schemas.at(root.schema);
    throw std::out_of_range(name);
  }
};

TEST(IrSchemaBuild, ReadOnlyAndWriteOnlyAreKeptWhereWritten) {
  Built b(R"({"readOnly": true, "properties": {"a": {"writeOnly": true}, "b": {"readOnly": false}}})");
  ASSERT_TRUE(b.set) << dump(b.diags);
  EXPECT_TRUE(b.root().read_only);
  EXPECT_FALSE(b.root().write_only);
  EXPECT_TRUE(b.at(b.root().properties[0].schema).write_only);
  EXPECT_FALSE(b.at(b.root().properties[1].schema).read_only);
  // A string "true" would silently let read-only data through.
  Built bad(R"({"readOnly": "true"})");
  EXPECT_EQ(ids(bad.diags), std::vector<std::string>{"E-SCHEMA-KEYWORD"});
}

constexpr const char* kPets = R"(
openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Pet:
      oneOf:
        - $ref: '#/components/schemas/Cat'
        - $ref: '#/components/schemas/Dog'
        - {type: object, properties: {pet_type: {const: fish}}}
      discriminator:
        propertyName: pet_type
        mapping:
          cat: '#/components/schemas/Cat'
          kitty: Cat
          fish: '#/components/schemas/Pet/oneOf/2'
    Cat: {type: object}
    Dog: {type: object}
)";

TEST(IrSchemaBuild, DiscriminatorMapsValuesToBranches) {
  BuiltApi b(kPets);
  ASSERT_TRUE(b.set) << dump(b.diags);
  EXPECT_TRUE(b.diags.all().empty()) << dump(b.diags);
  const Schema& pet = b.component("Pet");
  ASSERT_TRUE(pet.discriminator);
  EXPECT_EQ(pet.discriminator->property, "pet_type");
  EXPECT_TRUE(pet.discriminator->one_of);
  std::vector<std::pair<std::string, std::size_t>> values;
  for (const auto& v : pet.discriminator->values) values.emplace_back(v.value, v.branch);
  // Explicit entries in spec order (a URI reference, a component name, a
  // pointer to an inline branch), then the implicit component names.
  EXPECT_EQ(values, (std::vector<std::pair<std::string, std::size_t>>{
                        {"cat", 0}, {"kitty", 0}, {"fish", 2}, {"Cat", 0}, {"Dog", 1}}));
}

TEST(IrSchemaBuild, DiscriminatorNextToAnyOf) {
  BuiltApi b(R"(
openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Shape:
      anyOf: [{$ref: '#/components/schemas/Square'}]
      discriminator: {propertyName: kind}
    Square: {type: object}
)");
  ASSERT_TRUE(b.set) << dump(b.diags);
  const auto& d = b.component("Shape").discriminator;
  ASSERT_TRUE(d);
  EXPECT_FALSE(d->one_of);
  ASSERT_EQ(d->values.size(), 1u);
  EXPECT_EQ(d->values[0].value, "Square");
}

TEST(IrSchemaBuild, ADiscriminatorMappingThatPointsNowhereIsAnErrorAtTheValue) {
  BuiltApi b(R"(openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Pet:
      oneOf: [{$ref: '#/components/schemas/Cat'}]
      discriminator:
        propertyName: t
        mapping:
          cat: '#/components/schemas/Kat'
    Cat: {type: object}
)");
  EXPECT_FALSE(b.set);
  ASSERT_EQ(ids(b.diags), std::vector<std::string>{"E-SCHEMA-REF-MISSING"}) << dump(b.diags);
  const Diagnostic& d = b.diags.all()[0];
  EXPECT_EQ(d.location.file, "api.yaml");
  EXPECT_EQ(d.location.line, 11);
  EXPECT_EQ(d.location.column, 16);
}

TEST(IrSchemaBuild, DiscriminatorsThatSelectNothingWarn) {
  BuiltApi b(R"(
openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Pet:
      oneOf: [{$ref: '#/components/schemas/Cat'}]
      discriminator: {propertyName: t, mapping: {dog: '#/components/schemas/Dog'}}
    Inline:
      oneOf: [{type: string}]
      discriminator: {propertyName: t}
    Bad:
      anyOf: [{type: string}]
      discriminator: {mapping: {}}
    Cat: {type: object}
    Dog: {type: object}
)");
  ASSERT_TRUE(b.set) << dump(b.diags);
  EXPECT_EQ(ids(b.diags), (std::vector<std::string>{"W-SCHEMA-DISCRIMINATOR", "W-SCHEMA-DISCRIMINATOR",
                                                    "W-SCHEMA-DISCRIMINATOR"}))
      << dump(b.diags);
  // Dog is no branch: only the implicit Cat is left.
  ASSERT_TRUE(b.component("Pet").discriminator);
  EXPECT_EQ(b.component("Pet").discriminator->values.size(), 1u);
  EXPECT_FALSE(b.component("Inline").discriminator);
  EXPECT_FALSE(b.component("Bad").discriminator);
}

TEST(IrSchemaBuild, OpenApiAnnotationsAreNotSchemas) {
  // An allOf-base discriminator (even a broken one), example, xml and
  // externalDocs: no diagnostic, and the `$id` inside the example is data
  // (scanned, it would clash with Other's).
  BuiltApi b(R"(
openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Base:
      type: object
      discriminator: {propertyName: kind, mapping: {x: '#/components/schemas/Nowhere'}}
      example: {$id: 'https://example.com/thing', type: 5}
      xml: {name: base}
      externalDocs: {url: 'https://example.com/docs'}
      properties:
        kind: {type: string, example: {$id: 'https://example.com/kind'}}
    Other: {$id: 'https://example.com/thing', type: object}
)");
  ASSERT_TRUE(b.set) << dump(b.diags);
  EXPECT_TRUE(b.diags.all().empty()) << dump(b.diags);
  EXPECT_FALSE(b.component("Base").discriminator);
  EXPECT_EQ(b.component("Base").type, type_object);
  // Nothing but the components themselves and `kind` became schemas.
  EXPECT_EQ(b.set->schemas.size(), 3u);
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
