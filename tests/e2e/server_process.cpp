#include "server_process.h"

#include <chrono>
#include <csignal>
#include <cstring>
#include <poll.h>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace keel::test {

ServerProcess::ServerProcess(const std::string& binary, const std::vector<std::string>& args) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(binary.c_str()));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  close(fds[1]);
  stdout_fd_ = fds[0];

  // Read until the "listening on http://host:PORT" line.
  std::string pending;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (port_ == 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    pollfd p{stdout_fd_, POLLIN, 0};
    if (left.count() <= 0 || poll(&p, 1, static_cast<int>(left.count())) <= 0) {
      stop();
      throw std::runtime_error("server did not report its port: " + pending);
    }
    char buf[4096];
    ssize_t n = read(stdout_fd_, buf, sizeof buf);
    if (n <= 0) {
      stop();
      throw std::runtime_error("server exited before listening: " + pending);
    }
    pending.append(buf, static_cast<std::size_t>(n));
    auto nl = pending.find('\n');
    if (nl == std::string::npos) continue;
    std::string line = pending.substr(0, nl);
    pending.erase(0, nl + 1);
    auto colon = line.rfind(':');
    if (line.find("listening on") == std::string::npos || colon == std::string::npos) continue;
    port_ = static_cast<std::uint16_t>(std::stoi(line.substr(colon + 1)));
  }
  reader_ = std::thread([this, pending]() mutable {
    char buf[4096];
    ssize_t n;
    while ((n = read(stdout_fd_, buf, sizeof buf)) > 0) {
      pending.append(buf, static_cast<std::size_t>(n));
      std::size_t nl;
      while ((nl = pending.find('\n')) != std::string::npos) {
        std::lock_guard lock(mutex_);
        lines_.push_back(pending.substr(0, nl));
        pending.erase(0, nl + 1);
      }
    }
  });
}

ServerProcess::~ServerProcess() { stop(); }

int ServerProcess::stop() {
  if (stopped_ || pid_ <= 0) return exit_status_;
  stopped_ = true;
  kill(pid_, SIGTERM);
  int status = 0;
  // A server that ignores SIGTERM for 15 s is killed: the test then fails on the status.
  for (int i = 0; i < 1500; ++i) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) break;
    if (i == 1499) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
    }
    usleep(10'000);
  }
  exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  if (reader_.joinable()) reader_.join();
  if (stdout_fd_ >= 0) close(stdout_fd_);
  stdout_fd_ = -1;
  return exit_status_;
}

std::vector<std::string> ServerProcess::output_lines() {
  std::lock_guard lock(mutex_);
  return lines_;
}

}  // namespace keel::test
