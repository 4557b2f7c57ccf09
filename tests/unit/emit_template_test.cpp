#include "emit/template.h"

#include <gtest/gtest.h>

using keel::gen::emit::render;
using keel::gen::emit::TemplateError;
using Json = nlohmann::ordered_json;

TEST(Template, InsertsVariablesVerbatim) {
  EXPECT_EQ(render("t", "a {{x}} b", Json{{"x", "<&\"'>"}}), "a <&\"'> b");
}

TEST(Template, MissingVariableIsAnErrorNamingTemplateAndLine) {
  try {
    render("api.h.mustache", "line one\n{{missing}}", Json::object());
    FAIL() << "expected TemplateError";
  } catch (const TemplateError& e) {
    EXPECT_STREQ(e.what(), "api.h.mustache:2: template variable 'missing' is not defined");
  }
}

TEST(Template, SectionsIterateListsAndStandaloneLinesVanish) {
  Json data{{"items", Json::array({Json{{"n", "a"}}, Json{{"n", "b"}}})}};
  EXPECT_EQ(render("t", "begin\n{{#items}}\n- {{n}}\n{{/items}}\nend\n", data), "begin\n- a\n- b\nend\n");
}

TEST(Template, InvertedSectionsAndBooleans) {
  Json data{{"yes", true}, {"no", false}, {"empty", Json::array()}};
  EXPECT_EQ(render("t", "{{#yes}}Y{{/yes}}{{#no}}N{{/no}}{{^empty}}E{{/empty}}{{^yes}}!{{/yes}}", data), "YE");
}

TEST(Template, InnerContextShadowsOuterAndDotIsCurrentItem) {
  Json data{{"name", "outer"}, {"list", Json::array({"x", "y"})}, {"obj", Json{{"name", "inner"}}}};
  EXPECT_EQ(render("t", "{{#list}}{{.}}{{name}} {{/list}}{{#obj}}{{name}}{{/obj}}", data),
            "xouter youter inner");
}

TEST(Template, MalformedTemplatesAreErrors) {
  EXPECT_THROW(render("t", "{{#a}}never closed", Json{{"a", true}}), TemplateError);
  EXPECT_THROW(render("t", "{{/a}}", Json::object()), TemplateError);
  EXPECT_THROW(render("t", "{{unterminated", Json::object()), TemplateError);
  EXPECT_THROW(render("t", "{{#a}}{{/b}}", Json{{"a", true}}), TemplateError);
  EXPECT_THROW(render("t", "{{obj}}", Json{{"obj", Json::object()}}), TemplateError);
}
