#include "core/data/image_resample.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace ablate::data {

namespace {

// Pillow's Resample.c, 8 bits per channel.
constexpr int kPrecisionBits = 32 - 8 - 2;

double triangle(double x) {
  x = std::fabs(x);
  return x < 1.0 ? 1.0 - x : 0.0;
}

// Pillow's precompute_coeffs + normalize_coeffs_8bpc for one axis: output pixel i reads `bounds[2i + 1]`
// source pixels from `bounds[2i]` with weights weights[i * taps ...]. Returns taps (the row length).
int precompute(double in0, double in1, int lo, int hi, int out_size, std::vector<int>& bounds,
               std::vector<int32_t>& weights) {
  const double scale = (in1 - in0) / out_size;
  const double filter_scale = std::max(scale, 1.0);
  const double support = 1.0 * filter_scale;  // the triangle's support is 1
  const int taps = static_cast<int>(std::ceil(support)) * 2 + 1;
  bounds.assign(static_cast<size_t>(out_size) * 2, 0);
  weights.assign(static_cast<size_t>(out_size) * taps, 0);
  std::vector<double> k(taps);
  for (int i = 0; i < out_size; ++i) {
    const double center = in0 + (i + 0.5) * scale;
    const int first = std::max(static_cast<int>(center - support + 0.5), lo);
    const int count = std::min(static_cast<int>(center + support + 0.5), hi) - first;
    double sum = 0;
    for (int x = 0; x < count; ++x) {
      k[x] = triangle((x + first - center + 0.5) / filter_scale);
      sum += k[x];
    }
    for (int x = 0; x < count; ++x) {
      const double w = sum != 0.0 ? k[x] / sum : k[x];
      weights[static_cast<size_t>(i) * taps + x] =
          static_cast<int32_t>(w < 0 ? -0.5 + w * (1 << kPrecisionBits) : 0.5 + w * (1 << kPrecisionBits));
    }
    bounds[2 * i] = first;
    bounds[2 * i + 1] = std::max(count, 0);
  }
  return taps;
}

inline uint8_t clip8(int32_t value) {
  const int32_t v = value >> kPrecisionBits;
  return static_cast<uint8_t>(v < 0 ? 0 : v > 255 ? 255 : v);
}

// The inner loops vectorise far better with AVX2 (32-bit multiplies): on x86-64 GCC builds a second
// version of this function for CPUs that have it and picks one at load time.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define ABLATE_VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define ABLATE_VECTOR_CLONES
#endif

// dst[i] = clip8(sum over t < count of k[t] * lines[(first + t) * stride + i]), i < length: one output line
// as the weighted sum of `count` consecutive input lines.
ABLATE_VECTOR_CLONES void combine_lines(const uint8_t* lines, size_t stride, int first, int count, const int32_t* k, size_t length,
                   std::vector<int32_t>& sums, uint8_t* dst) {
  sums.assign(length, 1 << (kPrecisionBits - 1));
  int32_t* acc = sums.data();
  for (int t = 0; t < count; ++t) {
    const uint8_t* src = lines + static_cast<size_t>(first + t) * stride;
    const int32_t w = k[t];
    for (size_t i = 0; i < length; ++i) acc[i] += src[i] * w;
  }
  for (size_t i = 0; i < length; ++i) dst[i] = clip8(acc[i]);
}

}  // namespace

void resample(const uint8_t* in, int in_width, int in_height, const Box& box, const PixelBounds& bounds,
              int out_width, int out_height, bool mirror, uint8_t* out, ResampleScratch& s) {
  if (out_width < 1 || out_height < 1 || box.width() <= 0 || box.height() <= 0 || bounds.x0 < 0 || bounds.y0 < 0 ||
      bounds.x1 > in_width || bounds.y1 > in_height || bounds.x0 >= bounds.x1 || bounds.y0 >= bounds.y1) {
    throw std::invalid_argument(fmt::format("resample: box {},{}..{},{} / bounds {},{}..{},{} of a {}x{} image to {}x{}",
                                            box.left, box.top, box.right, box.bottom, bounds.x0, bounds.y0, bounds.x1,
                                            bounds.y1, in_width, in_height, out_width, out_height));
  }
  const int taps_x = precompute(box.left, box.right, bounds.x0, bounds.x1, out_width, s.bounds_x, s.weights_x);
  const int taps_y = precompute(box.top, box.bottom, bounds.y0, bounds.y1, out_height, s.bounds_y, s.weights_y);

  // Horizontal pass over the source rows the vertical pass reads and the columns the horizontal one does.
  // Done on the transposed region, so that both passes combine whole contiguous lines (which compilers
  // vectorise) instead of gathering a few pixels per output; integer sums make the order irrelevant, so
  // the result is Pillow's exactly.
  const int row_first = s.bounds_y[0];
  const int row_last = s.bounds_y[2 * (out_height - 1)] + s.bounds_y[2 * (out_height - 1) + 1];
  const int col_first = s.bounds_x[0];
  const int col_last = s.bounds_x[2 * (out_width - 1)] + s.bounds_x[2 * (out_width - 1) + 1];
  const int rows = row_last - row_first, cols = col_last - col_first;
  const size_t column = static_cast<size_t>(rows) * 3;  // one transposed column: every row's pixel
  s.columns.resize(static_cast<size_t>(cols) * column);
  for (int y = 0; y < rows; ++y) {
    const uint8_t* src = in + (static_cast<size_t>(row_first + y) * in_width + col_first) * 3;
    uint8_t* dst = s.columns.data() + static_cast<size_t>(y) * 3;
    for (int x = 0; x < cols; ++x, src += 3, dst += column) {
      dst[0] = src[0];
      dst[1] = src[1];
      dst[2] = src[2];
    }
  }
  s.resized_columns.resize(static_cast<size_t>(out_width) * column);
  for (int x = 0; x < out_width; ++x) {
    combine_lines(s.columns.data(), column, s.bounds_x[2 * x] - col_first, s.bounds_x[2 * x + 1],
                  s.weights_x.data() + static_cast<size_t>(x) * taps_x, column, s.sums,
                  s.resized_columns.data() + static_cast<size_t>(mirror ? out_width - 1 - x : x) * column);
  }
  const size_t out_row = static_cast<size_t>(out_width) * 3;
  s.rows.resize(static_cast<size_t>(rows) * out_row);
  for (int x = 0; x < out_width; ++x) {
    const uint8_t* src = s.resized_columns.data() + static_cast<size_t>(x) * column;
    uint8_t* dst = s.rows.data() + static_cast<size_t>(x) * 3;
    for (int y = 0; y < rows; ++y, src += 3, dst += out_row) {
      dst[0] = src[0];
      dst[1] = src[1];
      dst[2] = src[2];
    }
  }

  // Vertical pass: one whole output row at a time.
  for (int y = 0; y < out_height; ++y) {
    combine_lines(s.rows.data(), out_row, s.bounds_y[2 * y] - row_first, s.bounds_y[2 * y + 1],
                  s.weights_y.data() + static_cast<size_t>(y) * taps_y, out_row, s.sums,
                  out + static_cast<size_t>(y) * out_row);
  }
}

}  // namespace ablate::data
