#include "emit/validator_emitter.h"
#include "ir/schema_build.h"

#include <gtest/gtest.h>

namespace keel::gen::emit {
namespace {

std::string dump(const Diagnostics& diags) {
  std::string out;
  for (const auto& d : diags.all()) out += format(d) + "\n";
  return out;
}

/// Emitted code for one schema document with the given root names.
std::optional<ValidatorCode> emit_for(const std::string& json, ValidatorOptions options = {},
                                      std::vector<std::string> names = {"Root"}) {
  spec::Workspace ws;
  Diagnostics diags;
  ws.add_document_text("schema.json", json, diags);
  ir::SchemaSetBuilder builder(ws, diags);
  for (const auto& name : names)
    builder.add_schema_node(*ws.document("schema.json"), "https://example.com/s.json", "", name);
  auto set = builder.finish();
  EXPECT_TRUE(set) << dump(diags);
  if (!set) return std::nullopt;
  auto code = emit_validators(*set, options, diags);
  EXPECT_TRUE(code) << dump(diags);
  return code;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
  return n;
}

const char* const kSchema = R"({
  "type": "object", "required": ["id"],
  "properties": {
    "id": {"type": "integer"},
    "owner": {"$ref": "#/$defs/owner"},
    "tags": {"type": "array", "items": {"type": "string", "pattern": "^[a-z]+$"}}
  },
  "$defs": {"owner": {"$ref": "#/$defs/person"}, "person": {"type": "object"}}
})";

TEST(EmitValidator, SameInputSameBytes) {
  auto a = emit_for(kSchema);
  auto b = emit_for(kSchema);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->header, b->header);
  EXPECT_EQ(a->sources, b->sources);
}

TEST(EmitValidator, EntryPointsPerRootWithUniqueNames) {
  auto code = emit_for(kSchema, {}, {"pet", "Pet"});
  ASSERT_TRUE(code);
  ASSERT_EQ(code->entries.size(), 2u);
  EXPECT_EQ(code->entries[0].function, "validate_Pet");
  EXPECT_EQ(code->entries[1].function, "validate_Pet_2");
  EXPECT_NE(code->header.find("bool validate_Pet(const nlohmann::json& instance,"), std::string::npos);
  EXPECT_NE(code->header.find("keel::schema::Errors& errors"), std::string::npos);
  EXPECT_NE(code->header.find("namespace schemas {"), std::string::npos);
}

TEST(EmitValidator, RefChainsCostOneCall) {
  auto code = emit_for(kSchema);
  ASSERT_TRUE(code);
  const std::string& src = code->sources.at(0);
  // owner -> $defs/owner -> $defs/person: the property calls person directly.
  EXPECT_EQ(count(src, "// #/$defs/owner\n"), 0u) << src;
  EXPECT_EQ(count(src, "// #/$defs/person\n"), 1u);
  EXPECT_EQ(count(src, "// #/properties/owner\n"), 0u);
}

TEST(EmitValidator, OnlyRecursiveFunctionsCountDepth) {
  auto flat = emit_for(kSchema);
  ASSERT_TRUE(flat);
  EXPECT_EQ(count(flat->sources.at(0), "keel::schema::Depth"), 0u);
  auto recursive = emit_for(R"({"properties": {"next": {"$ref": "#"}, "n": {"type": "integer"}}})");
  ASSERT_TRUE(recursive);
  EXPECT_EQ(count(recursive->sources.at(0), "keel::schema::Depth depth(c);"), 1u);
}

TEST(EmitValidator, AnnotationsOnlyWhereUnevaluatedLooks) {
  auto none = emit_for(kSchema);
  ASSERT_TRUE(none);
  EXPECT_EQ(count(none->sources.at(0), "mark_property"), 0u);
  auto some = emit_for(R"({"allOf": [{"properties": {"a": true}}], "properties": {"x": {"properties": {"y": true}}},
                           "unevaluatedProperties": false})");
  ASSERT_TRUE(some);
  // The allOf branch marks; the nested object under x does not.
  EXPECT_EQ(count(some->sources.at(0), "pe->mark_property(idx)"), 2u) << some->sources.at(0);
}

TEST(EmitValidator, PatternsCompileOnceInAFunctionLocalStatic) {
  auto code = emit_for(kSchema);
  ASSERT_TRUE(code);
  const std::string& src = code->sources.at(0);
  EXPECT_EQ(count(src, "static const keel::schema::Regex re = keel::schema::Regex::must_compile("), 1u);
  EXPECT_NE(src.find("#include <keel/regex.h>"), std::string::npos);
}

TEST(EmitValidator, SplitsIntoTheRequestedNumberOfFiles) {
  ValidatorOptions options;
  options.source_files = 3;
  auto code = emit_for(kSchema, options);
  ASSERT_TRUE(code);
  ASSERT_EQ(code->sources.size(), 3u);
  EXPECT_NE(code->sources[0].find("bool validate_Root("), std::string::npos);
  std::size_t instantiations = 0;
  for (const auto& src : code->sources) instantiations += count(src, "template bool s");
  EXPECT_GT(instantiations, 0u);
  EXPECT_EQ(instantiations % 2, 0u);  // Fast and Collect for each function
}

