#include "core/data/file_bytes.h"

#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <fmt/format.h>

namespace ablate::data {

namespace fs = std::filesystem;

std::vector<uint8_t> read_file_bytes(const std::string& path) {
  std::vector<uint8_t> bytes;
  read_file_bytes(path, bytes);
  return bytes;
}

void read_file_bytes(const std::string& path, std::vector<uint8_t>& bytes) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    throw std::runtime_error(fmt::format("{}: no such file", path));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(fmt::format("{}: cannot open for reading", path));
  const auto size = fs::file_size(path, ec);
  if (ec) throw std::runtime_error(fmt::format("{}: cannot read its size ({})", path, ec.message()));
  bytes.resize(size);
  if (size > 0 && !in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size))) {
    throw std::runtime_error(fmt::format("{}: read failed after {} of {} bytes", path, in.gcount(), size));
  }
}

bool is_gzip(const std::vector<uint8_t>& bytes) {
  return bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;
}

std::vector<uint8_t> gunzip(const std::vector<uint8_t>& compressed, const std::string& path) {
  std::vector<uint8_t> out;
  // The gzip trailer stores the uncompressed size mod 2^32: a good first guess for the buffer.
  if (compressed.size() >= 18) {
    const uint8_t* t = compressed.data() + compressed.size() - 4;
    out.reserve(static_cast<size_t>(t[0]) | static_cast<size_t>(t[1]) << 8 | static_cast<size_t>(t[2]) << 16 |
                static_cast<size_t>(t[3]) << 24);
  }
  z_stream stream{};
  if (inflateInit2(&stream, 15 + 16) != Z_OK) {  // 15 + 16: zlib window, gzip wrapper only
    throw std::runtime_error(fmt::format("{}: zlib inflateInit2 failed", path));
  }
  // Ends the stream on every exit path, including the throws below.
  struct StreamGuard {
    z_stream* s;
    ~StreamGuard() { inflateEnd(s); }
  } guard{&stream};

  stream.next_in = const_cast<Bytef*>(compressed.data());
  stream.avail_in = static_cast<uInt>(compressed.size());
  uint8_t chunk[1 << 16];
  for (;;) {
    stream.next_out = chunk;
    stream.avail_out = sizeof(chunk);
    const int rc = inflate(&stream, Z_NO_FLUSH);
    out.insert(out.end(), chunk, chunk + (sizeof(chunk) - stream.avail_out));
    if (rc == Z_STREAM_END) {
      // Concatenated gzip members are one file (gzip -c a b); trailing zero padding is tolerated.
      if (stream.avail_in >= 2 && stream.next_in[0] == 0x1f && stream.next_in[1] == 0x8b) {
        inflateReset(&stream);
        continue;
      }
      break;
    }
    if (rc == Z_DATA_ERROR || rc == Z_NEED_DICT || rc == Z_STREAM_ERROR || rc == Z_MEM_ERROR) {
      throw std::runtime_error(fmt::format("{}: corrupt gzip data (zlib: {}) after {} compressed bytes", path,
                                           stream.msg ? stream.msg : "error", stream.total_in));
    }
    if (rc == Z_BUF_ERROR && stream.avail_in == 0) {
      throw std::runtime_error(fmt::format(
          "{}: truncated gzip data: the stream ends after {} compressed bytes ({} bytes inflated)", path,
          compressed.size(), out.size()));
    }
  }
  return out;
}

std::string find_data_file(const std::string& root, const std::string& name) {
  const fs::path dir(root);
  std::vector<std::string> candidates{(dir / name).string()};
  const std::string gz = ".gz";
  if (name.size() > gz.size() && name.compare(name.size() - gz.size(), gz.size(), gz) == 0) {
    candidates.push_back((dir / name.substr(0, name.size() - gz.size())).string());
  } else {
    candidates.push_back((dir / (name + gz)).string());
  }
  std::error_code ec;
  for (const auto& candidate : candidates) {
    if (fs::is_regular_file(candidate, ec)) return candidate;
  }
  throw std::runtime_error(
      fmt::format("{}: no such file (also tried {}); check data.root or $ABLATE_DATA", candidates[0], candidates[1]));
}

}  // namespace ablate::data
