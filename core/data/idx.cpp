#include "core/data/idx.h"

#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/data/file_bytes.h"

namespace ablate::data {

namespace {

constexpr uint8_t kUnsignedByte = 0x08;

uint32_t read_be32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) << 24 | static_cast<uint32_t>(p[1]) << 16 | static_cast<uint32_t>(p[2]) << 8 |
         static_cast<uint32_t>(p[3]);
}

}  // namespace

IdxArray read_idx(const std::string& path, int expected_rank) {
  std::vector<uint8_t> bytes = read_file_bytes(path);
  const bool compressed = is_gzip(bytes);
  if (compressed) bytes = gunzip(bytes, path);
  const char* which = compressed ? " uncompressed" : "";

  if (bytes.size() < 4) {
    throw std::runtime_error(
        fmt::format("{}: expected an IDX header of at least 4 bytes, found {}{} bytes", path, bytes.size(), which));
  }
  if (bytes[0] != 0 || bytes[1] != 0) {
    throw std::runtime_error(fmt::format("{}: not an IDX file: expected magic 00 00, found {:02x} {:02x}", path,
                                         bytes[0], bytes[1]));
  }
  if (bytes[2] != kUnsignedByte) {
    throw std::runtime_error(fmt::format(
        "{}: unsupported IDX element type 0x{:02x}, expected 0x08 (unsigned byte)", path, bytes[2]));
  }
  const int rank = bytes[3];
  if (rank != expected_rank) {
    throw std::runtime_error(fmt::format("{}: expected an IDX array of rank {}, found rank {}", path, expected_rank,
                                         rank));
  }
  const size_t header = 4 + 4 * static_cast<size_t>(rank);
  if (bytes.size() < header) {
    throw std::runtime_error(fmt::format("{}: expected a {}-byte IDX header, found {}{} bytes", path, header,
                                         bytes.size(), which));
  }
  IdxArray array;
  uint64_t count = 1;
  for (int d = 0; d < rank; ++d) {
    const uint32_t dim = read_be32(bytes.data() + 4 + 4 * d);
    array.dims.push_back(dim);
    count *= dim;
  }
  if (count > (uint64_t{1} << 40)) {
    throw std::runtime_error(fmt::format("{}: implausible IDX dimensions {}", path, fmt::join(array.dims, "x")));
  }
  if (bytes.size() != header + count) {
    throw std::runtime_error(fmt::format("{}: expected {} bytes ({}-byte header + {} values), found {}{} bytes",
                                         path, header + count, header, fmt::join(array.dims, "x"), bytes.size(),
                                         which));
  }
  array.values.assign(bytes.begin() + static_cast<std::ptrdiff_t>(header), bytes.end());
  return array;
}

std::vector<uint8_t> encode_idx(const IdxArray& array) {
  std::vector<uint8_t> bytes{0, 0, kUnsignedByte, static_cast<uint8_t>(array.dims.size())};
  for (int64_t dim : array.dims) {
    const auto d = static_cast<uint32_t>(dim);
    bytes.insert(bytes.end(), {static_cast<uint8_t>(d >> 24), static_cast<uint8_t>(d >> 16),
                               static_cast<uint8_t>(d >> 8), static_cast<uint8_t>(d)});
  }
  bytes.insert(bytes.end(), array.values.begin(), array.values.end());
  return bytes;
}

}  // namespace ablate::data
