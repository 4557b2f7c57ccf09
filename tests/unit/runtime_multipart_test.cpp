#include <keel/multipart.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

using keel::multipart::ParseError;
namespace mp = keel::multipart;

namespace {

const std::string kGood =
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"name\"\r\n"
    "\r\n"
    "people\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"file\"; filename=\"people.csv\"\r\n"
    "Content-Type: text/csv\r\n"
    "\r\n"
    "a,b\r\n1,2\r\n"
    "\r\n"
    "--XyZ--\r\n";

std::string error_of(std::string_view content_type, std::string_view body) {
  try {
    mp::parse_form_data(content_type, body);
  } catch (const ParseError& e) {
    return e.what();
  }
  return "";
}

} // namespace

TEST(Multipart, ParsesPartsWithHeadersNameFilenameAndBody) {
  auto parts = mp::parse_form_data("multipart/form-data; boundary=XyZ", kGood);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].name, "name");
  EXPECT_FALSE(parts[0].filename.has_value());
  EXPECT_EQ(parts[0].content_type, "text/plain");
  EXPECT_EQ(parts[0].body, "people");
  EXPECT_EQ(parts[1].name, "file");
  ASSERT_TRUE(parts[1].filename.has_value());
  EXPECT_EQ(*parts[1].filename, "people.csv");
  EXPECT_EQ(parts[1].content_type, "text/csv");
  // CRLFs inside the body belong to it; only the one before the delimiter goes.
  EXPECT_EQ(parts[1].body, "a,b\r\n1,2\r\n");
  ASSERT_NE(parts[1].headers.find("content-type"), nullptr);
  EXPECT_EQ(mp::find_part(parts, "file"), &parts[1]);
  EXPECT_EQ(mp::find_part(parts, "nope"), nullptr);
}

TEST(Multipart, BoundaryFromContentType) {
  EXPECT_EQ(mp::boundary_from_content_type("multipart/form-data; boundary=abc"), "abc");
  EXPECT_EQ(mp::boundary_from_content_type("Multipart/Form-Data;boundary=\"a b:c\""), "a b:c");
  EXPECT_EQ(mp::boundary_from_content_type("multipart/form-data; charset=utf-8; BOUNDARY=x;"), "x");
  EXPECT_THROW(mp::boundary_from_content_type("multipart/form-data"), ParseError);
  EXPECT_THROW(mp::boundary_from_content_type("multipart/form-data; boundary="), ParseError);
  EXPECT_THROW(mp::boundary_from_content_type("multipart/form-data; boundary=\"\""), ParseError);
  EXPECT_THROW(mp::boundary_from_content_type("multipart/form-data; boundary=\"abc"), ParseError);
  EXPECT_THROW(mp::boundary_from_content_type("multipart/form-data; boundary=\"a;b\""), ParseError);
  EXPECT_THROW(mp::boundary_from_content_type("multipart/form-data; boundary=\"ab \""), ParseError);
  EXPECT_THROW(
      mp::boundary_from_content_type("multipart/form-data; boundary=" + std::string(71, 'a')),
      ParseError);
  EXPECT_THROW(mp::boundary_from_content_type("multipart/form-data; boundary=a; boundary=b"),
               ParseError);
  EXPECT_THROW(mp::boundary_from_content_type("application/json"), ParseError);
  EXPECT_NE(error_of("multipart/form-data", kGood).find("no boundary"), std::string::npos);
}

TEST(Multipart, PreambleAndEpilogueAreIgnored) {
  auto parts = mp::parse_form_data("multipart/form-data; boundary=XyZ",
                                   "this is a preamble\r\n" + kGood + "epilogue bytes");
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].body, "people");
}

TEST(Multipart, TransportPaddingAfterDelimiterIsAllowed) {
  std::string body = "--b  \r\nContent-Disposition: form-data; name=x\r\n\r\nv\r\n--b--";
  auto parts = mp::parse(body, "b");
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].name, "x");
  EXPECT_EQ(parts[0].body, "v");
}

TEST(Multipart, EmptyPartBody) {
  auto parts = mp::parse("--b\r\nContent-Disposition: form-data; name=\"e\"\r\n\r\n\r\n--b--", "b");
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].body, "");
}

TEST(Multipart, MissingBoundaryInBody) {
  EXPECT_NE(error_of("multipart/form-data; boundary=other", kGood).find("does not contain"),
            std::string::npos);
}

TEST(Multipart, TruncatedInput) {
  // Cut at every position: each prefix must be rejected cleanly.
  for (std::size_t n = 0; n + 8 < kGood.size(); ++n) {
    SCOPED_TRACE(n);
    EXPECT_THROW(mp::parse(std::string_view(kGood).substr(0, n), "XyZ"), ParseError);
  }
}

