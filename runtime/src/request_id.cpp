#include <keel/request_id.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <random>
#include <thread>

namespace keel {

bool is_valid_request_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

namespace {

// xoshiro256**: fast, 256-bit state; seeded once per thread. Correlation ids
// need uniqueness, not secrecy.
class Xoshiro {
public:
  Xoshiro() {
    std::random_device device;
    std::uint64_t seed = (std::uint64_t(device()) << 32) ^ device();
    seed ^= std::uint64_t(std::chrono::steady_clock::now().time_since_epoch().count());
    seed ^= std::hash<std::thread::id>{}(std::this_thread::get_id());
    for (auto& word : state_) word = splitmix(seed);
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static std::uint64_t splitmix(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::uint64_t state_[4];
};

}  // namespace

std::string generate_request_id() {
  thread_local Xoshiro generator;
  static constexpr char digits[] = "0123456789abcdef";
  std::string id(32, '0');
  for (int half = 0; half < 2; ++half) {
    std::uint64_t bits = generator.next();
    for (int i = 0; i < 16; ++i) {
      id[std::size_t(half * 16 + i)] = digits[bits & 0xf];
      bits >>= 4;
    }
  }
  return id;
}

std::string correlation_id_for(const std::string* client_value) {
  if (client_value && is_valid_request_id(*client_value)) return *client_value;
  return generate_request_id();
}

}  // namespace keel
