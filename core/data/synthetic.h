#pragma once
// A deterministic, learnable stand-in dataset for tests and smoke runs: every class has its own smooth
// per-channel pattern (a random 4x4 grid upsampled bilinearly), every image is its class pattern plus
// Gaussian pixel noise. Like a real dataset it is fixed: the images depend only on these options (the
// seed included), never on a run's seed, so runs that differ only in seed train on the same data.
// No LibTorch here.

#include <cstdint>
#include <string>
#include <vector>

namespace ablate::data {

struct SyntheticOptions {
  int64_t train_size = 5000;
  int64_t test_size = 1000;
  int64_t image_size = 32;
  int64_t channels = 3;
  int64_t classes = 10;
  // Standard deviation of the per-pixel noise relative to the pattern amplitude (pattern values lie in
  // [-1, 1]); 0 = noise-free, about 1 makes single pixels ambiguous while whole images stay separable.
  double noise = 0.5;
  uint64_t seed = 0;  // which fixed dataset; not the run seed
};

struct SyntheticSplit {
  int64_t count = 0;
  std::vector<uint8_t> pixels;  // count x channels x image_size x image_size
  std::vector<int64_t> labels;  // count; image i has class i % classes (balanced)
};

struct SyntheticData {
  SyntheticSplit train, test;
};

// Throws std::invalid_argument naming the option and value (e.g. "data.synthetic_classes: expected >= 2,
// found 1").
SyntheticData make_synthetic(const SyntheticOptions& options);

// A canonical description of the options, hashed into the dataset digest.
std::string describe(const SyntheticOptions& options);

}  // namespace ablate::data
