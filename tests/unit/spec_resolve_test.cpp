#include "spec/workspace.h"
#include "spec_test_util.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace keel::gen::spec {
namespace {

using testing::dump;
using testing::ids;
using Ids = std::vector<std::string>;
namespace fs = std::filesystem;

/// The node at a slash-separated path of plain keys (no escaping needed in tests).
const Node* at(const Node& root, const std::string& path) {
  const Node* node = &root;
  std::size_t start = 0;
  while (node != nullptr && start < path.size()) {
    auto slash = path.find('/', start);
    std::string key =
        path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    node = node->is_seq() ? &node->children.at(std::stoul(key)) : node->get(key);
    start = slash == std::string::npos ? path.size() : slash + 1;
  }
  return node;
}

class SpecResolve : public ::testing::Test {
protected:
  void load(const std::string& text, const std::string& name = "api/openapi.yaml") {
    ASSERT_TRUE(ws.load_root_text(name, text, diags)) << dump(diags);
  }
  const Node* resolve(const std::string& path) {
    const Node* node = at(ws.root(), path);
    EXPECT_NE(node, nullptr) << path;
    return node == nullptr ? nullptr : ws.resolve(*node, diags);
  }
  Workspace ws;
  Diagnostics diags;
};

TEST_F(SpecResolve, NonRefIsItself) {
  load("a: {b: 1}\n");
  const Node* a = at(ws.root(), "a");
  EXPECT_EQ(ws.resolve(*a, diags), a);
  EXPECT_TRUE(diags.all().empty());
}

TEST_F(SpecResolve, LocalRefWithEscapes) {
  load("components:\n"
       "  schemas:\n"
       "    a/b~c: {type: string}\n"
       "    'x y{z}': {type: integer}\n"
       "refs:\n"
       "  - $ref: '#/components/schemas/a~1b~0c'\n"
       "  - $ref: '#/components/schemas/x%20y%7Bz%7D'\n");
  const Node* first = resolve("refs/0");
  ASSERT_NE(first, nullptr) << dump(diags);
  EXPECT_EQ(first->get_string("type"), "string");
  const Node* second = resolve("refs/1");
  ASSERT_NE(second, nullptr) << dump(diags);
  EXPECT_EQ(second->get_string("type"), "integer");
  EXPECT_TRUE(diags.all().empty()) << dump(diags);
}

TEST_F(SpecResolve, IntoSequencesAndWholeDocument) {
  load("list: [a, b, {c: 1}]\nr1: {$ref: '#/list/2'}\nr2: {$ref: '#'}\nr3: {$ref: '#/list/01'}\n");
  EXPECT_EQ(resolve("r1")->get_string("c"), "1");
  EXPECT_EQ(resolve("r2"), &ws.root());
  EXPECT_EQ(resolve("r3"), nullptr);
  EXPECT_EQ(ids(diags), Ids{"E-REF-MISSING"});
}

TEST_F(SpecResolve, ChainsAreFollowed) {
  load("s:\n"
       "  a: {$ref: '#/s/b'}\n"
       "  b: {$ref: '#/s/c'}\n"
       "  c: {type: object}\n");
  const Node* target = resolve("s/a");
  ASSERT_NE(target, nullptr) << dump(diags);
  EXPECT_EQ(target->pointer, "/s/c");
}

TEST_F(SpecResolve, PureCycleIsReportedOnceWhicheverEndStarts) {
  load("s:\n"
       "  a: {$ref: '#/s/b'}\n"
       "  b: {$ref: '#/s/a'}\n");
  Diagnostics from_a, from_b;
  EXPECT_EQ(ws.resolve(*at(ws.root(), "s/a"), from_a), nullptr);
  EXPECT_EQ(ws.resolve(*at(ws.root(), "s/b"), from_b), nullptr);
  ASSERT_EQ(ids(from_a), Ids{"E-REF-CYCLE"});
  ASSERT_EQ(ids(from_b), Ids{"E-REF-CYCLE"});
  EXPECT_EQ(format(from_a.all()[0]), format(from_b.all()[0]));
  EXPECT_EQ(format(from_a.all()[0]),
            "api/openapi.yaml:2:13: error[E-REF-CYCLE]: cycle of $refs with no schema in "
            "between: #/s/a -> #/s/b -> #/s/a (at /s/a/$ref)");
}

TEST_F(SpecResolve, SelfRefIsACycle) {
  load("a: {$ref: '#/a'}\n");
  EXPECT_EQ(resolve("a"), nullptr);
  EXPECT_EQ(ids(diags), Ids{"E-REF-CYCLE"});
}

TEST_F(SpecResolve, SchemaRecursionIsLegalAndNotExpanded) {
  load("components:\n"
       "  schemas:\n"
       "    Node:\n"
       "      type: object\n"
       "      properties:\n"
       "        next: {$ref: '#/components/schemas/Node'}\n");
  const Node* target = resolve("components/schemas/Node/properties/next");
  ASSERT_NE(target, nullptr);
  EXPECT_EQ(target, at(ws.root(), "components/schemas/Node"));
  EXPECT_TRUE(diags.all().empty());
}

TEST_F(SpecResolve, SiblingsOfRefAreNotMerged) {
  load("t: {type: string}\nr: {$ref: '#/t', description: hi}\n");
  const Node* target = resolve("r");
  ASSERT_NE(target, nullptr);
  EXPECT_EQ(target->get("description"), nullptr);
  EXPECT_EQ(target->get_string("type"), "string");
}

TEST_F(SpecResolve, MissingTargetReportsTheRefLocation) {
  load("a:\n  b:\n    $ref: '#/components/schemas/Nope'\n");
  EXPECT_EQ(resolve("a/b"), nullptr);
  ASSERT_EQ(ids(diags), Ids{"E-REF-MISSING"});
  const auto& d = diags.all()[0];
  EXPECT_EQ(d.location.line, 3);
  EXPECT_EQ(d.location.column, 11);
  EXPECT_EQ(d.pointer, "/a/b/$ref");
}

TEST_F(SpecResolve, RemoteRefsAreWarningsAndNeverFetched) {
  load("a: {$ref: 'https://example.com/x.yaml#/y'}\nb: {$ref: '//example.com/x'}\n");
  EXPECT_EQ(resolve("a"), nullptr);
  EXPECT_EQ(resolve("b"), nullptr);
  EXPECT_EQ(ids(diags), (Ids{"W-REF-REMOTE", "W-REF-REMOTE"}));
  EXPECT_FALSE(diags.has_errors());
}

TEST_F(SpecResolve, MalformedRefs) {
  load("a: {$ref: 42}\n"
       "b: {$ref: '#/x%zz'}\n"
       "c: {$ref: '#anchor'}\n"
       "d: {$ref: 'urn:x:y'}\n"
       "e: {$ref: '#/a~2'}\n");
  for (const char* key : {"a", "b", "c", "d", "e"}) EXPECT_EQ(resolve(key), nullptr) << key;
  EXPECT_EQ(ids(diags), (Ids{"E-REF-INVALID", "E-REF-INVALID", "E-REF-UNSUPPORTED",
                             "E-REF-UNSUPPORTED", "E-REF-INVALID"}));
}

TEST_F(SpecResolve, RelativeFilesInMemory) {
  ASSERT_TRUE(ws.add_document_text("api/schemas/pet.yaml",
                                   "Pet:\n  type: object\n  properties:\n"
                                   "    owner: {$ref: '../people.yaml#/Person'}\n",
                                   diags));
  ASSERT_TRUE(ws.add_document_text("api/people.yaml", "Person: {type: object}\n", diags));
  load("pet: {$ref: './schemas/pet.yaml#/Pet'}\nwhole: {$ref: schemas/pet.yaml}\n");
  const Node* pet = resolve("pet");
  ASSERT_NE(pet, nullptr) << dump(diags);
  EXPECT_EQ(pet->location.file, "api/schemas/pet.yaml");
  EXPECT_EQ(pet->pointer, "/Pet");
  const Node* owner = ws.resolve(*pet->get("properties")->get("owner"), diags);
  ASSERT_NE(owner, nullptr) << dump(diags);
  EXPECT_EQ(owner->location.file, "api/people.yaml");
  EXPECT_EQ(ws.file_of(*owner), "api/people.yaml");
  const Node* whole = resolve("whole");
  EXPECT_EQ(whole, ws.document("api/schemas/pet.yaml"));
}

class TempDir {
public:
  TempDir() {
    path_ = fs::temp_directory_path() / ("keel-spec-test-" + std::to_string(::getpid()));
    fs::remove_all(path_);
    fs::create_directories(path_ / "sub");
  }
  ~TempDir() { fs::remove_all(path_); }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name) << text;
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

private:
  fs::path path_;
};

