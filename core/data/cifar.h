#pragma once
// Reader for the binary versions of CIFAR-10 and CIFAR-100 (https://www.cs.toronto.edu/~kriz/cifar.html).
// The files have no header: a sequence of fixed-size records, each label byte(s) then 3072 pixel bytes
// (1024 red, 1024 green, 1024 blue, each 32x32 row-major), i.e. already CHW. No LibTorch here.
//
// Because there is no header, a file cut exactly at a record boundary cannot be told from a smaller
// dataset; the dataset digest (datasets.h) records the exact contents for provenance.

#include <cstdint>
#include <string>
#include <vector>

namespace ablate::data {

struct CifarLayout {
  int64_t label_bytes = 1;   // cifar-10: 1 (label); cifar-100: 2 (coarse, fine)
  int64_t label_offset = 0;  // which label byte to keep: cifar-100 coarse 0, fine 1
  int64_t num_classes = 10;  // labels must lie in [0, num_classes)
  static constexpr int64_t kPixelBytes = 3 * 32 * 32;
  int64_t record_bytes() const { return label_bytes + kPixelBytes; }
};

CifarLayout cifar10_layout();
CifarLayout cifar100_layout(bool fine);  // fine: 100 classes; coarse: 20 superclasses

struct CifarArray {
  int64_t count = 0;
  std::vector<uint8_t> pixels;  // count x 3 x 32 x 32
  std::vector<int64_t> labels;  // count
};

// Reads and checks one file: non-empty, size a multiple of the record size, every label in range.
// Errors name the file and the expected vs. found value, e.g.
// "<path>: expected a multiple of 3073 bytes (whole records), found 1024 bytes".
CifarArray read_cifar(const std::string& path, const CifarLayout& layout);

// Appends `more` to `into` (the five CIFAR-10 training batches become one split).
void append(CifarArray& into, CifarArray&& more);

}  // namespace ablate::data
