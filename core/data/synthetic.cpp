#include "core/data/synthetic.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "core/data/rng.h"

namespace ablate::data {

namespace {

constexpr int64_t kGrid = 4;  // pattern resolution before upsampling: coarse enough to survive crops

void check_at_least(const char* key, int64_t value, int64_t minimum) {
  if (value < minimum) {
    throw std::invalid_argument(fmt::format("data.{}: expected >= {}, found {}", key, minimum, value));
  }
}

// patterns[c][ch][y*S+x] in [-1, 1].
std::vector<std::vector<std::vector<float>>> make_patterns(const SyntheticOptions& o, Rng& rng) {
  const int64_t s = o.image_size;
  std::vector<std::vector<std::vector<float>>> patterns(o.classes);
  for (auto& per_class : patterns) {
    per_class.resize(o.channels);
    for (auto& plane : per_class) {
      double grid[kGrid][kGrid];
      for (auto& row : grid)
        for (double& v : row) v = 2.0 * rng.uniform() - 1.0;
      plane.resize(s * s);
      for (int64_t y = 0; y < s; ++y) {
        const double gy = (y + 0.5) * kGrid / s - 0.5;
        const int64_t y0 = std::clamp<int64_t>(static_cast<int64_t>(std::floor(gy)), 0, kGrid - 1);
        const int64_t y1 = std::min<int64_t>(y0 + 1, kGrid - 1);
        const double fy = std::clamp(gy - y0, 0.0, 1.0);
        for (int64_t x = 0; x < s; ++x) {
          const double gx = (x + 0.5) * kGrid / s - 0.5;
          const int64_t x0 = std::clamp<int64_t>(static_cast<int64_t>(std::floor(gx)), 0, kGrid - 1);
          const int64_t x1 = std::min<int64_t>(x0 + 1, kGrid - 1);
          const double fx = std::clamp(gx - x0, 0.0, 1.0);
          const double top = grid[y0][x0] * (1 - fx) + grid[y0][x1] * fx;
          const double bottom = grid[y1][x0] * (1 - fx) + grid[y1][x1] * fx;
          plane[y * s + x] = static_cast<float>(top * (1 - fy) + bottom * fy);
        }
      }
    }
  }
  return patterns;
}

SyntheticSplit make_split(const SyntheticOptions& o, const std::vector<std::vector<std::vector<float>>>& patterns,
                          int64_t count, Rng& rng) {
  const int64_t plane = o.image_size * o.image_size;
  SyntheticSplit split;
  split.count = count;
  split.pixels.resize(static_cast<size_t>(count * o.channels * plane));
  split.labels.resize(static_cast<size_t>(count));
  uint8_t* out = split.pixels.data();
  for (int64_t i = 0; i < count; ++i) {
    const int64_t label = i % o.classes;
    split.labels[i] = label;
    for (int64_t ch = 0; ch < o.channels; ++ch) {
      const float* pattern = patterns[label][ch].data();
      for (int64_t p = 0; p < plane; ++p) {
        const double value = 128.0 + 64.0 * (pattern[p] + o.noise * rng.normal());
        *out++ = static_cast<uint8_t>(std::clamp(std::lround(value), 0L, 255L));
      }
    }
  }
  return split;
}

}  // namespace

SyntheticData make_synthetic(const SyntheticOptions& o) {
  check_at_least("synthetic_train_size", o.train_size, 1);
  check_at_least("synthetic_test_size", o.test_size, 1);
  check_at_least("synthetic_image_size", o.image_size, 4);
  check_at_least("synthetic_channels", o.channels, 1);
  check_at_least("synthetic_classes", o.classes, 2);
  if (!(o.noise >= 0) || !std::isfinite(o.noise)) {
    throw std::invalid_argument(fmt::format("data.synthetic_noise: expected a finite value >= 0, found {}", o.noise));
  }
  // Separate streams, so the test images do not change when train_size does.
  const uint64_t base = combine_seeds(o.seed, 0x5EED5EED);
  Rng pattern_rng(combine_seeds(base, static_cast<uint64_t>(o.classes * 131 + o.channels * 7 + o.image_size)));
  const auto patterns = make_patterns(o, pattern_rng);
  Rng train_rng(combine_seeds(base, 1));
  Rng test_rng(combine_seeds(base, 2));
  SyntheticData data;
  data.train = make_split(o, patterns, o.train_size, train_rng);
  data.test = make_split(o, patterns, o.test_size, test_rng);
  return data;
}

std::string describe(const SyntheticOptions& o) {
  return fmt::format("synthetic train_size={} test_size={} image_size={} channels={} classes={} noise={} seed={}",
                     o.train_size, o.test_size, o.image_size, o.channels, o.classes, o.noise, o.seed);
}

}  // namespace ablate::data