TEST(SpecResolveFiles, FilesAreLoadedOnceAndKeepTheirNames) {
  TempDir dir;
  dir.write("openapi.yaml", "a: {$ref: 'sub/s.yaml#/A'}\nb: {$ref: 'sub/s.yaml#/B'}\n");
  dir.write("sub/s.yaml", "A: {type: string}\nB: {$ref: '../openapi.yaml#/a'}\n");
  Workspace ws;
  Diagnostics diags;
  ASSERT_TRUE(ws.load_root(dir.file("openapi.yaml"), diags)) << dump(diags);
  const Node* a = ws.resolve(*ws.root().get("a"), diags);
  const Node* b = ws.resolve(*ws.root().get("b"), diags);
  ASSERT_NE(a, nullptr) << dump(diags);
  EXPECT_EQ(a, b);  // b -> s.yaml#/B -> openapi.yaml#/a -> s.yaml#/A
  EXPECT_EQ(a->location.file, dir.file("sub/s.yaml"));
  EXPECT_EQ(a->location.line, 1);
  EXPECT_TRUE(diags.all().empty()) << dump(diags);
}

TEST(SpecResolveFiles, MissingAndBrokenFiles) {
  TempDir dir;
  dir.write("openapi.yaml",
            "a: {$ref: 'nope.yaml#/x'}\nb: {$ref: 'bad.yaml'}\nc: {$ref: 'bad.yaml#/y'}\n");
  dir.write("bad.yaml", "a: [1,\n");
  Workspace ws;
  Diagnostics diags;
  ASSERT_TRUE(ws.load_root(dir.file("openapi.yaml"), diags));
  EXPECT_EQ(ws.resolve(*ws.root().get("a"), diags), nullptr);
  EXPECT_EQ(ws.resolve(*ws.root().get("b"), diags), nullptr);
  EXPECT_EQ(ws.resolve(*ws.root().get("c"), diags), nullptr);
  EXPECT_EQ(ids(diags), (Ids{"E-REF-FILE", "E-REF-FILE", "E-YAML-SYNTAX", "E-REF-FILE"}));
  EXPECT_EQ(diags.all()[2].location.file, dir.file("bad.yaml"));
}

TEST(SpecResolveFiles, NormalizePath) {
  EXPECT_EQ(normalize_path("a/./b/../c.yaml"), "a/c.yaml");
  EXPECT_EQ(normalize_path("./openapi.yaml"), "openapi.yaml");
  EXPECT_EQ(normalize_path("../x/y.yaml"), "../x/y.yaml");
}

}  // namespace
}  // namespace keel::gen::spec
