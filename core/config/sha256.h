#pragma once
// SHA-256 (FIPS 180-4), for run keys (a stable hash of a canonical serialisation) and checkpoint
// checksums: digests any other tool (Python's hashlib, sha256sum) reproduces. Not used for anything
// secret.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace ablate::config {

// Incremental: update() any number of times, then hex_digest() once.
class Sha256 {
 public:
  void update(const void* data, size_t size);
  // Lower-case hex digest (64 characters) of everything given to update().
  std::string hex_digest();

 private:
  std::array<uint32_t, 8> state_ = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  std::array<unsigned char, 64> block_{};
  size_t block_size_ = 0;
  uint64_t total_bytes_ = 0;
};

// Lower-case hex digest (64 characters) of the bytes of `data`.
std::string sha256_hex(const std::string& data);

// Digest of a file's bytes, read in chunks. Throws std::runtime_error naming the path when it cannot
// be read.
std::string sha256_file_hex(const std::string& path);

}  // namespace ablate::config
