#pragma once
// What the handlers tests share: a scratch data directory and a way to catch
// the ApiError a service call throws.

#include <keel/error.h>

#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <random>
#include <string>

namespace keel::reference::test_support {

/// A fresh directory under the system's temp dir, removed with everything in it.
class TempDir {
public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("keel_handlers_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" +
             std::to_string(std::random_device{}()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

private:
  std::filesystem::path path_;
};

/// The ApiError `fn` throws; a test failure (and an empty error) when it throws none.
inline keel::ApiError error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const keel::ApiError& e) {
    return e;
  }
  ADD_FAILURE() << "expected an ApiError";
  return {};
}

} // namespace keel::reference::test_support
