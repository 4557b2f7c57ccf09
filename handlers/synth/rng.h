#pragma once

#include <cstdint>

namespace keel::reference {

// Fixed algorithms, written out here, because the standard distributions'
// output is implementation-defined: the same seed must give the same bytes
// with any compiler or standard library.

/// SplitMix64 (Steele, Lea, Flood 2014): used only to expand seeds.
class SplitMix64 {
public:
  explicit SplitMix64(std::uint64_t state) : state_(state) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

private:
  std::uint64_t state_;
};

/// xoshiro256** (Blackman, Vigna 2018) with bounded and unit-interval draws
/// defined here in integer arithmetic.
class Xoshiro256 {
public:
  explicit Xoshiro256(std::uint64_t seed) {
    SplitMix64 expand(seed);
    for (auto& word : s_) word = expand.next();
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  /// Uniform in [0, bound), unbiased (Lemire's multiply-and-reject).
  /// bound == 0 means the full 64-bit range.
  std::uint64_t below(std::uint64_t bound) {
    if (bound == 0) return next();
    __extension__ using U128 = unsigned __int128;
    U128 m = static_cast<U128>(next()) * bound;
    auto low = static_cast<std::uint64_t>(m);
    if (low < bound) {
      const std::uint64_t threshold = (0 - bound) % bound;
      while (low < threshold) {
        m = static_cast<U128>(next()) * bound;
        low = static_cast<std::uint64_t>(m);
      }
    }
    return static_cast<std::uint64_t>(m >> 64);
  }

  /// Uniform in [0, 1) with 53 random bits: exact in IEEE double, so the
  /// same on every machine.
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

} // namespace keel::reference
