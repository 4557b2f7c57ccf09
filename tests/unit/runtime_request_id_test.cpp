#include <keel/request_id.h>

#include <gtest/gtest.h>

#include <set>
#include <thread>
#include <vector>

namespace {

TEST(RuntimeRequestId, AcceptsTheDocumentedAlphabet) {
  EXPECT_TRUE(keel::is_valid_request_id("a"));
  EXPECT_TRUE(keel::is_valid_request_id("Req-1.2_3:ab"));
  EXPECT_TRUE(keel::is_valid_request_id(std::string(128, 'x')));
  EXPECT_TRUE(keel::is_valid_request_id("0123456789abcdef0123456789ABCDEF"));
}

TEST(RuntimeRequestId, RejectsAnythingElse) {
  EXPECT_FALSE(keel::is_valid_request_id(""));
  EXPECT_FALSE(keel::is_valid_request_id(std::string(129, 'x')));
  for (const char* bad : {"a b", "a\"b", "a\\b", "a/b", "a\rb", "a\nb", "<x>", "a,b", "é"})
    EXPECT_FALSE(keel::is_valid_request_id(bad)) << bad;
}

TEST(RuntimeRequestId, GeneratesValidDistinctHexIds) {
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) {
    std::string id = keel::generate_request_id();
    ASSERT_EQ(id.size(), 32u);
    ASSERT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
    ASSERT_TRUE(keel::is_valid_request_id(id));
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 10000u);
}

TEST(RuntimeRequestId, ThreadsDoNotRepeatEachOther) {
  std::vector<std::vector<std::string>> ids(4);
  std::vector<std::thread> threads;
  for (auto& list : ids)
    threads.emplace_back([&list] {
      for (int i = 0; i < 1000; ++i) list.push_back(keel::generate_request_id());
    });
  for (auto& thread : threads) thread.join();
  std::set<std::string> all;
  for (const auto& list : ids) all.insert(list.begin(), list.end());
  EXPECT_EQ(all.size(), 4000u);
}

TEST(RuntimeRequestId, CorrelationIdPrefersValidClientValue) {
  std::string good = "client-7";
  std::string bad = "not valid";
  EXPECT_EQ(keel::correlation_id_for(&good), "client-7");
  EXPECT_EQ(keel::correlation_id_for(&bad).size(), 32u);
  EXPECT_EQ(keel::correlation_id_for(nullptr).size(), 32u);
}

}  // namespace