TEST(Multipart, NoClosingDelimiter) {
  std::string body = "--b\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nhello\r\n";
  EXPECT_NE(error_of("multipart/form-data; boundary=b", body).find("no closing delimiter"),
            std::string::npos);
  // A delimiter that is never closed with "--" is truncated too.
  EXPECT_THROW(mp::parse(body + "--b\r\n", "b"), ParseError);
  EXPECT_THROW(mp::parse(body + "--b", "b"), ParseError);
}

TEST(Multipart, BareLfLineEndingsAreRejected) {
  std::string body = "--b\nContent-Disposition: form-data; name=\"f\"\n\nhello\n--b--\n";
  EXPECT_NE(error_of("multipart/form-data; boundary=b", body).find("CRLF"), std::string::npos);
  std::string lf_headers =
      "--b\r\nContent-Disposition: form-data; name=\"f\"\nX: y\r\n\r\nv\r\n--b--";
  EXPECT_THROW(mp::parse(lf_headers, "b"), ParseError);
}

TEST(Multipart, HeaderErrors) {
  EXPECT_THROW(mp::parse("--b\r\nContent-Type: text/plain\r\n\r\nv\r\n--b--", "b"), ParseError);
  EXPECT_THROW(mp::parse("--b\r\nContent-Disposition: attachment; name=x\r\n\r\nv\r\n--b--", "b"),
               ParseError);
  EXPECT_THROW(mp::parse("--b\r\nContent-Disposition: form-data\r\n\r\nv\r\n--b--", "b"),
               ParseError);
  EXPECT_THROW(mp::parse("--b\r\nContent-Disposition: form-data; name=\"x\r\n\r\nv\r\n--b--", "b"),
               ParseError);
  EXPECT_THROW(mp::parse("--b\r\nno colon here\r\n\r\nv\r\n--b--", "b"), ParseError);
  EXPECT_THROW(
      mp::parse("--b\r\nContent-Disposition: form-data; name=x\r\n folded\r\n\r\nv\r\n--b--", "b"),
      ParseError);
  EXPECT_THROW(mp::parse("--b\r\nContent-Disposition: form-data; name=x\r\n"
                         "Content-Disposition: form-data; name=y\r\n\r\nv\r\n--b--",
                         "b"),
               ParseError);
}

TEST(Multipart, QuotedFilenameWithEscapes) {
  auto parts = mp::parse("--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a "
                         "\\\"q\\\".csv\"\r\n\r\nv\r\n--b--",
                         "b");
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(*parts[0].filename, "a \"q\".csv");
}

TEST(Multipart, NoPartsAndJunkAfterBoundary) {
  EXPECT_THROW(mp::parse("--b--\r\n", "b"), ParseError);
  // "--bb" is not our delimiter: content must not start with the boundary.
  EXPECT_THROW(
      mp::parse("--b\r\nContent-Disposition: form-data; name=x\r\n\r\nv\r\n--bb\r\n--b--", "b"),
      ParseError);
}

TEST(Multipart, PartLimit) {
  std::string body;
  for (int i = 0; i < 5; ++i) body += "--b\r\nContent-Disposition: form-data; name=p\r\n\r\nv\r\n";
  body += "--b--";
  mp::Limits limits;
  limits.max_parts = 4;
  EXPECT_THROW(mp::parse(body, "b", limits), ParseError);
  limits.max_parts = 5;
  EXPECT_EQ(mp::parse(body, "b", limits).size(), 5u);
}

TEST(Multipart, RandomMutationsNeverEscapeParseError) {
  // A fixed LCG keeps the run reproducible; every input either parses or
  // throws ParseError, and parsed parts always carry a name.
  std::uint64_t state = 0x1234567;
  auto next = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::uint32_t>(state >> 33);
  };
  using namespace std::string_literals;
  const std::string alphabet = "-\r\n\"; =:Xabyz\\\t\0\xff"s;
  for (int iteration = 0; iteration < 20000; ++iteration) {
    std::string input = kGood;
    int edits = 1 + static_cast<int>(next() % 4);
    for (int e = 0; e < edits; ++e) {
      std::size_t at = next() % (input.size() + 1);
      switch (next() % 3) {
      case 0:
        if (at < input.size()) input.erase(at, 1 + next() % 8);
        break;
      case 1: input.insert(at, 1, alphabet[next() % alphabet.size()]); break;
      default:
        if (at < input.size()) input[at] = alphabet[next() % alphabet.size()];
        break;
      }
    }
    try {
      auto parts = mp::parse(input, "XyZ");
      for (const auto& part : parts) EXPECT_FALSE(part.content_type.empty());
    } catch (const ParseError&) {
    }
  }
}
