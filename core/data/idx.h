#pragma once
// Reader for the IDX format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/):
// magic 00 00 <type> <rank>, then <rank> big-endian uint32 dimensions, then the values row-major.
// Only unsigned bytes (type 0x08) occur in these datasets; other types are rejected. No LibTorch here.

#include <cstdint>
#include <string>
#include <vector>

namespace ablate::data {

struct IdxArray {
  std::vector<int64_t> dims;   // e.g. {60000, 28, 28} for images, {60000} for labels
  std::vector<uint8_t> values; // product(dims) bytes, row-major
};

// Reads `path`, gzip'd or plain (detected from the content, not the name). Checks the magic, that the
// rank is `expected_rank` and that the (uncompressed) length is exactly header + product(dims).
// Throws std::runtime_error naming the file and what was expected vs. found, e.g.
// "<path>: expected 47040016 bytes (16-byte header + 60000x28x28 values), found 1024".
IdxArray read_idx(const std::string& path, int expected_rank);

// Serialises an array to IDX bytes (type 0x08): the inverse of read_idx, for fixtures and tools.
std::vector<uint8_t> encode_idx(const IdxArray& array);

}  // namespace ablate::data
