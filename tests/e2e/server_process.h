#pragma once

// Runs a server binary as a child process for end-to-end tests: starts it
// with `--port 0`, learns the port from its "listening on" line, collects
// the rest of its stdout (the access log), and stops it with SIGTERM.

#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace keel::test {

class ServerProcess {
public:
  /// Starts `binary args...`; throws std::runtime_error if it does not print
  /// its port within a few seconds.
  ServerProcess(const std::string& binary, const std::vector<std::string>& args);
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  std::uint16_t port() const { return port_; }
  /// SIGTERM, then waits; returns the exit status (-signal if killed).
  int stop();
  /// Lines printed on stdout after the "listening" line, so far.
  std::vector<std::string> output_lines();

private:
  int pid_ = -1;
  int stdout_fd_ = -1;
  std::uint16_t port_ = 0;
  std::thread reader_;
  std::mutex mutex_;
  std::vector<std::string> lines_;
  int exit_status_ = 0;
  bool stopped_ = false;
};

}  // namespace keel::test
