#include "spec/schema_index.h"
#include "spec_test_util.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace keel::gen::spec {
namespace {

using testing::dump;
using testing::ids;
using Ids = std::vector<std::string>;
namespace fs = std::filesystem;

/// The node at a slash-separated path of plain keys.
const Node* at(const Node& root, const std::string& path) {
  const Node* node = &root;
  std::size_t start = 0;
  while (node != nullptr && start < path.size()) {
    auto slash = path.find('/', start);
    std::string key = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    node = node->is_seq() ? &node->children.at(std::stoul(key)) : node->get(key);
    start = slash == std::string::npos ? path.size() : slash + 1;
  }
  return node;
}

class SchemaIndexTest : public ::testing::Test {
protected:
  const Node& load(const std::string& json) {
    ws.add_document_text("schema.json", json, diags);
    const Node* doc = ws.document("schema.json");
    EXPECT_NE(doc, nullptr) << dump(diags);
    index.add_schema_document(*doc, "https://example.com/root.json", "");
    return *doc;
  }
  /// Resolves the `$ref` of the schema at `path`.
  const Node* ref(const Node& doc, const std::string& path) {
    const Node* schema = at(doc, path);
    EXPECT_NE(schema, nullptr) << path;
    index.ensure_scanned(*schema, doc);
    return index.resolve_ref(*schema, *schema->get("$ref"));
  }
  Workspace ws;
  Diagnostics diags;
  SchemaIndex index{ws, diags};
};

TEST_F(SchemaIndexTest, PointersAnchorsAndEmbeddedResources) {
  const Node& doc = load(R"({
    "$defs": {
      "a": {"$anchor": "here", "type": "string"},
      "b": {"$id": "b.json", "$defs": {"c": {"$anchor": "inner", "type": "null"}}},
      "r1": {"$ref": "#/$defs/a"},
      "r2": {"$ref": "#here"},
      "r3": {"$ref": "b.json#inner"},
      "r4": {"$ref": "https://example.com/b.json#/$defs/c"},
      "r5": {"$id": "sub/", "$ref": "../b.json"}
    }})");
  EXPECT_EQ(ref(doc, "$defs/r1"), at(doc, "$defs/a"));
  EXPECT_EQ(ref(doc, "$defs/r2"), at(doc, "$defs/a"));
  EXPECT_EQ(ref(doc, "$defs/r3"), at(doc, "$defs/b/$defs/c"));
  EXPECT_EQ(ref(doc, "$defs/r4"), at(doc, "$defs/b/$defs/c"));
  EXPECT_EQ(ref(doc, "$defs/r5"), at(doc, "$defs/b"));
  EXPECT_TRUE(diags.all().empty()) << dump(diags);
  EXPECT_EQ(index.location(*at(doc, "$defs/b/$defs/c")), "#/$defs/b/$defs/c");
}

TEST_F(SchemaIndexTest, IdentifiersInDataAreNotIdentifiers) {
  const Node& doc = load(R"({
    "$defs": {
      "in_enum": {"enum": [{"$id": "https://example.com/fake.json", "$anchor": "fake"}]},
      "in_unknown": {"x-keyword": {"$id": "https://example.com/fake.json"}},
      "r1": {"$ref": "https://example.com/fake.json"},
      "r2": {"$ref": "#fake"}
    }})");
  EXPECT_EQ(ref(doc, "$defs/r1"), nullptr);
  EXPECT_EQ(ref(doc, "$defs/r2"), nullptr);
  EXPECT_EQ(ids(diags), (Ids{"E-SCHEMA-REF-UNRESOLVED", "E-SCHEMA-REF-MISSING"}));
}

TEST_F(SchemaIndexTest, PointersMayReachUnknownKeywords) {
  const Node& doc = load(R"({"x-stash": {"type": "integer"}, "properties": {"a": {"$ref": "#/x-stash"}}})");
  const Node* target = ref(doc, "properties/a");
  EXPECT_EQ(target, at(doc, "x-stash"));
  ASSERT_NE(index.place(*target), nullptr);
  EXPECT_EQ(index.place(*target)->base_uri, "https://example.com/root.json");
}

TEST_F(SchemaIndexTest, DuplicateIdsAreErrors) {
  load(R"({"$defs": {"a": {"$id": "x.json"}, "b": {"$id": "x.json"}}})");
  EXPECT_EQ(ids(diags), Ids{"E-SCHEMA-ID-DUPLICATE"});
}

TEST_F(SchemaIndexTest, DynamicRefsAreDynamicOnlyOnADynamicAnchor) {
  const Node& doc = load(R"({
    "$dynamicAnchor": "node",
    "$defs": {"plain": {"$anchor": "p"}},
    "properties": {
      "d": {"$dynamicRef": "#node"},
      "s": {"$dynamicRef": "#p"},
      "q": {"$dynamicRef": "#/$defs/plain"}
    }})");
  auto dyn = [&](const std::string& path) {
    const Node* s = at(doc, path);
    return index.resolve_dynamic_ref(*s, *s->get("$dynamicRef"));
  };
  auto d = dyn("properties/d");
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->dynamic);
  EXPECT_EQ(d->anchor, "node");
  EXPECT_EQ(d->initial, &doc);
  EXPECT_FALSE(dyn("properties/s")->dynamic);
  EXPECT_FALSE(dyn("properties/q")->dynamic);
}

