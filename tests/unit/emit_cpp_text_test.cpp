#include "emit/cpp_text.h"

#include <gtest/gtest.h>

using namespace keel::gen::emit;

TEST(CppText, StringLiteralsEscapeQuotesBackslashesAndControls) {
  EXPECT_EQ(cpp_string("a\"b\\c\n\t\x01"), "\"a\\\"b\\\\c\\n\\t\\001\"");
  // Octal, not hex: "\x01" followed by "2" would read as one greedy escape.
  EXPECT_EQ(cpp_string("\x01" "2"), "\"\\0012\"");
}

TEST(CppText, CommentLinesFoldNewlinesAndDropTrailingBackslash) {
  EXPECT_EQ(comment_line("  two\nlines \\"), "two lines");
}

TEST(CppText, ChunksSplitLongTextUnderTheLiteralLimit) {
  std::string big(100 * 1024, 'x');  // one huge line, like minified JSON
  std::string chunks = cpp_string_chunks(big);
  std::size_t literals = 0, pos = 0;
  while ((pos = chunks.find("\"xxx", pos)) != std::string::npos) ++literals, ++pos;
  EXPECT_EQ(literals, 4u);  // 32 KiB pieces
  EXPECT_EQ(cpp_string_chunks(""), "{\n}");
}
