#include <keel/regex.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>
#include <thread>
#include <vector>

#ifndef KEEL_SHARED_DIR
#define KEEL_SHARED_DIR "../shared"
#endif

namespace {

using Json = nlohmann::json;
using keel::schema::is_valid_ecma_regex;
using keel::schema::Regex;
using keel::schema::RegexResult;

namespace fs = std::filesystem;

const fs::path kSuite = fs::path(KEEL_SHARED_DIR) / "json-schema-test-suite/tests/draft2020-12";

Json load(const fs::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path.string());
  return Json::parse(in);
}

RegexResult search(std::string_view pattern, std::string_view subject) {
  std::string error;
  std::optional<Regex> re = Regex::compile(pattern, &error);
  if (!re) {
    ADD_FAILURE() << "/" << pattern << "/ does not compile: " << error;
    return RegexResult::limit_exceeded;
  }
  return re->search(subject);
}

bool matches(std::string_view pattern, std::string_view subject) {
  const RegexResult r = search(pattern, subject);
  EXPECT_NE(r, RegexResult::limit_exceeded) << pattern;
  return r == RegexResult::match;
}

bool valid(std::string_view pattern) { return is_valid_ecma_regex(pattern); }

// Just enough of JSON Schema to run the suite's pattern cases: the keywords
// those schemas use next to `pattern`. Anything else makes the case
// unsupported, which the suite test reports as a failure so that none is
// silently dropped.
class MiniValidator {
 public:
  std::optional<bool> validate(const Json& schema, const Json& instance) {
    if (schema.is_boolean()) return schema.get<bool>();
    if (!schema.is_object()) return std::nullopt;
    bool ok = true;
    for (const auto& [key, value] : schema.items()) {
      if (key == "$schema" || key == "patternProperties" || key == "additionalProperties") {
        continue;
      }
      std::optional<bool> r;
      if (key == "type") {
        r = type_matches(value.get<std::string>(), instance);
      } else if (key == "maximum") {
        r = !instance.is_number() || instance.get<double>() <= value.get<double>();
      } else if (key == "pattern") {
        r = !instance.is_string() || found(value.get<std::string>(), instance.get<std::string>());
      } else if (key == "format" && value == "regex") {
        r = !instance.is_string() || is_valid_ecma_regex(instance.get<std::string>());
      } else {
        return std::nullopt;
      }
      if (!r) return std::nullopt;
      ok = ok && *r;
    }
    if (!instance.is_object()) return ok;
    const Json* pattern_properties = schema.contains("patternProperties")
                                         ? &schema["patternProperties"]
                                         : nullptr;
    for (const auto& [name, member] : instance.items()) {
      bool matched = false;
      if (pattern_properties) {
        for (const auto& [pattern, sub] : pattern_properties->items()) {
          if (!found(pattern, name)) continue;
          matched = true;
          std::optional<bool> r = validate(sub, member);
          if (!r) return std::nullopt;
          ok = ok && *r;
        }
      }
      if (!matched && schema.contains("additionalProperties")) {
        std::optional<bool> r = validate(schema["additionalProperties"], member);
        if (!r) return std::nullopt;
        ok = ok && *r;
      }
    }
    return ok;
  }

 private:
  static bool type_matches(const std::string& type, const Json& instance) {
    if (type == "string") return instance.is_string();
    if (type == "object") return instance.is_object();
    if (type == "integer") {
      return instance.is_number_integer() ||
             (instance.is_number_float() && instance.get<double>() == static_cast<double>(
                                                                         instance.get<long long>()));
    }
    if (type == "number") return instance.is_number();
    if (type == "boolean") return instance.is_boolean();
    if (type == "null") return instance.is_null();
    if (type == "array") return instance.is_array();
    return false;
  }

  bool found(const std::string& pattern, const std::string& subject) {
    auto it = cache_.find(pattern);
    if (it == cache_.end()) {
      std::string error;
      std::optional<Regex> re = Regex::compile(pattern, &error);
      if (!re) throw std::runtime_error("/" + pattern + "/ does not compile: " + error);
      it = cache_.emplace(pattern, std::move(*re)).first;
    }
    const RegexResult r = it->second.search(subject);
    if (r == RegexResult::limit_exceeded) throw std::runtime_error("limit exceeded: " + pattern);
    return r == RegexResult::match;
  }

  std::map<std::string, Regex> cache_;
};

struct SuiteCount {
  int passed = 0;
  int total = 0;
};

