#pragma once
// The data pipeline's own random numbers: splits, subsets, synthetic images, epoch shuffling and
// augmentation all draw from an Rng seeded explicitly, never from torch's global generator, so what
// they produce is a pure function of the seeds they are given. std::mt19937_64's output sequence is
// fixed by the C++ standard; the distributions below are written out here (the standard library's are
// implementation-defined), so the same seed gives the same data on every compiler and LibTorch version.

#include <cmath>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

namespace ablate::data {

// M_PI is POSIX, not C++17; the same literal, so the same double.
constexpr double kPi = 3.14159265358979323846;

// SplitMix64 finaliser: decorrelates nearby seeds (seed 0 / seed 1, epoch 3 / epoch 4).
inline uint64_t mix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// One seed from several (e.g. run seed, purpose tag, epoch); order matters.
inline uint64_t combine_seeds(uint64_t a, uint64_t b) { return mix64(a ^ mix64(b + 0x632BE59BD9B4E019ULL)); }

class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(mix64(seed)) {}

  uint64_t next_u64() { return engine_(); }

  // Uniform integer in [0, n), n > 0; rejection sampling, so no modulo bias.
  int64_t below(int64_t n) {
    const uint64_t range = static_cast<uint64_t>(n);
    const uint64_t limit = UINT64_MAX - UINT64_MAX % range;
    uint64_t x;
    do {
      x = engine_();
    } while (x >= limit);
    return static_cast<int64_t>(x % range);
  }

  // Uniform double in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

  // Standard normal (Box-Muller; the second value of each pair is kept for the next call).
  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u1 = uniform();
    while (u1 <= 0.0) u1 = uniform();
    const double u2 = uniform();
    const double radius = std::sqrt(-2.0 * std::log(u1));
    const double angle = 2.0 * kPi * u2;
    spare_ = radius * std::sin(angle);
    has_spare_ = true;
    return radius * std::cos(angle);
  }

  // Fisher-Yates.
  template <typename T>
  void shuffle(std::vector<T>& values) {
    for (int64_t i = static_cast<int64_t>(values.size()) - 1; i > 0; --i) {
      std::swap(values[i], values[below(i + 1)]);
    }
  }

 private:
  std::mt19937_64 engine_;
  bool has_spare_ = false;
  double spare_ = 0;
};

}  // namespace ablate::data
