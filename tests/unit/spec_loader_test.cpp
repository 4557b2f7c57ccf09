#include "spec/node.h"
#include "spec/workspace.h"
#include "spec_test_util.h"

#include <gtest/gtest.h>

#include <string>

namespace keel::gen::spec {
namespace {

using testing::dump;
using testing::ids;
using Ids = std::vector<std::string>;

struct Loaded {
  Workspace ws;
  Diagnostics diags;
  bool ok = false;
};

std::unique_ptr<Loaded> load(const std::string& text, const std::string& name = "doc.yaml") {
  auto loaded = std::make_unique<Loaded>();
  loaded->ok = loaded->ws.load_root_text(name, text, loaded->diags);
  return loaded;
}

TEST(SpecLoader, PositionsAreOneBasedAndPointersEscaped) {
  auto l = load("a:\n  b/c~d: 1\n  list:\n    - x\n    - y\n");
  ASSERT_TRUE(l->ok) << dump(l->diags);
  const Node& root = l->ws.root();
  const Node* a = root.get("a");
  ASSERT_NE(a, nullptr);
  const Node* bc = a->get("b/c~d");
  ASSERT_NE(bc, nullptr);
  EXPECT_EQ(bc->location.file, "doc.yaml");
  EXPECT_EQ(bc->location.line, 2);
  EXPECT_EQ(bc->location.column, 10);
  EXPECT_EQ(bc->pointer, "/a/b~1c~0d");
  EXPECT_EQ(a->key_locations[0].line, 2);
  EXPECT_EQ(a->key_locations[0].column, 3);
  const Node* y = &a->get("list")->children[1];
  EXPECT_EQ(y->pointer, "/a/list/1");
  EXPECT_EQ(y->location.line, 5);
  EXPECT_EQ(y->location.column, 7);
  EXPECT_EQ(root.pointer, "");
}

TEST(SpecLoader, ScalarKindsAndQuoting) {
  auto l =
      load("s: \"1\"\nn: 1.5e3\nb: true\nq: 'true'\nz: null\nt: ~\ne:\nw: hello\nx: !!str 7\n");
  ASSERT_TRUE(l->ok) << dump(l->diags);
  const Node& r = l->ws.root();
  EXPECT_TRUE(r.get("s")->quoted);
  EXPECT_TRUE(r.get("s")->is_string());
  EXPECT_FALSE(r.get("s")->is_number());
  EXPECT_TRUE(r.get("n")->is_number());
  EXPECT_FALSE(r.get("n")->is_string());
  EXPECT_TRUE(r.get("b")->is_bool());
  EXPECT_TRUE(r.get("b")->as_bool());
  EXPECT_FALSE(r.get("q")->is_bool());
  EXPECT_TRUE(r.get("q")->is_string());
  EXPECT_TRUE(r.get("z")->is_null());
  EXPECT_TRUE(r.get("t")->is_null());
  EXPECT_TRUE(r.get("e")->is_null());
  EXPECT_TRUE(r.get("w")->is_string());
  EXPECT_TRUE(r.get("x")->quoted);
  EXPECT_EQ(r.get_string("w"), "hello");
  EXPECT_EQ(r.get_string("missing", "dflt"), "dflt");
}

TEST(SpecLoader, JsonNumbersFollowJsonGrammar) {
  auto l = load("a: [0, -1, 1.0, 1e5, 01, 1., .5, 0x10, +1]\n");
  ASSERT_TRUE(l->ok);
  const auto& items = l->ws.root().get("a")->children;
  std::vector<bool> expected = {true, true, true, true, false, false, false, false, false};
  ASSERT_EQ(items.size(), expected.size());
  for (std::size_t i = 0; i < items.size(); ++i)
    EXPECT_EQ(items[i].is_number(), expected[i]) << items[i].scalar;
}

TEST(SpecLoader, ReadsJson) {
  auto l = load(R"({"openapi": "3.1.0", "a": {"b\/c": [1, "x", null, false]}})", "doc.json");
  ASSERT_TRUE(l->ok) << dump(l->diags);
  const Node* list = l->ws.root().get("a")->get("b/c");
  ASSERT_NE(list, nullptr);
  ASSERT_EQ(list->children.size(), 4u);
  EXPECT_TRUE(list->children[0].is_number());
  EXPECT_TRUE(list->children[1].is_string());
  EXPECT_TRUE(list->children[2].is_null());
  EXPECT_TRUE(list->children[3].is_bool());
  EXPECT_EQ(list->children[1].pointer, "/a/b~1c/1");
  EXPECT_EQ(list->children[1].location.column, 40);
}

TEST(SpecLoader, DuplicateKeysAreErrors) {
  auto l = load("a: 1\nb: 2\na: 3\n");
  EXPECT_FALSE(l->ok);
  ASSERT_EQ(ids(l->diags), Ids{"E-YAML-DUPLICATE-KEY"});
  EXPECT_EQ(format(l->diags.all()[0]),
            "doc.yaml:3:1: error[E-YAML-DUPLICATE-KEY]: duplicate mapping key 'a' (at /a)");
}

TEST(SpecLoader, DuplicateKeysInLargeMappings) {
  std::string text;
  for (int i = 0; i < 40; ++i) text += "k" + std::to_string(i) + ": 1\n";
  text += "k17: 2\n";
  auto l = load(text);
  EXPECT_EQ(ids(l->diags), Ids{"E-YAML-DUPLICATE-KEY"});
}

TEST(SpecLoader, QuotedAndPlainKeysCollide) {
  auto l = load("{\"200\": 1, 200: 2}\n");
  EXPECT_EQ(ids(l->diags), Ids{"E-YAML-DUPLICATE-KEY"});
}

TEST(SpecLoader, SyntaxErrorsCarryPosition) {
  auto l = load("a: [1, 2\nb: c\n");
  EXPECT_FALSE(l->ok);
  ASSERT_EQ(ids(l->diags), Ids{"E-YAML-SYNTAX"});
  EXPECT_EQ(l->diags.all()[0].location.file, "doc.yaml");
  EXPECT_GE(l->diags.all()[0].location.line, 1);
  EXPECT_NE(l->diags.all()[0].message.find("YAML syntax error"), std::string::npos);
}

TEST(SpecLoader, EmptyAndCommentOnlyFiles) {
  EXPECT_EQ(ids(load("")->diags), Ids{"E-EMPTY"});
  EXPECT_EQ(ids(load("# just a comment\n")->diags), Ids{"E-EMPTY"});
}

TEST(SpecLoader, TopLevelMustBeMapping) {
  EXPECT_EQ(ids(load("- a\n- b\n")->diags), Ids{"E-ROOT-NOT-MAPPING"});
  EXPECT_EQ(ids(load("just text\n")->diags), Ids{"E-ROOT-NOT-MAPPING"});
  EXPECT_EQ(ids(load("---\n")->diags), Ids{"E-ROOT-NOT-MAPPING"});
}

TEST(SpecLoader, InvalidUtf8IsReportedWithPosition) {
  auto l = load("a: ok\nb: \"caf\xE9\"\n");
  ASSERT_EQ(ids(l->diags), Ids{"E-UTF8"});
  EXPECT_EQ(l->diags.all()[0].location.line, 2);
  EXPECT_EQ(l->diags.all()[0].location.column, 8);
}

TEST(SpecLoader, OverlongAndSurrogateUtf8Rejected) {
  EXPECT_EQ(ids(load("a: \"\xC0\xAF\"\n")->diags), Ids{"E-UTF8"});
  EXPECT_EQ(ids(load("a: \"\xED\xA0\x80\"\n")->diags), Ids{"E-UTF8"});
  EXPECT_EQ(ids(load("a: \"\xF4\x90\x80\x80\"\n")->diags), Ids{"E-UTF8"});
}

TEST(SpecLoader, ValidMultibyteUtf8AndBomAccepted) {
  auto l = load("\xEF\xBB\xBF"
                "a: \"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"\n");
  ASSERT_TRUE(l->ok) << dump(l->diags);
  EXPECT_EQ(l->ws.root().get_string("a"), "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
}

TEST(SpecLoader, ControlCharactersAndBinaryRejected) {
  EXPECT_EQ(ids(load(std::string("a: b\0c\n", 7))->diags), Ids{"E-YAML-SYNTAX"});
  EXPECT_EQ(ids(load("\x01\x02\x03")->diags), Ids{"E-YAML-SYNTAX"});
  EXPECT_EQ(ids(load(std::string("\xFF\xFE"
                                 "a\0:\0",
                                 6))
                    ->diags),
            Ids{"E-UTF8"});
}

TEST(SpecLoader, AliasesAreExpandedWithTheirOwnPointers) {
  auto l = load("a: &x {k: [1, 2]}\nb: *x\n");
  ASSERT_TRUE(l->ok) << dump(l->diags);
  const Node* b = l->ws.root().get("b");
  ASSERT_TRUE(b->is_map());
  EXPECT_EQ(b->pointer, "/b");
  EXPECT_EQ(b->get("k")->pointer, "/b/k");
  EXPECT_EQ(b->get("k")->children[1].pointer, "/b/k/1");
  EXPECT_EQ(b->get("k")->children[1].scalar, "2");
}

TEST(SpecLoader, AliasBombStopsAtTheLimit) {
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'l'; ++c) {
    bomb += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 10; ++i) bomb += std::string(i ? ", " : "") + "*" + char(c - 1);
    bomb += "]\n";
  }
  Workspace ws;
  LoadLimits limits;
  limits.max_alias_nodes = 50'000;
  ws.set_limits(limits);
  Diagnostics diags;
  EXPECT_FALSE(ws.load_root_text("bomb.yaml", bomb, diags));
  EXPECT_EQ(ids(diags), Ids{"E-YAML-TOO-LARGE"});
}

TEST(SpecLoader, NodeLimitApplies) {
  Workspace ws;
  LoadLimits limits;
  limits.max_nodes = 10;
  ws.set_limits(limits);
  Diagnostics diags;
  EXPECT_FALSE(ws.load_root_text("big.yaml", "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]", diags));
  EXPECT_EQ(ids(diags), Ids{"E-YAML-TOO-LARGE"});
}

TEST(SpecLoader, DeepNestingIsADiagnostic) {
  std::string deep(5000, '[');
  deep += std::string(5000, ']');
  EXPECT_EQ(ids(load(deep)->diags), Ids{"E-YAML-TOO-DEEP"});
  std::string block;
  for (int i = 0; i < 1500; ++i) block += std::string(static_cast<std::size_t>(i), ' ') + "a:\n";
  EXPECT_EQ(ids(load(block)->diags), Ids{"E-YAML-TOO-DEEP"});
}

TEST(SpecLoader, AliasesCannotStackBeyondTheDepthLimit) {
  Workspace ws;
  LoadLimits limits;
  limits.max_depth = 20;
  ws.set_limits(limits);
  Diagnostics diags;
  std::string text = "a: &a [[[[[[[[[[1]]]]]]]]]]\nb: &b [[[[[[[[[[*a]]]]]]]]]]\nc: [[[[*b]]]]\n";
  EXPECT_FALSE(ws.load_root_text("d.yaml", text, diags));
  EXPECT_EQ(ids(diags), Ids{"E-YAML-TOO-DEEP"});
}

TEST(SpecLoader, OneDocumentPerFile) {
  EXPECT_EQ(ids(load("a: 1\n---\nb: 2\n")->diags), Ids{"E-YAML-MULTIDOC"});
}

TEST(SpecLoader, ComplexKeysRejected) {
  EXPECT_EQ(ids(load("? [a, b]\n: c\n")->diags), Ids{"E-YAML-KEY"});
  EXPECT_EQ(ids(load("{{a: 1}: 2}\n")->diags), Ids{"E-YAML-KEY"});
}

TEST(SpecLoader, UndefinedAliasIsSyntaxError) {
  EXPECT_EQ(ids(load("a: *nope\n")->diags), Ids{"E-YAML-SYNTAX"});
  EXPECT_EQ(ids(load("a: &a [*a]\n")->diags), Ids{"E-YAML-SYNTAX"});
}

TEST(SpecLoader, MissingFileIsIoError) {
  Workspace ws;
  Diagnostics diags;
  EXPECT_FALSE(ws.load_root("/nonexistent/dir/openapi.yaml", diags));
  EXPECT_EQ(ids(diags), Ids{"E-IO"});
}

TEST(SpecLoader, DirectoryIsNotAFile) {
  Workspace ws;
  Diagnostics diags;
  EXPECT_FALSE(ws.load_root(KEEL_SOURCE_DIR, diags));
  EXPECT_EQ(ids(diags), Ids{"E-IO"});
}

TEST(SpecLoader, DiagnosticFormat) {
  Diagnostic d{Severity::warning, "W-X", "msg", {"f.yaml", 3, 4}, "/a~1b"};
  EXPECT_EQ(format(d), "f.yaml:3:4: warning[W-X]: msg (at /a~1b)");
  d.pointer.clear();
  d.severity = Severity::error;
  EXPECT_EQ(format(d), "f.yaml:3:4: error[W-X]: msg");
}

}  // namespace
}  // namespace keel::gen::spec
