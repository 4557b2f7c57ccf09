// Drives the checked-in models of tests/golden/models/expected: every
// example instance passes its validator, converts to the model and back to
// exactly the same JSON, and variants pick the branch the spec means.
#include "models/expected/models.h"
#include "models/expected/validators.h"

#include <gtest/gtest.h>

#include <string>

namespace {

namespace m = golden_models::models;
namespace v = golden_models::validators;
using nlohmann::json;

template <class Model, class Validate>
Model round_trip(const char* text, Validate validate) {
  json in = json::parse(text);
  EXPECT_TRUE(validate(in, keel::schema::Options{})) << text;
  Model model = in.get<Model>();
  json out = model;
  EXPECT_EQ(out.dump(), in.dump()) << text;
  return model;
}

#define ROUND_TRIP(Type, text) round_trip<m::Type>(text, [](const json& j, const keel::schema::Options& o) { return v::validate_##Type(j, o); })

TEST(Models, WidgetRequiredOptionalNullableDefaults) {
  auto w = ROUND_TRIP(Widget, R"({"id": 7, "name": "w", "kind": "widget", "nickname": null})");
  EXPECT_EQ(w.id, 7);
  EXPECT_TRUE(w.nickname.is_null());
  EXPECT_FALSE(w.note.has_value());
  EXPECT_FALSE(w.weight.has_value());
  EXPECT_DOUBLE_EQ(w.weight_or_default(), 1.5);
  EXPECT_EQ(w.count_or_default(), 3);
  EXPECT_TRUE(w.enabled_or_default());
  EXPECT_EQ(w.default_or_default(), "none");
  EXPECT_EQ(w.color_or_default(), m::WidgetColor::green);
  EXPECT_EQ(w.kind, "widget");
  EXPECT_EQ(m::Widget{}.kind, "widget");  // const: the initial value
}

TEST(Models, WidgetEverything) {
  auto w = ROUND_TRIP(Widget, R"({
    "id": 1, "name": "n", "kind": "widget", "nickname": "nick", "note": null,
    "weight": 2, "count": 5, "enabled": false, "class": "c", "default": "d", "namespace": 3,
    "2fa": true, "status": "in-progress", "color": "red",
    "owner": {"name": "o", "email": "e"}, "tags": ["a", "b"],
    "parts": [{"sku": "x", "qty": 2}, {"sku": "y", "custom": [1, 2.5]}],
    "attributes": {"a": 1, "b": -2}, "extra": {"k": {"deep": [null]}},
    "anything": [1, "two", {"three": 3.0}], "std": "s", "unknown": {"kept": true}})");
  EXPECT_EQ(*w.std_2, "s");
  EXPECT_EQ(*w.nickname, "nick");
  ASSERT_TRUE(w.note.has_value());
  EXPECT_TRUE(w.note->is_null());
  EXPECT_TRUE(w.weight->is_integer());  // 2 stays 2, not 2.0
  EXPECT_EQ(*w.class_, "c");
  EXPECT_EQ(*w.namespace_, 3);
  EXPECT_TRUE(*w._2fa);
  EXPECT_EQ(*w.status, m::Status::in_progress);
  EXPECT_EQ(w.parts->at(1).additional_properties.at("custom"), json::parse("[1, 2.5]"));
  EXPECT_EQ(w.attributes->at("b"), -2);
  EXPECT_EQ(w.additional_properties.at("unknown"), json::parse(R"({"kept": true})"));
  EXPECT_EQ(w.owner->email, "e");
}

TEST(Models, NumbersKeepTheirForm) {
  ROUND_TRIP(Widget, R"({"id": 1, "name": "n", "kind": "widget", "nickname": null, "weight": 2.0})");
  ROUND_TRIP(Widget, R"({"id": 1, "name": "n", "kind": "widget", "nickname": null, "weight": -0.25})");
  ROUND_TRIP(Scores, R"({"total": 3, "a": 1, "b": 1.5, "c": 18446744073709551615})");
}

TEST(Models, EnumStrings) {
  for (const char* value : {"active", "in-progress", "In Progress", "2nd", "class", "", "+1", "-1"}) {
    m::Status s{};
    ASSERT_TRUE(m::from_string(value, s)) << value;
    EXPECT_EQ(m::to_string(s), value);
  }
  m::Status s{};
  EXPECT_FALSE(m::from_string("nope", s));
  EXPECT_EQ(m::to_string(m::Status::in_progress_2), "In Progress");
  EXPECT_EQ(m::to_string(m::Status::_1_2), "-1");
  EXPECT_EQ(m::to_string(m::Status::class_), "class");
  EXPECT_EQ(ROUND_TRIP(Event, R"("INVITE_CREATE")"), m::Event::invite_create);
  EXPECT_EQ(ROUND_TRIP(Handler, R"(2)"), 2);
  auto level = ROUND_TRIP(MaybeLevel, R"(null)");
  EXPECT_TRUE(level.is_null());
  EXPECT_EQ(*ROUND_TRIP(MaybeLevel, R"("high")"), m::MaybeLevelValue::high);
}