TEST(EmitValidator, OnlyReadOnlyAndWriteOnlySchemasLookAtTheDirection) {
  auto plain = emit_for(kSchema);
  ASSERT_TRUE(plain);
  EXPECT_EQ(count(plain->sources.at(0), "direction"), 0u);
  // A `$ref` with a readOnly sibling is not a plain reference: it keeps a
  // function of its own that asserts.
  auto some = emit_for(R"({"properties": {"id": {"$ref": "#/$defs/id", "readOnly": true},
                                          "secret": {"writeOnly": true}, "n": {"type": "integer"}},
                           "$defs": {"id": {"type": "integer"}}})");
  ASSERT_TRUE(some);
  const std::string& src = some->sources.at(0);
  EXPECT_EQ(count(src, "c.options().direction"), 2u) << src;
  EXPECT_EQ(count(src, "c.options().direction == keel::schema::Direction::request"), 1u);
  EXPECT_EQ(count(src, "c.options().direction == keel::schema::Direction::response"), 1u);
  EXPECT_EQ(count(src, "keel::schema::fail_read_only(c, \"#/properties/id/readOnly\")"), 1u);
  EXPECT_EQ(count(src, "keel::schema::fail_write_only(c, \"#/properties/secret/writeOnly\")"), 1u);
}

TEST(EmitValidator, RequiredReadOnlyPropertiesAreRequiredInResponsesOnly) {
  auto plain = emit_for(kSchema);
  ASSERT_TRUE(plain);
  EXPECT_EQ(count(plain->sources.at(0), "required_in"), 0u);
  auto code = emit_for(R"({"required": ["id", "n", "pw"],
                           "properties": {"id": {"$ref": "#/$defs/id"}, "pw": {"writeOnly": true}},
                           "$defs": {"id": {"readOnly": true}}})");
  ASSERT_TRUE(code);
  const std::string& src = code->sources.at(0);
  // Bits id=1, n=2, pw=4: a request needs n and pw, a response id and n.
  EXPECT_EQ(count(src, "const std::uint64_t required0 = keel::schema::required_in(c, 7u, 6u, 3u);"), 1u)
      << src;
  EXPECT_EQ(count(src, "(seen[0] & required0) != required0"), 1u);
}

TEST(EmitValidator, TheDiscriminatorOnlyChoosesWhatTheCollectingPathReports) {
  const char* const pets = R"({
    "oneOf": [{"$ref": "#/$defs/cat"}, {"$ref": "#/$defs/dog"}],
    "discriminator": {"propertyName": "kind", "mapping": {"cat": "#/$defs/cat", "dog": "#/$defs/dog"}},
    "$defs": {"cat": {"required": ["meows"]}, "dog": {"required": ["barks"]}}})";
  auto with = emit_for(pets);
  ASSERT_TRUE(with);
  const std::string& src = with->sources.at(0);
  EXPECT_EQ(count(src, "keel::schema::fail_discriminator(c, \"#/discriminator\", \"kind\""), 1u) << src;
  EXPECT_EQ(count(src, "if (value == std::string_view("), 2u);  // cat, then dog
  EXPECT_EQ(count(src, "else if (value == std::string_view("), 1u);
  // The lookup sits after the fast path has returned: inside the
  // collecting branch of the failed oneOf.
  std::size_t lookup = src.find("i.find(");
  ASSERT_NE(lookup, std::string::npos);
  std::size_t guard = src.rfind("if constexpr (!S::collect) return false;", lookup);
  ASSERT_NE(guard, std::string::npos);
  std::string between = src.substr(guard, lookup - guard);
  EXPECT_NE(between.find("else {"), std::string::npos) << between;
  EXPECT_NE(between.find("if (matched == 0) {"), std::string::npos) << between;
  // Without a discriminator the fast path is the same code.
  auto without = emit_for(R"({
    "oneOf": [{"$ref": "#/$defs/cat"}, {"$ref": "#/$defs/dog"}],
    "$defs": {"cat": {"required": ["meows"]}, "dog": {"required": ["barks"]}}})");
  ASSERT_TRUE(without);
  const std::string& plain = without->sources.at(0);
  EXPECT_EQ(count(plain, "discriminator"), 0u);
  EXPECT_EQ(src.substr(0, guard), plain.substr(0, guard));
}

TEST(EmitValidator, RejectsABadNamespace) {
  spec::Workspace ws;
  Diagnostics diags;
  ir::SchemaSet set;
  ValidatorOptions options;
  options.cpp_namespace = "not a namespace";
  EXPECT_FALSE(emit_validators(set, options, diags));
  ASSERT_EQ(diags.all().size(), 1u);
  EXPECT_EQ(diags.all()[0].id, "E-GEN-NAMESPACE");
}

}  // namespace
}  // namespace keel::gen::emit