SuiteCount run_suite_file(const std::string& relative) {
  SuiteCount count;
  const Json groups = load(kSuite / relative);
  MiniValidator validator;
  for (const Json& group : groups) {
    for (const Json& test : group["tests"]) {
      ++count.total;
      std::optional<bool> result;
      try {
        result = validator.validate(group["schema"], test["data"]);
      } catch (const std::exception& e) {
        ADD_FAILURE() << relative << ": " << group["description"] << " / "
                      << test["description"] << ": " << e.what();
        continue;
      }
      if (!result) {
        ADD_FAILURE() << relative << ": unsupported schema " << group["schema"].dump();
        continue;
      }
      if (*result == test["valid"].get<bool>()) {
        ++count.passed;
      } else {
        ADD_FAILURE() << relative << ": " << group["description"].get<std::string>() << " / "
                      << test["description"].get<std::string>() << ": expected "
                      << test["valid"] << " for " << test["data"].dump();
      }
    }
  }
  std::cout << "[ suite    ] " << relative << ": " << count.passed << "/" << count.total
            << " passed\n";
  return count;
}

TEST(RuntimeRegexSuite, OfficialTestSuiteFiles) {
  if (!fs::exists(kSuite)) GTEST_SKIP() << "no test suite at " << kSuite;
  for (const char* file : {"pattern.json", "patternProperties.json", "optional/ecmascript-regex.json",
                           "optional/non-bmp-regex.json", "optional/format/regex.json",
                           "optional/format/ecmascript-regex.json"}) {
    SuiteCount count = run_suite_file(file);
    EXPECT_GT(count.total, 0) << file;
    EXPECT_EQ(count.passed, count.total) << file;
  }
}

TEST(RuntimeRegex, DollarOnlyAtTheVeryEnd) {
  EXPECT_TRUE(matches("^abc$", "abc"));
  EXPECT_FALSE(matches("^abc$", "abc\n"));
  EXPECT_FALSE(matches("^abc$", "abc\ndef"));
  EXPECT_TRUE(matches("(?m:^def$)", "abc\ndef\r\n"));
  EXPECT_TRUE(matches("(?m:c$)", "abc\u2028def"));
  EXPECT_FALSE(matches("^b", "a\nb"));
}

TEST(RuntimeRegex, DotExcludesLineTerminatorsOnly) {
  EXPECT_FALSE(matches("^.$", "\n"));
  EXPECT_FALSE(matches("^.$", "\r"));
  EXPECT_FALSE(matches("^.$", "\u2028"));
  EXPECT_FALSE(matches("^.$", "\u2029"));
  EXPECT_TRUE(matches("^.$", "\x0b"));
  EXPECT_TRUE(matches("^.$", "\u0085"));  // NEL is not an ECMA-262 line terminator
  EXPECT_TRUE(matches("^.$", "\U0001F600"));
  EXPECT_TRUE(matches("^(?s:.)$", "\n"));
  EXPECT_TRUE(matches("^[^]$", "\n"));
  EXPECT_FALSE(matches("[]", "anything"));
  EXPECT_FALSE(matches("^[]?$", "x"));
  EXPECT_TRUE(matches("^[]?$", ""));
}