TEST(Models, DiscriminatorDispatch) {
  auto circle = ROUND_TRIP(Shape, R"({"type": "circle", "radius": 2})");
  EXPECT_EQ(circle.value.index(), 0u);
  auto square = ROUND_TRIP(Shape, R"({"type": "sq", "side": 1.5})");
  ASSERT_EQ(square.value.index(), 1u);
  EXPECT_DOUBLE_EQ(std::get<m::Square>(square.value).side, 1.5);
  auto triangle = ROUND_TRIP(Shape, R"({"type": "Triangle", "base": 1, "height": 2})");  // implicit mapping
  EXPECT_EQ(triangle.value.index(), 2u);
}

TEST(Models, ValidationDispatch) {
  EXPECT_EQ(ROUND_TRIP(Contact, R"({"email": "a@b"})")->value.index(), 0u);
  EXPECT_EQ(ROUND_TRIP(Contact, R"({"phone": "123"})")->value.index(), 1u);
  EXPECT_EQ(ROUND_TRIP(Contact, R"("just text")")->value.index(), 2u);
  EXPECT_TRUE(ROUND_TRIP(Contact, R"(null)").is_null());
  EXPECT_EQ(ROUND_TRIP(Identifier, R"(42)").value.index(), 0u);
  EXPECT_EQ(ROUND_TRIP(Identifier, R"("abc")").value.index(), 1u);
  EXPECT_EQ(ROUND_TRIP(Identifier, R"([1, 2])").value.index(), 2u);
}

TEST(Models, AllOfMerged) {
  auto dog = ROUND_TRIP(Dog, R"({"name": "Rex", "breed": "lab", "goodBoy": true, "description": "d", "x": 1})");
  EXPECT_EQ(dog.name, "Rex");
  EXPECT_EQ(dog.breed, "lab");
  EXPECT_TRUE(*dog.good_boy);
  m::DogAlias alias = dog;  // a single-allOf schema is the referenced type
  EXPECT_EQ(alias.name, "Rex");
}

TEST(Models, Maps) {
  auto counters = ROUND_TRIP(Counters, R"({"a": 1, "b": 2})");
  EXPECT_EQ(counters.at("b"), 2);
  ROUND_TRIP(Bag, R"({"a": [1], "b": {"c": null}})");
  ROUND_TRIP(Bag, R"({})");
  auto headers = ROUND_TRIP(Headers, R"({"host": "h", "x-trace": "t"})");  // patternProperties are kept
  EXPECT_EQ(headers.additional_properties.at("x-trace"), "t");
}

TEST(Models, Recursive) {
  auto tree = ROUND_TRIP(TreeNode, R"({"value": 1, "children": [{"value": 2, "children": []}],
                                       "parent": {"value": 0, "parent": {"value": -1}}})");
  EXPECT_EQ((*tree.parent)->value, 0);
  EXPECT_EQ(tree.children->at(0).value, 2);
  auto copy = tree;  // deep copy
  (*copy.parent)->value = 9;
  EXPECT_EQ((*tree.parent)->value, 0);
  auto expr = ROUND_TRIP(Expr, R"({"op": "BinaryOp", "left": {"op": "Literal", "value": 1},
                                   "right": {"op": "BinaryOp", "left": {"op": "Literal", "value": 2.5},
                                             "right": {"op": "Literal", "value": 3}}})");
  ASSERT_EQ(expr.value.index(), 1u);
  const auto& op = std::get<1>(expr.value);
  EXPECT_EQ(op.left->value.index(), 0u);
  EXPECT_EQ(op.right->value.index(), 1u);
}

TEST(Models, AliasesAndFallbacks) {
  ROUND_TRIP(Ids, R"(["a", "b"])");
  ROUND_TRIP(Mixed, R"(3)");
  ROUND_TRIP(Mixed, R"("three")");
  ROUND_TRIP(Pair, R"(["a", 1])");
  m::Version version = ROUND_TRIP(Version, R"("1.2")");
  EXPECT_EQ(version, "1.2");
  ROUND_TRIP(WidgetOwner, R"({"id": "o"})");
  ROUND_TRIP(Closed, R"({})");
  m::Flags flags;  // const members start as the constant
  EXPECT_TRUE(flags.on);
  EXPECT_EQ(flags.level, 2);
  EXPECT_DOUBLE_EQ(flags.ratio, 0.5);
  ROUND_TRIP(Flags, R"({"on": true, "level": 2, "ratio": 0.5})");
}

TEST(Models, InlineBodies) {
  ROUND_TRIP(CreateShapeResponse201, R"({"id": "s1", "shape": {"type": "circle", "radius": 1},
                                          "labels": [{"key": "k", "value": "v"}, {"key": "k2"}]})");
  auto list = ROUND_TRIP(ListShapesResponse200, R"([{"type": "sq", "side": 2}])");
  EXPECT_EQ(list.size(), 1u);
}

}  // namespace