TEST_F(SchemaIndexTest, MappedPrefixesLoadLocalFilesUnderTheirUri) {
  fs::path dir = fs::temp_directory_path() / ("keel_schema_index_" + std::to_string(::getpid()));
  fs::create_directories(dir / "nested");
  std::ofstream(dir / "nested" / "int.json") << R"({"$defs": {"i": {"type": "integer"}}})";
  index.map_uri("http://localhost:1234/", dir.string());
  const Node& doc = load(R"({"$ref": "http://localhost:1234/nested/int.json#/$defs/i"})");
  const Node* target = index.resolve_ref(doc, *doc.get("$ref"));
  ASSERT_NE(target, nullptr) << dump(diags);
  EXPECT_EQ(target->get_string("type"), "integer");
  EXPECT_EQ(index.location(*target), "http://localhost:1234/nested/int.json#/$defs/i");
  fs::remove_all(dir);
}

TEST_F(SchemaIndexTest, TheDraft2020MetaSchemaIsBuiltIn) {
  const Node& doc = load(R"({"$ref": "https://json-schema.org/draft/2020-12/schema"})");
  const Node* target = index.resolve_ref(doc, *doc.get("$ref"));
  ASSERT_NE(target, nullptr) << dump(diags);
  EXPECT_EQ(target->get_string("$dynamicAnchor"), "meta");
}

TEST_F(SchemaIndexTest, CustomMetaSchemasSelectVocabularies) {
  ws.add_document_text("meta.json", R"({
    "$id": "https://example.com/meta",
    "$vocabulary": {"https://json-schema.org/draft/2020-12/vocab/core": true,
                    "https://json-schema.org/draft/2020-12/vocab/applicator": true,
                    "https://example.com/vocab/unknown-optional": false}})",
                       diags);
  index.add_schema_document(*ws.document("meta.json"), "https://example.com/meta", "meta");
  const Node& doc = load(R"({"$schema": "https://example.com/meta", "minimum": 5})");
  const SchemaResource& r = index.resources()[index.place(doc)->resource];
  EXPECT_TRUE(r.vocabularies.applicator);
  EXPECT_FALSE(r.vocabularies.validation);
  EXPECT_TRUE(diags.all().empty()) << dump(diags);
}

TEST_F(SchemaIndexTest, UnknownRequiredVocabulariesAreErrors) {
  ws.add_document_text("meta.json", R"({
    "$id": "https://example.com/meta",
    "$vocabulary": {"https://example.com/vocab/must": true}})",
                       diags);
  index.add_schema_document(*ws.document("meta.json"), "https://example.com/meta", "meta");
  load(R"({"$schema": "https://example.com/meta"})");
  EXPECT_EQ(ids(diags), Ids{"E-SCHEMA-VOCABULARY"});
}

TEST(SchemaIndexOpenApi, SchemaObjectsAreScannedWhereverTheyAre) {
  Workspace ws;
  Diagnostics diags;
  ASSERT_TRUE(ws.load_root_text("api.yaml", R"(
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /p:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$id: 'https://example.com/inline', type: string}
components:
  schemas:
    A: {$anchor: a, type: integer}
    B: {$ref: '#a'}
    C: {$ref: 'https://example.com/inline'}
)", diags));
  SchemaIndex index(ws, diags);
  index.add_openapi_document(ws.root(), "file:///x/api.yaml", "");
  const Node& schemas = *ws.root().get("components")->get("schemas");
  EXPECT_EQ(index.resolve_ref(*schemas.get("B"), *schemas.get("B")->get("$ref")), schemas.get("A"));
  const Node* inline_schema = index.resolve_ref(*schemas.get("C"), *schemas.get("C")->get("$ref"));
  ASSERT_NE(inline_schema, nullptr) << dump(diags);
  EXPECT_EQ(inline_schema->get_string("type"), "string");
  EXPECT_EQ(index.location(*schemas.get("A")), "#/components/schemas/A");
}

}  // namespace
}  // namespace keel::gen::spec

namespace keel::gen::spec {
namespace {

TEST(SchemaJsonLoading, SurrogatePairEscapesInJsonFilesBecomeUtf8) {
  Workspace ws;
  Diagnostics diags;
  ASSERT_TRUE(ws.add_document_text("s.json", R"({"const": "\ud83d\udca9 and \u00e9"})", diags))
      << testing::dump(diags);
  EXPECT_EQ(ws.document("s.json")->get_string("const"), "\xF0\x9F\x92\xA9 and \xC3\xA9");
}

}  // namespace
}  // namespace keel::gen::spec
