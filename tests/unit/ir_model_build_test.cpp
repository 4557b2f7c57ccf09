// The model IR built from hand-made schema sets: names, boxes, variants.
// (tests/golden/models covers the generated C++ end to end.)
#include "ir/model.h"

#include <gtest/gtest.h>

namespace keel::gen::ir {
namespace {

struct Sets {
  SchemaSet set;

  SchemaId add(Schema s, std::string location = "#/x") {
    s.location = std::move(location);
    set.schemas.push_back(std::move(s));
    return static_cast<SchemaId>(set.schemas.size() - 1);
  }
  SchemaId typed(unsigned type) {
    Schema s;
    s.type = type;
    return add(std::move(s));
  }
  SchemaId ref(SchemaId to) {
    Schema s;
    s.ref = to;
    return add(std::move(s));
  }
  void root(const std::string& name, SchemaId id) { set.roots.push_back({name, id}); }
  const ModelType& type(const Models& m, const std::string& name) {
    for (const auto& t : m.types)
      if (t.name == name) return t;
    ADD_FAILURE() << "no type " << name;
    static ModelType none;
    return none;
  }
};

TEST(ModelBuild, MemberNamesAreEscapedAndUnique) {
  Sets s;
  Schema obj;
  obj.type = type_object;
  obj.properties = {{"class", s.typed(type_string)}, {"fooBar", s.typed(type_string)},
                    {"foo_bar", s.typed(type_integer)}, {"std", s.typed(type_boolean)},
                    {"additional_properties", s.typed(type_string)}};
  obj.required = {"class"};
  s.root("thing", s.add(std::move(obj), "#/components/schemas/thing"));
  Models m = build_models(s.set);
  const ModelType& t = s.type(m, "Thing");
  ASSERT_EQ(t.fields.size(), 5u);
  EXPECT_EQ(t.fields[0].member, "class_");
  EXPECT_TRUE(t.fields[0].required);
  EXPECT_EQ(t.fields[1].member, "foo_bar");
  EXPECT_EQ(t.fields[2].member, "foo_bar_2");
  EXPECT_EQ(t.fields[3].member, "std_2");
  EXPECT_EQ(t.fields[4].member, "additional_properties");
  EXPECT_EQ(t.extra, ExtraProperties::keep);
  EXPECT_EQ(t.extra_member, "additional_properties_2");
}

TEST(ModelBuild, ComponentNamesWinOverInlineOnes) {
  Sets s;
  Schema owner;
  owner.type = type_object;
  owner.properties = {{"id", s.typed(type_string)}};
  Schema pet;
  pet.type = type_object;
  pet.properties = {{"owner", s.add(owner)}};
  s.root("Pet", s.add(pet, "#/components/schemas/Pet"));
  s.root("PetOwner", s.add(owner, "#/components/schemas/PetOwner"));
  Models m = build_models(s.set);
  EXPECT_EQ(m.types[s.type(m, "Pet").fields[0].type.named].name, "PetOwner_2");
  EXPECT_EQ(s.type(m, "PetOwner").location, "#/components/schemas/PetOwner");
}

TEST(ModelBuild, CyclesAreBoxedOnlyWhereHeldByValue) {
  Sets s;
  Schema node;
  node.type = type_object;
  s.set.schemas.push_back(node);  // id 0, filled below
  SchemaId self = 0;
  Schema children;
  children.type = type_array;
  children.items = s.ref(self);
  node.properties = {{"parent", s.ref(self)}, {"children", s.add(children)}};
  node.location = "#/components/schemas/Node";
  s.set.schemas[self] = node;
  s.root("Node", self);
  Models m = build_models(s.set);
  const ModelType& t = s.type(m, "Node");
  EXPECT_TRUE(t.fields[0].type.boxed);
  EXPECT_EQ(t.fields[1].type.kind, TypeRef::Kind::array);
  EXPECT_FALSE(t.fields[1].type.args[0].boxed);
}

TEST(ModelBuild, VariantsDropNullBranchesAndAddBranchValidators) {
  Sets s;
  Schema a;
  a.type = type_object;
  a.properties = {{"x", s.typed(type_string)}};
  SchemaId a_id = s.add(a, "#/components/schemas/A");
  Schema v;
  v.one_of = {s.ref(a_id), s.typed(type_string), s.typed(type_null)};
  s.root("A", a_id);
  s.root("V", s.add(v, "#/components/schemas/V"));
  Models m = build_models(s.set);
  const ModelType& t = s.type(m, "VValue");  // the nullable root's name goes to the alias
  ASSERT_EQ(t.kind, ModelKind::variant);
  ASSERT_EQ(t.alternatives.size(), 2u);
  EXPECT_EQ(t.alternatives[0].validator, 0u);  // A's own root
  ASSERT_EQ(s.set.roots.size(), 3u);           // the string branch got one
  EXPECT_EQ(t.alternatives[1].validator, 2u);
  EXPECT_EQ(s.set.roots[2].name, "VValueOption2");
  const ModelType& alias = s.type(m, "V");
  EXPECT_EQ(alias.kind, ModelKind::alias);
  EXPECT_EQ(alias.target.kind, TypeRef::Kind::nullable);
  ASSERT_EQ(m.roots.size(), 2u);  // one per root given, not per added one
}

}  // namespace
}  // namespace keel::gen::ir
