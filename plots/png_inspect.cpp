#include "plots/png_inspect.h"

#include <zlib.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <unordered_set>
#include <vector>

#include <fmt/format.h>

namespace ablate::plots {
namespace {

uint32_t big_endian(const unsigned char* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

int paeth(int a, int b, int c) {
  const int p = a + b - c;
  const int pa = std::abs(p - a);
  const int pb = std::abs(p - b);
  const int pc = std::abs(p - c);
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}

}  // namespace

PngSummary inspect_png(const std::string& path) {
  auto fail = [&path](const std::string& what) -> std::runtime_error {
    return std::runtime_error(fmt::format("{}: {}", path, what));
  };
  std::ifstream in(path, std::ios::binary);
  if (!in) throw fail("cannot open");
  const std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  static const unsigned char kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  if (bytes.size() < 8 || !std::equal(kSignature, kSignature + 8, bytes.begin())) throw fail("not a PNG file");

  PngSummary summary;
  int bit_depth = 0;
  int interlace = 0;
  std::vector<unsigned char> compressed;
  bool ended = false;
  for (std::size_t at = 8; at + 12 <= bytes.size() && !ended;) {
    const uint32_t length = big_endian(&bytes[at]);
    const std::string type(reinterpret_cast<const char*>(&bytes[at + 4]), 4);
    if (at + 12 + length > bytes.size()) throw fail("truncated " + type + " chunk");
    const unsigned char* data = &bytes[at + 8];
    if (type == "IHDR") {
      if (length < 13) throw fail("short IHDR chunk");
      summary.width = big_endian(data);
      summary.height = big_endian(data + 4);
      bit_depth = data[8];
      summary.color_type = data[9];
      interlace = data[12];
    } else if (type == "IDAT") {
      compressed.insert(compressed.end(), data, data + length);
    } else if (type == "IEND") {
      ended = true;
    }
    at += 12 + length;
  }
  if (summary.width <= 0 || summary.height <= 0) throw fail("no IHDR chunk");
  if (!ended) throw fail("no IEND chunk (truncated file)");
  if (bit_depth != 8 || interlace != 0) {
    throw fail(fmt::format("unsupported bit depth {} / interlace {} (expected 8 / 0)", bit_depth, interlace));
  }
  int channels = 0;
  switch (summary.color_type) {
    case 0: case 3: channels = 1; break;
    case 4: channels = 2; break;
    case 2: channels = 3; break;
    case 6: channels = 4; break;
    default: throw fail(fmt::format("unknown colour type {}", summary.color_type));
  }

  const std::size_t stride = static_cast<std::size_t>(summary.width) * channels;
  std::vector<unsigned char> raw((stride + 1) * static_cast<std::size_t>(summary.height));
  uLongf raw_size = raw.size();
  if (uncompress(raw.data(), &raw_size, compressed.data(), compressed.size()) != Z_OK || raw_size != raw.size()) {
    throw fail("corrupt image data");
  }

  // Undo the per-row filters (PNG spec section 9), then count colours.
  std::vector<unsigned char> previous(stride, 0);
  std::vector<unsigned char> row(stride);
  std::unordered_set<uint32_t> colours;
  for (int64_t y = 0; y < summary.height; ++y) {
    const unsigned char* line = &raw[static_cast<std::size_t>(y) * (stride + 1)];
    const int filter = line[0];
    for (std::size_t i = 0; i < stride; ++i) {
      const int a = i >= static_cast<std::size_t>(channels) ? row[i - channels] : 0;
      const int b = previous[i];
      const int c = i >= static_cast<std::size_t>(channels) ? previous[i - channels] : 0;
      int predictor = 0;
      switch (filter) {
        case 0: predictor = 0; break;
        case 1: predictor = a; break;
        case 2: predictor = b; break;
        case 3: predictor = (a + b) / 2; break;
        case 4: predictor = paeth(a, b, c); break;
        default: throw fail(fmt::format("bad filter type {} in row {}", filter, y));
      }
      row[i] = static_cast<unsigned char>(line[1 + i] + predictor);
    }
    for (std::size_t x = 0; x < stride; x += channels) {
      uint32_t colour = 0;
      for (int k = 0; k < channels; ++k) colour = (colour << 8) | row[x + k];
      colours.insert(colour);
    }
    previous.swap(row);
  }
  summary.distinct_colors = static_cast<int64_t>(colours.size());
  return summary;
}

}  // namespace ablate::plots
