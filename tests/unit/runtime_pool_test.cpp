#include <keel/pool.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <set>
#include <stdexcept>
#include <thread>

namespace {

using namespace std::chrono_literals;

TEST(RuntimePool, RunsTasksOnItsThreads) {
  keel::WorkerPool pool(3, 100);
  EXPECT_EQ(pool.thread_count(), 3u);
  std::atomic<int> done{0};
  std::mutex mutex;
  std::set<std::thread::id> threads;
  for (int i = 0; i < 50; ++i)
    ASSERT_TRUE(pool.try_submit([&] {
      {
        std::lock_guard lock(mutex);
        threads.insert(std::this_thread::get_id());
      }
      std::this_thread::sleep_for(1ms);
      ++done;
    }));
  ASSERT_TRUE(pool.drain_for(5s));
  EXPECT_EQ(done, 50);
  EXPECT_FALSE(threads.count(std::this_thread::get_id()));
  EXPECT_LE(threads.size(), 3u);
}

TEST(RuntimePool, RefusesWhenQueueIsFull) {
  keel::WorkerPool pool(1, 2);
  std::promise<void> release;
  auto gate = release.get_future().share();
  std::atomic<bool> started{false};
  ASSERT_TRUE(pool.try_submit([&] {
    started = true;
    gate.wait();
  }));
  while (!started) std::this_thread::sleep_for(1ms);
  EXPECT_TRUE(pool.try_submit([] {}));
  EXPECT_TRUE(pool.try_submit([] {}));
  EXPECT_EQ(pool.queued(), 2u);
  EXPECT_FALSE(pool.try_submit([] {})) << "capacity counts waiting tasks";
  release.set_value();
  ASSERT_TRUE(pool.drain_for(5s));
  EXPECT_TRUE(pool.try_submit([] {}));
}

TEST(RuntimePool, DrainTimesOutWhileBusy) {
  keel::WorkerPool pool(1, 4);
  std::promise<void> release;
  auto gate = release.get_future().share();
  ASSERT_TRUE(pool.try_submit([gate] { gate.wait(); }));
  EXPECT_FALSE(pool.drain_for(30ms));
  release.set_value();
  EXPECT_TRUE(pool.drain_for(5s));
}

TEST(RuntimePool, ThrowingTaskDoesNotKillWorker) {
  keel::WorkerPool pool(1, 4);
  ASSERT_TRUE(pool.try_submit([] { throw std::runtime_error("x"); }));
  ASSERT_TRUE(pool.try_submit([] { throw 42; }));
  std::atomic<bool> ran{false};
  ASSERT_TRUE(pool.try_submit([&] { ran = true; }));
  ASSERT_TRUE(pool.drain_for(5s));
  EXPECT_TRUE(ran);
}

TEST(RuntimePool, StopRunsQueuedTasksThenRefuses) {
  std::atomic<int> done{0};
  keel::WorkerPool pool(1, 10);
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(pool.try_submit([&] {
      std::this_thread::sleep_for(2ms);
      ++done;
    }));
  pool.stop();
  EXPECT_EQ(done, 5);
  EXPECT_FALSE(pool.try_submit([] {}));
  pool.stop();  // idempotent
}

}  // namespace
