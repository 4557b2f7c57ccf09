#include <keel/log.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

namespace {

using Json = nlohmann::json;

keel::AccessRecord sample() {
  keel::AccessRecord record;
  record.time = std::chrono::system_clock::time_point(std::chrono::milliseconds(1714566896789));
  record.method = "GET";
  record.route = "/v1/items/{id}";
  record.path = "/v1/items/42";
  record.status = 200;
  record.duration_ms = 1.23456;
  record.correlation_id = "abc";
  record.tenant = "dev";
  return record;
}

TEST(RuntimeLog, Rfc3339UtcWithMilliseconds) {
  EXPECT_EQ(keel::rfc3339_utc(
                std::chrono::system_clock::time_point(std::chrono::milliseconds(1714566896789))),
            "2024-05-01T12:34:56.789Z");
  EXPECT_EQ(keel::rfc3339_utc(std::chrono::system_clock::time_point{}), "1970-01-01T00:00:00.000Z");
}

TEST(RuntimeLog, AccessLineFieldsAndOrder) {
  std::string line = keel::format_access_line(sample());
  EXPECT_EQ(line,
            R"({"time":"2024-05-01T12:34:56.789Z","method":"GET","route":"/v1/items/{id}",)"
            R"("path":"/v1/items/42","status":200,"duration_ms":1.235,"correlation_id":"abc",)"
            R"("tenant":"dev"})");
}

TEST(RuntimeLog, AccessLineHasCodeOnErrorsAndDashesForUnknowns) {
  keel::AccessRecord record;
  record.status = 400;
  record.code = "malformed_request_line";
  record.correlation_id = "x";
  Json line = Json::parse(keel::format_access_line(record));
  EXPECT_EQ(line["method"], "-");
  EXPECT_EQ(line["route"], "-");
  EXPECT_EQ(line["path"], "-");
  EXPECT_EQ(line["tenant"], "-");
  EXPECT_EQ(line["code"], "malformed_request_line");
  EXPECT_EQ(line["status"], 400);
}

TEST(RuntimeLog, EscapesControlCharactersAndQuotes) {
  auto record = sample();
  record.path = "/a\"b\\c\n\x01\x7f";
  std::string text = keel::format_access_line(record);
  EXPECT_EQ(text.find('\n'), std::string::npos);
  Json line = Json::parse(text);
  EXPECT_EQ(line["path"], "/a\"b\\c\n\x01\x7f");
}

TEST(RuntimeLog, ErrorLine) {
  Json line = Json::parse(keel::format_error_line("id-1", "boom \"quoted\"\nnext"));
  EXPECT_EQ(line["level"], "error");
  EXPECT_EQ(line["correlation_id"], "id-1");
  EXPECT_EQ(line["message"], "boom \"quoted\"\nnext");
  EXPECT_TRUE(line["time"].is_string());
}

TEST(RuntimeLog, LinesFromManyThreadsNeverInterleave) {
  std::ostringstream out;
  keel::LineLog log(&out);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&log, t] {
      for (int i = 0; i < 500; ++i) {
        auto record = sample();
        record.path = "/thread/" + std::to_string(t) + "/" + std::string(100, 'p');
        log.write_line(keel::format_access_line(record));
      }
    });
  for (auto& thread : threads) thread.join();
  std::istringstream in(out.str());
  int count = 0;
  for (std::string line; std::getline(in, line); ++count)
    ASSERT_FALSE(Json::parse(line, nullptr, false).is_discarded()) << line;
  EXPECT_EQ(count, 2000);
}

TEST(RuntimeLog, BatchedLinesWaitForTheIntervalOrAFlush) {
  std::ostringstream out;
  std::mutex out_mutex;  // the test reads `out` while the writer thread appends
  struct Locked : std::streambuf {
    std::ostringstream& target;
    std::mutex& mutex;
    Locked(std::ostringstream& t, std::mutex& m) : target(t), mutex(m) {}
    std::streamsize xsputn(const char* s, std::streamsize n) override {
      std::lock_guard lock(mutex);
      target.write(s, n);
      return n;
    }
  } buffer(out, out_mutex);
  std::ostream stream(&buffer);
  auto text = [&] {
    std::lock_guard lock(out_mutex);
    return out.str();
  };
  {
    keel::LineLog log(&stream, std::chrono::hours(1));
    log.write_line("one");
    log.write_line("two");
    EXPECT_EQ(text(), "");  // held back: no write per line
    log.flush();
    EXPECT_EQ(text(), "one\ntwo\n");
    log.write_line("three");
  }  // the destructor writes what is left
  EXPECT_EQ(text(), "one\ntwo\nthree\n");
  {
    keel::LineLog log(&stream, std::chrono::milliseconds(20));
    log.write_line("four");
    for (int i = 0; i < 200 && text().size() < 20; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_EQ(text(), "one\ntwo\nthree\nfour\n");  // the writer thread's interval passed
  }
}

TEST(RuntimeLog, BatchedLinesFromManyThreadsAllArriveWhole) {
  std::ostringstream out;
  {
    keel::LineLog log(&out, std::chrono::milliseconds(5));
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
      threads.emplace_back([&log, t] {
        for (int i = 0; i < 5000; ++i) log.write_line("{\"t\":" + std::to_string(t) + ",\"i\":" + std::to_string(i) + "}");
      });
    for (auto& thread : threads) thread.join();
  }
  std::istringstream in(out.str());
  std::vector<int> next(4, 0);
  int count = 0;
  for (std::string line; std::getline(in, line); ++count) {
    Json j = Json::parse(line, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << line;
    // Each thread's lines keep their order.
    EXPECT_EQ(j["i"].get<int>(), next[j["t"].get<std::size_t>()]++);
  }
  EXPECT_EQ(count, 20000);
}

TEST(RuntimeLog, NullStreamDiscards) {
  keel::LineLog log(nullptr);
  EXPECT_FALSE(log.enabled());
  log.write_line("ignored");
}

}  // namespace
