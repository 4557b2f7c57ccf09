#include <keel/formats.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>

#ifndef KEEL_SHARED_DIR
#define KEEL_SHARED_DIR "../shared"
#endif

namespace {

using Json = nlohmann::json;
namespace fs = std::filesystem;
namespace format = keel::schema::format;

const fs::path kFormatSuite =
    fs::path(KEEL_SHARED_DIR) / "json-schema-test-suite/tests/draft2020-12/optional/format";

// Suite cases this library knowingly gets wrong, as {file, test description}
// with the reason. Empty: every case passes. A listed case that starts
// passing fails the test, so the list cannot go stale.
const std::map<std::pair<std::string, std::string>, std::string> kKnownFailures = {};

TEST(RuntimeFormatsSuite, EveryFormatFileOfTheOfficialSuite) {
  if (!fs::exists(kFormatSuite)) GTEST_SKIP() << "no test suite at " << kFormatSuite;
  std::set<fs::path> files;
  for (const auto& entry : fs::directory_iterator(kFormatSuite)) {
    if (entry.path().extension() == ".json") files.insert(entry.path());
  }
  ASSERT_FALSE(files.empty());
  std::set<std::pair<std::string, std::string>> skipped_seen;
  int all_passed = 0, all_total = 0;
  for (const fs::path& path : files) {
    std::ifstream in(path);
    const Json groups = Json::parse(in);
    const std::string file = path.filename().string();
    int passed = 0, total = 0;
    for (const Json& group : groups) {
      const Json& schema = group["schema"];
      ASSERT_TRUE(schema.contains("format")) << file;
      const std::string name = schema["format"].get<std::string>();
      const format::Checker checker = format::find(name);
      for (const Json& test : group["tests"]) {
        const std::string description = test["description"].get<std::string>();
        const bool expected = test["valid"].get<bool>();
        // Formats apply to strings only, and unknown formats are ignored.
        bool actual = true;
        if (test["data"].is_string() && checker != nullptr) {
          actual = checker(test["data"].get<std::string>());
        }
        ++total;
        const auto known = kKnownFailures.find({file, description});
        if (known != kKnownFailures.end()) {
          skipped_seen.insert(known->first);
          EXPECT_NE(actual, expected) << file << " / " << description
                                      << " passes now: remove it from kKnownFailures";
          continue;
        }
        if (actual == expected) {
          ++passed;
        } else {
          ADD_FAILURE() << file << " / " << group["description"].get<std::string>() << " / "
                        << description << ": " << test["data"].dump() << " should be "
                        << (expected ? "valid" : "invalid");
        }
      }
    }
    std::cout << "[ suite    ] " << file << ": " << passed << "/" << total << " passed\n";
    all_passed += passed;
    all_total += total;
  }
  std::cout << "[ suite    ] all format files: " << all_passed << "/" << all_total << " passed, "
            << kKnownFailures.size() << " known failures\n";
  for (const auto& [key, reason] : kKnownFailures) {
    EXPECT_TRUE(skipped_seen.count(key)) << key.first << " / " << key.second
                                         << " is no longer in the suite";
  }
}

TEST(RuntimeFormats, FindKnowsTheJsonSchemaFormatsOnly) {
  for (const char* name :
       {"date-time", "date", "time", "duration", "email", "idn-email", "hostname",
        "idn-hostname", "ipv4", "ipv6", "uri", "uri-reference", "iri", "iri-reference",
        "uri-template", "uuid", "json-pointer", "relative-json-pointer", "regex"}) {
    EXPECT_NE(format::find(name), nullptr) << name;
  }
  for (const char* name : {"int32", "int64", "float", "double", "byte", "binary", "password",
                           "unknown", "", "Date-Time", "date-time "}) {
    EXPECT_EQ(format::find(name), nullptr) << name;
  }
  EXPECT_EQ(format::find("uuid"), &format::is_uuid);
}

TEST(RuntimeFormats, DateAndTime) {
  EXPECT_TRUE(format::is_date_time("2024-02-29T23:59:60Z"));  // syntax allows any leap day second
  EXPECT_TRUE(format::is_date_time("2000-01-01T00:00:00.0+14:00"));
  EXPECT_FALSE(format::is_date_time("2024-02-29 12:00:00Z"));  // no space separator
  EXPECT_FALSE(format::is_date_time("2024-02-29T12:00:00.Z"));
  EXPECT_FALSE(format::is_date_time("2024-02-29T12:00Z"));
  EXPECT_FALSE(format::is_date_time("2024-02-29T"));
  EXPECT_FALSE(format::is_date_time(std::string_view("2024-02-29T12:00:00Z\0", 21)));
  EXPECT_TRUE(format::is_date("9999-12-31"));
  EXPECT_TRUE(format::is_date("2000-02-29"));
  EXPECT_FALSE(format::is_date("1900-02-29"));
  EXPECT_FALSE(format::is_date("2000-02-30"));
  EXPECT_TRUE(format::is_time("00:00:00z"));
  EXPECT_TRUE(format::is_time("23:59:60.999Z"));
  EXPECT_TRUE(format::is_time("00:59:60+01:00"));
  EXPECT_FALSE(format::is_time("23:59:60+00:01"));
  EXPECT_FALSE(format::is_time("12:00:00+2400"));
  EXPECT_FALSE(format::is_time("12:00:00+24:00"));
  EXPECT_FALSE(format::is_time(""));
  EXPECT_FALSE(format::is_time("12:00:00+01:00:00"));
}

TEST(RuntimeFormats, Duration) {
  for (const char* ok : {"P1Y", "P1Y2M3DT4H5M6S", "PT5M", "P3W", "P0D", "PT1H0M", "P12M3D"}) {
    EXPECT_TRUE(format::is_duration(ok)) << ok;
  }
  for (const char* bad : {"P", "PT", "P1W1D", "P1M1Y", "PT1S1M", "P1Y1Y", "PT1H1H", "P1.5Y",
                          "p1y", "P1YT1H1S", "P-1Y", "1Y", "PT1HT1M", "P1DT"}) {
    EXPECT_FALSE(format::is_duration(bad)) << bad;
  }
}

TEST(RuntimeFormats, Email) {
  EXPECT_TRUE(format::is_email("a@b"));
  EXPECT_TRUE(format::is_email("first.last+tag@sub.example.co"));
  EXPECT_TRUE(format::is_email("\"\"@example.com"));
  EXPECT_TRUE(format::is_email("\"a\\\"b\"@example.com"));
  EXPECT_TRUE(format::is_email("x@[IPv6:2001:db8::1]"));
  EXPECT_TRUE(format::is_email("x@[ipv6:::1]"));
  EXPECT_FALSE(format::is_email("x@[IPv6:1.2.3.4]"));
  EXPECT_FALSE(format::is_email("x@[example.com]"));
  EXPECT_FALSE(format::is_email("x@example.com."));
  EXPECT_FALSE(format::is_email("x@-example.com"));
  EXPECT_FALSE(format::is_email("\"unterminated@example.com"));
  EXPECT_FALSE(format::is_email("\"a\"b@example.com"));
  EXPECT_FALSE(format::is_email(std::string(65, 'a') + "@example.com"));
  EXPECT_TRUE(format::is_email(std::string(64, 'a') + "@example.com"));
  EXPECT_FALSE(format::is_email("d\xc3\xa9j\xc3\xa0@example.com"));
  EXPECT_TRUE(format::is_idn_email("d\xc3\xa9j\xc3\xa0@example.com"));
  EXPECT_TRUE(format::is_idn_email("user@xn--bcher-kva.example"));
  EXPECT_TRUE(format::is_idn_email("user@b\xc3\xbc" "cher.example"));
  EXPECT_FALSE(format::is_idn_email("\xff@example.com"));
  EXPECT_FALSE(format::is_idn_email("user@B\xc3\xbc" "cher.example"));  // U-labels are lowercase
  EXPECT_TRUE(format::is_idn_email(std::string(62, 'a') + "\xc3\xa9@example.com"));  // 64 octets
  EXPECT_FALSE(format::is_idn_email(std::string(63, 'a') + "\xc3\xa9@example.com"));
}

TEST(RuntimeFormats, Hostnames) {
  EXPECT_TRUE(format::is_hostname("localhost"));
  EXPECT_TRUE(format::is_hostname("EXAMPLE.com"));
  EXPECT_TRUE(format::is_hostname("xn--bcher-kva.example"));
  EXPECT_TRUE(format::is_hostname("XN--BCHER-KVA.example"));
  EXPECT_FALSE(format::is_hostname("xn--bcher-kva-.example"));
  EXPECT_FALSE(format::is_hostname("xn--.example"));
  EXPECT_FALSE(format::is_hostname("xn--zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"));
  EXPECT_FALSE(format::is_hostname("a.-b.c"));
  EXPECT_FALSE(format::is_hostname("a b"));
  EXPECT_FALSE(format::is_hostname(".."));
  std::string name;
  for (int i = 0; i < 4; ++i) name += std::string(62, 'a') + ".";
  name += "a";  // 253 octets
  EXPECT_TRUE(format::is_hostname(name));
  EXPECT_FALSE(format::is_hostname(name + "a"));
  EXPECT_TRUE(format::is_idn_hostname("b\xc3\xbc" "cher.example"));
  EXPECT_TRUE(format::is_idn_hostname("\xe4\xbe\x8b\xe3\x81\x88.\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88"));
  EXPECT_TRUE(format::is_idn_hostname("xn--bcher-kva.example"));
  EXPECT_FALSE(format::is_idn_hostname("B\xc3\xbc" "cher.example"));
  EXPECT_FALSE(format::is_idn_hostname("\xe2\x98\x83.example"));  // symbols are DISALLOWED
  EXPECT_FALSE(format::is_idn_hostname("a\xef\xbc\x8e"));        // trailing fullwidth stop
  EXPECT_FALSE(format::is_idn_hostname("a\xe3\x80"));            // truncated UTF-8
  EXPECT_FALSE(format::is_idn_hostname("a\xe3\x80\x82\xe3\x80\x82" "b"));  // empty label
  // Bidi: an RTL domain whose other labels are fine, and one that is not.
  EXPECT_TRUE(format::is_idn_hostname("\xd7\x90\xd7\x91.example"));
  EXPECT_FALSE(format::is_idn_hostname("\xd7\x90\xd7\x91.1example"));
  EXPECT_TRUE(format::is_idn_hostname("1example.com"));
}

TEST(RuntimeFormats, IpAddresses) {
  EXPECT_TRUE(format::is_ipv4("1.2.3.4"));
  EXPECT_FALSE(format::is_ipv4("1.2.3.04"));
  EXPECT_FALSE(format::is_ipv4("1.2.3.4.5"));
  EXPECT_FALSE(format::is_ipv4("1.2.3.1000"));
  EXPECT_FALSE(format::is_ipv4(""));
  for (const char* ok : {"::", "::1", "1::", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6::8", "1::8",
                         "ABCD:ef01::", "::1.2.3.4", "1:2:3:4:5:6:1.2.3.4", "fe80::1:2"}) {
    EXPECT_TRUE(format::is_ipv6(ok)) << ok;
  }
  for (const char* bad : {"", ":", ":::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::8",
                          "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3", "1::2::3", "g::", "1:", ":1",
                          "::1.2.3.4:5", "[::1]", "::1%eth0", "00000::"}) {
    EXPECT_FALSE(format::is_ipv6(bad)) << bad;
  }
}

TEST(RuntimeFormats, UrisAndIris) {
  EXPECT_TRUE(format::is_uri("https://user:pw@example.com:8080/a/b;c?d=e&f#g"));
  EXPECT_TRUE(format::is_uri("file:///etc/hosts"));
  EXPECT_TRUE(format::is_uri("urn:isbn:0451450523"));
  EXPECT_TRUE(format::is_uri("http://[v7.a:b]/"));
  EXPECT_TRUE(format::is_uri("a+b-c.d:"));
  EXPECT_FALSE(format::is_uri("http://[::1"));
  EXPECT_FALSE(format::is_uri("http://[vx.a]/"));
  EXPECT_FALSE(format::is_uri("http://[v1.]/"));
  EXPECT_FALSE(format::is_uri("http://a/b c"));
  EXPECT_FALSE(format::is_uri("http://a/%"));
  EXPECT_FALSE(format::is_uri("http://a/#frag#more"));
  EXPECT_FALSE(format::is_uri("http://a:b:c/"));
  EXPECT_TRUE(format::is_uri_reference("../a/./b"));
  EXPECT_TRUE(format::is_uri_reference("a/b:c"));
  EXPECT_TRUE(format::is_uri_reference("#"));
  EXPECT_FALSE(format::is_uri_reference("a:b:c d"));
  EXPECT_FALSE(format::is_uri_reference("http://a/\xc3\xa9"));
  EXPECT_TRUE(format::is_iri("http://\xc3\xa9.example/\xc3\xa9?\xee\x80\x80"));  // U+E000 in query
  EXPECT_FALSE(format::is_iri("http://\xc3\xa9.example/\xee\x80\x80"));           // not in path
  EXPECT_FALSE(format::is_iri("http://a/\xef\xbf\xbe"));                         // U+FFFE
  EXPECT_FALSE(format::is_iri("http://a/\xc3"));                                 // bad UTF-8
  EXPECT_TRUE(format::is_iri_reference("\xc3\xa9"));
  EXPECT_FALSE(format::is_iri_reference("\xc2\x85"));  // U+0085 is not a ucschar
}

TEST(RuntimeFormats, UriTemplate) {
  for (const char* ok : {"", "/users/{id}", "{/a,b*}{?q,lang:2}", "{+x}{#y}{;z*}{&w}",
                         "{=reserved}", "x%20y", "{a_b.c}", "{v:9999}"}) {
    EXPECT_TRUE(format::is_uri_template(ok)) << ok;
  }
  for (const char* bad : {"{", "}", "{a", "{a b}", "{+}", "{a:}", "{a*:1}", "{.a.}", "%2",
                          "{a}}", "a\"b", "{a,}", "{ab:1:2}"}) {
    EXPECT_FALSE(format::is_uri_template(bad)) << bad;
  }
}

TEST(RuntimeFormats, UuidAndPointers) {
  EXPECT_TRUE(format::is_uuid("123e4567-e89b-12d3-a456-426614174000"));
  EXPECT_FALSE(format::is_uuid("{123e4567-e89b-12d3-a456-426614174000}"));
  EXPECT_FALSE(format::is_uuid("123e4567-e89b-12d3-a456-42661417400g"));
  EXPECT_TRUE(format::is_json_pointer("/a~0~1/~01"));
  EXPECT_FALSE(format::is_json_pointer("/a~"));
  EXPECT_TRUE(format::is_relative_json_pointer("0"));
  EXPECT_TRUE(format::is_relative_json_pointer("1+2/a"));
  EXPECT_TRUE(format::is_relative_json_pointer("3-1#"));
  EXPECT_FALSE(format::is_relative_json_pointer("1+/a"));
  EXPECT_FALSE(format::is_relative_json_pointer("1+01"));
  EXPECT_FALSE(format::is_relative_json_pointer("#"));
}

TEST(RuntimeFormats, RegexDelegatesToTheEcmaSyntaxCheck) {
  EXPECT_TRUE(format::is_regex("^[a-z]+(?<n>\\d)\\k<n>$"));
  EXPECT_FALSE(format::is_regex("[a-z"));
  EXPECT_FALSE(format::is_regex("\\p{Foo}"));
}

TEST(RuntimeFormats, HostileInputIsHandledInLinearTime) {
  const std::string big(1 << 20, 'a');
  for (format::Checker checker :
       {format::is_date_time, format::is_duration, format::is_email, format::is_idn_email,
        format::is_hostname, format::is_idn_hostname, format::is_ipv6, format::is_uri,
        format::is_iri_reference, format::is_uri_template, format::is_json_pointer,
        format::is_relative_json_pointer, format::is_regex}) {
    checker(big);
    checker(std::string(1 << 18, '.'));
    checker(std::string(1 << 18, '{'));
    checker(std::string(1 << 18, '\xe3'));
  }
  std::string dots;
  for (int i = 0; i < 100'000; ++i) dots += "a.";
  EXPECT_FALSE(format::is_idn_hostname(dots));
  std::string xn;
  for (int i = 0; i < 10'000; ++i) xn += "xn--99999999999.";
  EXPECT_FALSE(format::is_hostname(xn));
}

}  // namespace