TEST(RuntimeRegex, ClassEscapesFollowEcma) {
  EXPECT_TRUE(matches("^\\d+$", "0123456789"));
  EXPECT_FALSE(matches("^\\d$", "\u0660"));
  EXPECT_FALSE(matches("^\\w$", "\u00e9"));
  EXPECT_TRUE(matches("^\\W$", "\u00e9"));
  for (const char* space : {" ", "\t", "\n", "\v", "\f", "\r", "\u00a0", "\u1680", "\u2000",
                            "\u200a", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000", "\ufeff"}) {
    EXPECT_TRUE(matches("^\\s$", space)) << space;
    EXPECT_FALSE(matches("^\\S$", space)) << space;
    EXPECT_TRUE(matches("^[\\s]$", space)) << space;
    EXPECT_FALSE(matches("^[\\S]$", space)) << space;
  }
  for (const char* other : {"\u0085", "\u180e", "\u200b", "a", "\u2013"}) {
    EXPECT_FALSE(matches("^\\s$", other)) << other;
    EXPECT_TRUE(matches("^[\\S]$", other)) << other;
  }
  EXPECT_TRUE(matches("^[\\d\\s]+$", "1 2"));
  EXPECT_TRUE(matches("^[^\\D]$", "7"));
  EXPECT_FALSE(matches("^[^\\W]$", "\u00e9"));
}

TEST(RuntimeRegex, WordBoundaryIsAscii) {
  EXPECT_TRUE(matches("a\\b", "a\u00e9"));
  EXPECT_FALSE(matches("a\\B", "a\u00e9"));
  EXPECT_TRUE(matches("\\bfoo\\b", "a foo b"));
  EXPECT_FALSE(matches("\\bfoo\\b", "afoo"));
}

TEST(RuntimeRegex, IgnoreCaseModifier) {
  EXPECT_TRUE(matches("^(?i:abc)$", "AbC"));
  EXPECT_TRUE(matches("^(?i:a)b$", "Ab"));
  EXPECT_FALSE(matches("^(?i:a)b$", "AB"));
  EXPECT_TRUE(matches("^(?i:a(?-i:b))$", "Ab"));
  EXPECT_FALSE(matches("^(?i:a(?-i:b))$", "AB"));
  EXPECT_TRUE(matches("^(?i:\\u00e9)$", "\u00c9"));
  // Unicode-mode case folding brings U+017F and U+212A into \w and [a-z].
  EXPECT_TRUE(matches("^(?i:\\w)$", "\u017f"));
  EXPECT_TRUE(matches("^(?i:\\w)$", "\u212a"));
  EXPECT_FALSE(matches("^(?i:\\W)$", "\u017f"));
  EXPECT_TRUE(matches("^(?i:[a-z])$", "\u212a"));
  EXPECT_FALSE(matches("^\\w$", "\u212a"));
  EXPECT_TRUE(matches("(?i:\\bk\\b)", "\u212a"));
  EXPECT_TRUE(matches("(?i:(?<=\\w*a))", "A"));  // carried into an emulated lookbehind
  EXPECT_FALSE(matches("(?i:(?<=(?-i:\\w*a)))", "A"));
  // Properties fold too: some uppercase letter folds like each of these.
  EXPECT_TRUE(matches("^(?i:\\p{Lu})$", "b"));
  EXPECT_TRUE(matches("^(?i:\\p{Lu})$", "\u00df"));  // U+1E9E
  EXPECT_FALSE(matches("^(?i:\\p{Lu})$", "\u0138"));  // kra has no uppercase
  EXPECT_TRUE(matches("^(?i:\\P{Ll})$", "b"));
  EXPECT_FALSE(matches("^(?i:[^\\p{Lu}])$", "b"));
}

TEST(RuntimeRegex, UnicodePropertyEscapes) {
  EXPECT_TRUE(matches("^\\p{L}+$", "Stra\u00dfe"));
  EXPECT_TRUE(matches("^\\p{Letter}+$", "\u03c0"));
  EXPECT_TRUE(matches("^\\p{General_Category=Letter}$", "x"));
  EXPECT_TRUE(matches("^\\p{gc=Lu}$", "X"));
  EXPECT_FALSE(matches("^\\p{Lu}$", "x"));
  EXPECT_TRUE(matches("^\\P{L}$", "1"));
  EXPECT_TRUE(matches("^\\p{LC}$", "x"));
  EXPECT_TRUE(matches("^\\p{Script=Greek}+$", "\u03b1\u03b2"));
  EXPECT_TRUE(matches("^\\p{sc=Grek}$", "\u03b1"));
  EXPECT_FALSE(matches("^\\p{sc=Greek}$", "a"));
  EXPECT_TRUE(matches("^\\p{scx=Hira}$", "\u30fc"));  // in Hiragana's Script_Extensions
  EXPECT_FALSE(matches("^\\p{sc=Hira}$", "\u30fc"));
  EXPECT_TRUE(matches("^\\p{Any}$", "\n"));
  EXPECT_TRUE(matches("^\\p{ASCII}+$", "abc~"));
  EXPECT_FALSE(matches("^\\p{ASCII}$", "\u00e9"));
  EXPECT_TRUE(matches("^\\p{Assigned}$", "a"));
  EXPECT_FALSE(matches("^\\p{Assigned}$", "\U000E0080"));
  EXPECT_TRUE(matches("^\\p{CWKCF}$", "A"));
  EXPECT_FALSE(matches("^\\p{Changes_When_NFKC_Casefolded}$", "a"));
  EXPECT_TRUE(matches("^\\P{CWKCF}$", "a"));
  EXPECT_TRUE(matches("^[\\p{Nd}\\p{Lu}]+$", "A\u0661"));
  EXPECT_TRUE(matches("^[^\\p{L}]$", "1"));
  EXPECT_TRUE(matches("^\\p{Emoji_Presentation}$", "\U0001F600"));
  EXPECT_TRUE(matches("^\\p{digit}$", "\u09ea"));
  EXPECT_TRUE(matches("^\\p{White_Space}$", "\u3000"));
  // ECMA-262 takes the names exactly as Unicode spells them.
  for (const char* bad : {"\\p{letter}", "\\p{Greek}", "\\p{IsGreek}", "\\p{L", "\\p",
                          "\\p{Script=Foo}", "\\p{sc}", "\\p{Lu=Lu}", "\\p{Block=Basic_Latin}",
                          "\\p{Script=Greek=Greek}", "\\p{ gc=L}", "\\p{}"}) {
    EXPECT_FALSE(valid(bad)) << bad;
  }
}

TEST(RuntimeRegex, EscapesOfUnicodeMode) {
  EXPECT_TRUE(matches("^\\cA\\ca\\cZ$", "\x01\x01\x1a"));
  EXPECT_TRUE(matches("^\\x41\\u0042\\u{43}\\u{1F600}$", "ABC\U0001F600"));
  EXPECT_TRUE(matches("^\\uD83D\\uDE00$", "\U0001F600"));
  EXPECT_TRUE(matches("^[\\uD83D\\uDE00]$", "\U0001F600"));
  EXPECT_TRUE(matches("^\\0$", std::string_view("\0", 1)));
  EXPECT_TRUE(matches("^\\t\\n\\v\\f\\r$", "\t\n\v\f\r"));
  EXPECT_TRUE(matches("^[\\b]$", "\b"));
  EXPECT_TRUE(matches("^\\/\\^\\$\\.\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|\\\\$", "/^$.*+?()[]{}|\\"));
  EXPECT_TRUE(matches("^[\\-]$", "-"));
  // A lone surrogate is valid syntax but can never occur in UTF-8 text.
  EXPECT_FALSE(matches("\\uD800", "\xed\xa0\x80"));
  EXPECT_FALSE(matches("[\\uD800-\\uDFFF]", "x"));
  EXPECT_TRUE(matches("^[^\\uD800]$", "x"));
  EXPECT_TRUE(matches("^[\\uD7FF-\\uE000]+$", "\ud7ff\ue000"));
  for (const char* bad : {"\\a", "\\e", "\\z", "\\Z", "\\A", "\\G", "\\Q", "\\K", "\\h", "\\i",
                          "\\-", "\\c1", "\\c", "\\x4", "\\xZZ", "\\u12", "\\u{110000}", "\\u{}",
                          "\\00", "\\01", "\\8", "\\", "[\\B]", "[\\k<a>]", "[\\1]", "\\k",
                          "\\k<a>", "(?<a>x)\\k<b>", "\\1", "(a)\\2", "\\_", "\\ "}) {
    EXPECT_FALSE(valid(bad)) << bad;
  }
}

TEST(RuntimeRegex, SyntaxErrorsOfUnicodeMode) {
  for (const char* bad :
       {"(", ")", "a)", "[", "[a", "]", "}", "{", "a{", "a{1", "a{,2}", "a{2,1}", "x{1}{2}", "*",
        "+a", "a**", "a++", "?", "(?=a)*", "(?!a)+", "(?<=a)?", "(?<!a){2}", "^*", "$+", "\\b*",
        "[z-a]", "[\\d-z]", "[a-\\w]", "(?P<n>x)", "(?P=n)", "(?#c)", "(?i)abc", "(?ims)x",
        "(?<>x)", "(?<1a>x)", "(?<a-b>x)", "(?<a>x)(?<a>y)", "(?<a>(?<a>x))", "(?-:a)",
        "(?ii:a)", "(?i-i:a)", "(?x:a)", "(?>a)", "(?|a)", "a{99999999999999999999,1}"}) {
    EXPECT_FALSE(valid(bad)) << bad;
  }
  for (const char* good :
       {"", "a|", "|", "()", "(?:)", "a{1}", "a{1,}", "a{1,1}", "a{0,99999999999999999999}",
        "[]", "[^]", "[-a]", "[a-]", "[a-b-c]", "[%--]", "(?<$x\\u0061>a)\\k<$xa>",
        "(?<\\u{1d49c}>x)", "(?<\\ud835\\udc9c>x)", "(?<a>x)|(?<a>y)", "(?:(?<a>x)|(?<a>y))\\k<a>",
        "(?<=a+)b", "(?<!a|bc)d", "(?i:a)", "(?-i:a)", "(?m-s:a)", "(?ims:a)", "\\k<a>(?<a>x)",
        "\\1(a)", "a{2,3}?", "[\\]]", "[[]", "[{}()|*+?.^$/]", "[\\b\\-]", "\\p{Script_Extensions=Latn}",
        "\\P{gc=Cn}", "a{0}", "\\u{0}", "[\\u{10FFFF}]", "\\cz", "(?=a)", "(?!a)b"}) {
    std::string error;
    EXPECT_TRUE(is_valid_ecma_regex(good, &error)) << good << ": " << error;
  }
  std::string error;
  EXPECT_FALSE(is_valid_ecma_regex("ab(c", &error));
  EXPECT_NE(error.find("position"), std::string::npos) << error;
  EXPECT_FALSE(is_valid_ecma_regex("\xff", &error));
  EXPECT_FALSE(Regex::compile("\xc3", &error));
}

TEST(RuntimeRegex, NamedGroupsAndBackreferences) {
  EXPECT_TRUE(matches("^(?<y>\\d{4})-\\k<y>$", "2024-2024"));
  EXPECT_FALSE(matches("^(?<y>\\d{4})-\\k<y>$", "2024-2025"));
  EXPECT_TRUE(matches("^(a)\\1$", "aa"));
  // ECMA-262: a group that has not captured matches the empty string.
  EXPECT_TRUE(matches("^(a)?b\\1$", "b"));
  EXPECT_TRUE(matches("^\\1(a)$", "a"));
  EXPECT_TRUE(matches("^(?:(?<n>a)|(?<n>b))\\k<n>$", "bb"));
  EXPECT_TRUE(matches("^(?:(?<n>a)|(?<n>b))\\k<n>$", "aa"));
  EXPECT_FALSE(matches("^(?:(?<n>a)|(?<n>b))\\k<n>$", "ab"));
  EXPECT_TRUE(matches("^(?:(?<n>a)|(?<n>b)|c)\\k<n>$", "c"));
  EXPECT_TRUE(matches("^(?<\\u{1d49c}>x)\\k<\\u{1d49c}>$", "xx"));
}

TEST(RuntimeRegex, Lookarounds) {
  EXPECT_TRUE(matches("^a(?=b)", "ab"));
  EXPECT_FALSE(matches("^a(?!b)", "ab"));
  EXPECT_TRUE(matches("(?<=\\$)\\d+", "cost: $42"));
  EXPECT_FALSE(matches("(?<=\\$)\\d+", "cost: 42"));
  EXPECT_TRUE(matches("(?<!-)\\b\\d+", "42"));
  EXPECT_TRUE(matches("(?<=ab|c)d", "cd"));
  EXPECT_TRUE(matches("(?<=(?:[]|a)b)c", "abc"));  // [] still has length 1
  EXPECT_FALSE(matches("(?<=(?:\\uD800|a)b)c", "bc"));
  // Variable-length lookbehinds run backwards, as ECMA-262 defines them.
  EXPECT_TRUE(matches("(?<=a+)b", "aab"));
  EXPECT_FALSE(matches("(?<=a+)b", "cb"));
  EXPECT_TRUE(matches("(?<!a+)b", "cb"));
  EXPECT_FALSE(matches("(?<!a+)b", "ab"));
  EXPECT_TRUE(matches("^.*(?<=^(?:ab)+)c$", "ababc"));
  EXPECT_FALSE(matches("^.*(?<=^(?:ab)+)c$", "abbc"));
  EXPECT_TRUE(matches("(?<=\\d{1,3}px)!", "12px!"));
  EXPECT_TRUE(matches("(?<=(?<=x\\d+)y+)z", "x12yyz"));
  EXPECT_FALSE(matches("(?<=(?<=x\\d+)y+)z", "12yyz"));
  EXPECT_TRUE(matches("(?<=a(?=b+c)b*)bc", "abbc"));
  EXPECT_TRUE(matches("(?<=^\\w+)\\.", "abc."));
  EXPECT_FALSE(matches("(?<=^\\w+)\\.", "a c."));
  EXPECT_TRUE(matches("(?<=\\bfoo\\s*)bar", "foo  bar"));
  EXPECT_TRUE(matches("(?<=(?m:^)a*)b", "x\naab"));
  // The callout of an emulated lookbehind can fail: what precedes it must be
  // able to give characters back.
  EXPECT_TRUE(matches("^b\\s{0,3}(?<!.[^]{0,3}\\D)", "b \n\ufeff_"));
  EXPECT_TRUE(matches("^a\\s*(?<!\\s+)$", "a"));
  EXPECT_FALSE(matches("^a\\s*(?<!\\s+)$", "a "));
  // Backwards, a back-reference is met before its group: ECMA-262 semantics.
  EXPECT_TRUE(matches("(?<=(a)\\1)b", "ab"));
  EXPECT_TRUE(matches("(?<=\\1(a))b", "aab"));
  EXPECT_FALSE(matches("(?<=\\1(a))b", "cab"));
  EXPECT_FALSE(matches("(?<=\\1(a))b", "ab"));
}

TEST(RuntimeRegex, CatastrophicPatternsHitTheLimitQuickly) {
  const std::string subject = std::string(40, 'a') + "b";
  for (const char* pattern : {"^(a+)+$", "^(a|a)*$", "^(a|aa)+$", "^(?:a*)*b?c$", "(a*)*b\\1c"}) {
    std::optional<Regex> re = Regex::compile(pattern);
    ASSERT_TRUE(re) << pattern;
    const auto t0 = std::chrono::steady_clock::now();
    const RegexResult r = re->search(subject);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - t0)
                        .count();
    EXPECT_NE(r, RegexResult::match) << pattern;
    EXPECT_LT(ms, 200) << pattern;
  }
  std::optional<Regex> re = Regex::compile("^(a+)+$");
  EXPECT_EQ(re->search(subject), RegexResult::limit_exceeded);
  // The lookbehind budget bounds emulated lookbehinds too.
  for (const char* pattern : {"(?<=^(a|aa)+)c", "(?<=a+)$"}) {
    re = Regex::compile(pattern);
    ASSERT_TRUE(re);
    const auto t0 = std::chrono::steady_clock::now();
    const std::string hostile = pattern[5] == '(' ? "b" + std::string(40, 'a') + "c"
                                                  : std::string(200'000, 'a');
    EXPECT_EQ(re->search(hostile), RegexResult::limit_exceeded) << pattern;
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(500)) << pattern;
  }
}

