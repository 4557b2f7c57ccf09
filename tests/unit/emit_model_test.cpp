// The model emitter on hand-made model IR (tests/golden/models compiles and
// runs the real thing).
#include "emit/model_emitter.h"

#include <gtest/gtest.h>

namespace keel::gen::emit {
namespace {

using ir::TypeRef;

TypeRef of(TypeRef::Kind kind, std::vector<TypeRef> args = {}) {
  TypeRef t;
  t.kind = kind;
  t.args = std::move(args);
  return t;
}

TEST(EmitModels, SpellsTypes) {
  ir::Models m;
  ir::ModelType node;
  node.name = "Node";
  m.types.push_back(node);
  TypeRef named = of(TypeRef::Kind::named);
  TypeRef boxed = named;
  boxed.boxed = true;
  EXPECT_EQ(cpp_type(m, of(TypeRef::Kind::number)), "keel::Number");
  EXPECT_EQ(cpp_type(m, of(TypeRef::Kind::array, {boxed})), "std::vector<keel::Box<Node>>");
  EXPECT_EQ(cpp_type(m, of(TypeRef::Kind::nullable, {named}), "models::"), "keel::Nullable<models::Node>");
  EXPECT_EQ(cpp_type(m, of(TypeRef::Kind::map, {of(TypeRef::Kind::json)})),
            "std::map<std::string, nlohmann::json>");
}

TEST(EmitModels, StructMembersAndConversions) {
  ir::Models m;
  ir::ModelType t;
  t.name = "Pet";
  t.location = "#/components/schemas/Pet";
  ir::ModelField id;
  id.json_name = "id";
  id.member = "id";
  id.type = of(TypeRef::Kind::integer);
  id.required = true;
  ir::ModelField tag;
  tag.json_name = "tag";
  tag.member = "tag";
  tag.type = of(TypeRef::Kind::string);
  t.fields = {id, tag};
  t.extra = ir::ExtraProperties::keep;
  t.extra_member = "additional_properties";
  m.types.push_back(t);
  m.order = {0};
  ModelCode code = emit_models(m, {});
  EXPECT_NE(code.declarations.find("  std::int64_t id{};\n"), std::string::npos) << code.declarations;
  EXPECT_NE(code.declarations.find("  std::optional<std::string> tag;\n"), std::string::npos);
  EXPECT_NE(code.definitions.find("  keel::read_json(json.at(\"id\"), value.id);\n"), std::string::npos)
      << code.definitions;
  EXPECT_NE(code.definitions.find("if (name == \"id\" || name == \"tag\") continue;"), std::string::npos);
}

}  // namespace
}  // namespace keel::gen::emit
