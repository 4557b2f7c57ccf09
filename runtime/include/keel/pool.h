#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace keel {

/// Fixed set of threads with a bounded queue, for work that may block
/// (handlers, storage, readiness checks). When the queue is full, try_submit
/// refuses instead of growing: the server turns that into a 503.
class WorkerPool {
public:
  using Task = std::function<void()>;

  /// `threads` >= 1; `queue_capacity` counts tasks waiting, not running.
  WorkerPool(std::size_t threads, std::size_t queue_capacity);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  /// Queues `task`; false when the queue is full or the pool is stopping.
  /// A task that throws is swallowed: tasks report their own errors.
  bool try_submit(Task task);

  /// Waits until nothing is queued or running, or `timeout` passed; true
  /// when idle. New tasks may still be submitted meanwhile.
  bool drain_for(std::chrono::milliseconds timeout);

  /// Refuses new tasks, runs those already queued, joins the threads.
  /// Idempotent.
  void stop();

  std::size_t queued() const;
  std::size_t capacity() const { return capacity_; }
  std::size_t thread_count() const { return threads_.size(); }

private:
  void run();

  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;  ///< workers: a task arrived or stopping
  std::condition_variable idle_;  ///< drain: queue empty and nobody busy
  std::deque<Task> queue_;
  std::size_t busy_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace keel