TEST(RuntimeRegex, LongSubjectsStillMatch) {
  const std::string long_subject(200'000, 'a');
  EXPECT_TRUE(matches("^a+$", long_subject));
  EXPECT_TRUE(matches("^[a-z]*$", long_subject));
  EXPECT_TRUE(matches("a$", long_subject));
  EXPECT_FALSE(matches("b", long_subject));
  EXPECT_TRUE(matches("(?<=a+)$", long_subject.substr(0, 200)));
  EXPECT_TRUE(matches("(?<=\\d+px)!", std::string(100'000, 'x') + "12px!"));
}

TEST(RuntimeRegex, InvalidUtf8SubjectNeverMatches) {
  EXPECT_EQ(search(".*", "\xff"), RegexResult::no_match);
  EXPECT_EQ(search("a", "a\xc3"), RegexResult::no_match);
  EXPECT_EQ(search("a", "a\xed\xa0\x80"), RegexResult::no_match);  // encoded surrogate
  EXPECT_EQ(search("a", "a\xc0\x80"), RegexResult::no_match);      // overlong
  EXPECT_EQ(search("", ""), RegexResult::match);
}

TEST(RuntimeRegex, NestingIsBoundedAndLinear) {
  EXPECT_TRUE(valid(std::string(200, '(') + std::string(200, ')')));
  EXPECT_FALSE(valid(std::string(100'000, '(') + std::string(100'000, ')')));
  EXPECT_FALSE(valid(std::string(100'000, '[')));
  std::string many_names;
  for (int i = 0; i < 2000; ++i) many_names += "(?<n>a)|";
  EXPECT_TRUE(valid(many_names + "\\k<n>"));
  // The reference sits in an alternative of its own: always empty.
  EXPECT_TRUE(Regex::compile(many_names + "\\k<n>"));
  // Here it may refer to any of the 2000 groups, and the translation outgrows
  // PCRE2's 64 KiB code limit: a clean error, not a crash.
  std::string error;
  EXPECT_FALSE(Regex::compile("(?:" + many_names + "x)\\k<n>", &error));
  EXPECT_NE(error.find("too large"), std::string::npos) << error;
  std::string long_pattern;
  for (int i = 0; i < 20000; ++i) long_pattern += "a\\u0062[c-e]";
  EXPECT_TRUE(valid(long_pattern));
}

TEST(RuntimeRegex, LargeQuantifierBoundsAreValidButNotCompiled) {
  EXPECT_TRUE(valid("a{70000}"));
  std::string error;
  EXPECT_FALSE(Regex::compile("a{70000}", &error));
  EXPECT_NE(error.find("65535"), std::string::npos) << error;
  EXPECT_TRUE(Regex::compile("a{65535}"));
  EXPECT_TRUE(Regex::compile("a{0,65535}"));
}

TEST(RuntimeRegex, MustCompileThrowsOnInvalidPattern) {
  EXPECT_THROW(Regex::must_compile("(?i)x"), std::logic_error);
  const Regex re = Regex::must_compile("^[a-z0-9_-]{3,32}$");
  EXPECT_EQ(re.source(), "^[a-z0-9_-]{3,32}$");
  // A plain pattern stays one class with a counted repeat, which PCRE2 runs fastest.
  EXPECT_EQ(re.translation(), "\\A[\\x{2d}0-9\\x{5f}a-z]{3,32}\\z");
  EXPECT_EQ(re.search("user_01"), RegexResult::match);
  EXPECT_EQ(re.search("ab"), RegexResult::no_match);
  const Regex copy = re;  // NOLINT(performance-unnecessary-copy-initialization)
  EXPECT_EQ(copy.search("abc"), RegexResult::match);
  EXPECT_EQ(copy.translation(), re.translation());
}

TEST(RuntimeRegex, ConcurrentSearchesOnOneRegex) {
  static const Regex re = Regex::must_compile("^(?<w>[a-z]+)-(?<=\\w+-)\\d{2,}$");
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        const bool expect = (i + t) % 2 == 0;
        const std::string subject = expect ? "abc-" + std::to_string(10 + i) : "abc-x";
        if ((re.search(subject) == RegexResult::match) != expect) ++wrong;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
}

// ---- the one-pass matcher for `^...$` sequences (regex_sequence.h) ----------

bool runs_without_pcre2(std::string_view pattern) {
  std::optional<Regex> re = Regex::compile(pattern);
  EXPECT_TRUE(re.has_value()) << pattern;
  return re && re->runs_without_pcre2();
}

TEST(RuntimeRegexSequence, WhichPatternsQualify) {
  EXPECT_TRUE(runs_without_pcre2("^[a-z][A-Za-z0-9]{0,99}$"));
  EXPECT_TRUE(runs_without_pcre2("^key_[0-9a-z]{26}$"));
  EXPECT_TRUE(runs_without_pcre2("^[!-~]+$"));
  EXPECT_TRUE(runs_without_pcre2("^[^\"\\\\]*$"));
  EXPECT_TRUE(runs_without_pcre2("^\\d{3}-\\d{4}$"));
  EXPECT_TRUE(runs_without_pcre2("^.{1,5}$"));
  EXPECT_TRUE(runs_without_pcre2("^\\s*x$"));
  EXPECT_TRUE(runs_without_pcre2("^$"));
  EXPECT_TRUE(runs_without_pcre2("^[a-z]+?1$"));  // laziness cannot change a whole match
  // Not anchored at both ends, or more than a sequence.
  EXPECT_FALSE(runs_without_pcre2("[a-z]+$"));
  EXPECT_FALSE(runs_without_pcre2("^[a-z]+"));
  EXPECT_FALSE(runs_without_pcre2("^(job|run)_[0-9a-z]{26}$"));
  EXPECT_FALSE(runs_without_pcre2("^(?:ab)+$"));
  EXPECT_FALSE(runs_without_pcre2("^a|b$"));
  EXPECT_FALSE(runs_without_pcre2("^\\bab$"));
  // Property escapes and case folding stay with PCRE2.
  EXPECT_FALSE(runs_without_pcre2("^\\p{L}+$"));
  EXPECT_FALSE(runs_without_pcre2("^(?i:a)$"));
  // A variable item whose characters the next ones could take: greedy would
  // be wrong (`^[a-z]*[a-c]$` on "abc"), so these stay with PCRE2.
  EXPECT_FALSE(runs_without_pcre2("^[a-z]*[a-c]$"));
  EXPECT_FALSE(runs_without_pcre2("^a{1,3}b?a$"));
  EXPECT_FALSE(runs_without_pcre2("^.*x$"));
  EXPECT_FALSE(runs_without_pcre2("^\\d{1,2}-?\\d{2}$"));  // `-?` may be skipped: \d meets \d
  EXPECT_TRUE(matches("^[a-z]*[a-c]$", "abc"));
  EXPECT_TRUE(matches("^a{1,3}b?a$", "aaa"));
  EXPECT_TRUE(matches("^.*x$", "axbx"));
}

TEST(RuntimeRegexSequence, BoundaryCounts) {
  const std::string p = "^[a-z][A-Za-z0-9]{0,99}$";
  ASSERT_TRUE(runs_without_pcre2(p));
  EXPECT_FALSE(matches(p, ""));
  EXPECT_TRUE(matches(p, "a"));
  EXPECT_TRUE(matches(p, "a" + std::string(99, 'Z')));
  EXPECT_FALSE(matches(p, "a" + std::string(100, 'Z')));
  EXPECT_FALSE(matches(p, "A"));
  EXPECT_FALSE(matches(p, "a-b"));
  EXPECT_FALSE(matches(p, "ab\n"));  // $ is the very end only
  EXPECT_TRUE(matches("^key_[0-9a-z]{26}$", "key_" + std::string(26, '7')));
  EXPECT_FALSE(matches("^key_[0-9a-z]{26}$", "key_" + std::string(25, '7')));
  EXPECT_FALSE(matches("^key_[0-9a-z]{26}$", "key_" + std::string(27, '7')));
  EXPECT_FALSE(matches("^key_[0-9a-z]{26}$", "kez_" + std::string(26, '7')));
  EXPECT_TRUE(matches("^x{2,}$", "xx"));
  EXPECT_FALSE(matches("^x{2,}$", "x"));
  EXPECT_TRUE(matches("^x{2,}$", std::string(100'000, 'x')));
  EXPECT_TRUE(matches("^a{0}$", ""));
  EXPECT_FALSE(matches("^a{0}$", "a"));
  EXPECT_TRUE(matches("^$", ""));
  EXPECT_FALSE(matches("^$", "a"));
}

TEST(RuntimeRegexSequence, CharactersAreCodePoints) {
  // One non-ASCII character counts once, whatever its UTF-8 length.
  EXPECT_TRUE(matches("^.{2}$", "\xc3\xa9\xf0\x9f\x98\x80"));  // é 😀
  EXPECT_FALSE(matches("^.{3}$", "\xc3\xa9\xf0\x9f\x98\x80"));
  EXPECT_TRUE(matches("^[^a]{1}$", "\xe2\x82\xac"));            // €
  EXPECT_FALSE(matches("^[a-z]+$", "caf\xc3\xa9"));
  EXPECT_TRUE(matches("^[a-z\\u00e9]+$", "caf\xc3\xa9"));
  EXPECT_TRUE(matches("^caf\\u{e9}$", "caf\xc3\xa9"));
  EXPECT_TRUE(matches("^\\D\\W$", "\xc3\xa9\xf0\x9f\x98\x80"));
  EXPECT_FALSE(matches("^\\w$", "\xc3\xa9"));                     // \w is ASCII
  EXPECT_TRUE(matches("^\\s$", "\xe3\x80\x80"));                 // U+3000 is white space
  EXPECT_FALSE(matches("^\\s$", "\xc2\x85"));                    // U+0085 is not (ECMA-262)
  EXPECT_FALSE(matches("^.$", "\xe2\x80\xa8"));                  // U+2028 is a line terminator
  EXPECT_TRUE(matches("^[^\\n]$", "\xe2\x80\xa8"));
  EXPECT_FALSE(matches("^.$", "\r"));
  EXPECT_TRUE(matches("^[\\u{1F600}-\\u{1F64F}]{2}$", "\xf0\x9f\x98\x80\xf0\x9f\x99\x8f"));
  // Invalid UTF-8 never matches, wherever it is.
  EXPECT_EQ(search("^.*$", "\xff"), RegexResult::no_match);
  EXPECT_EQ(search("^[^x]*$", "ab\xc3"), RegexResult::no_match);
  EXPECT_EQ(search("^[^x]*$", "a\xed\xa0\x80"), RegexResult::no_match);  // encoded surrogate
  EXPECT_EQ(search("^[^x]*$", "a\xc0\x80"), RegexResult::no_match);      // overlong
  EXPECT_EQ(search("^a*$", "a\xff"), RegexResult::no_match);
}

// Every pattern the one-pass matcher takes gives the same answers as PCRE2
// running the same sequence inside a group (which the matcher declines).
TEST(RuntimeRegexSequence, AgreesWithPcre2) {
  const std::vector<std::string> bodies = {
      "[a-z][A-Za-z0-9]{0,3}", "key_[0-9a-z]{2}", "[!-~]+",      "[^\"\\\\]*",
      "\\d{1,2}-\\d{2}",       ".{1,3}",          "[a-z]+\\s*;",  "[^a-d]*d{0,2}",
      "\\w+?\\W",              "x*y?z+",          "[\\u00e0-\\u00ff]{1,2}\\.?",
      "\\D*7",
  };
  const std::vector<std::string> subjects = {
      "", "a", "aB3", "aB3x", "aB3xy", "key_z9", "key_z", "key_z99", "!~", " ", "ab\"", "12-34",
      "1234", "123-45", "\n", "ab", "abc", "abcd", "x;", "x \t;", "x", "dd", "ddd", "xd", "_a-",
      "a-", "-", "zz", "yz", "xyz", "xxz", "\xc3\xa0", "\xc3\xa0\xc3\xbf.", "\xc3\xa0\xc3\xbf\xc3\xa1",
      "\xe2\x80\xa8", "\xf0\x9f\x98\x80", "a\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80" "7", "77", "a7",
      "\xe3\x80\x80;", "a\xe3\x80\x80;",
  };
  for (const std::string& body : bodies) {
    const std::string fast = "^" + body + "$";
    const std::string reference = "^(?:" + body + ")$";
    ASSERT_TRUE(runs_without_pcre2(fast)) << fast;
    ASSERT_FALSE(runs_without_pcre2(reference)) << reference;
    for (const std::string& subject : subjects) {
      EXPECT_EQ(search(fast, subject), search(reference, subject)) << fast << " on " << subject;
    }
  }
}

}  // namespace
