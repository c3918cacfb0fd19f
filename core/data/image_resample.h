#pragma once
// Resampling of 8-bit RGB images as Pillow does it (Image.resize with BILINEAR: a triangle filter whose
// support widens with the reduction, so a downscale is antialiased; separable, horizontal pass first,
// 22-bit fixed-point weights). torchvision's transforms on PIL images resize through exactly this, so
// the same box gives the same pixels. Torch-free.

#include <cstdint>
#include <vector>

namespace ablate::data {

// A source rectangle in pixel coordinates (fractions allowed), as Pillow's resize(box=...).
struct Box {
  double left = 0, top = 0, right = 0, bottom = 0;
  double width() const { return right - left; }
  double height() const { return bottom - top; }
};

// Source pixels the filter may read: [x0, x1) x [y0, y1). The whole image for a resize; the crop window for
// a crop that is resized afterwards (torchvision crops first, so nothing outside the window leaks in).
struct PixelBounds {
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};

// Working memory of resample(), reused between calls.
struct ResampleScratch {
  std::vector<int32_t> weights_x, weights_y;
  std::vector<int> bounds_x, bounds_y;
  std::vector<uint8_t> columns, resized_columns, rows;
  std::vector<int32_t> sums;
};

// Resamples `box` of the HWC RGB image `in` (in_width x in_height) to out_width x out_height pixels written
// HWC to `out` (row stride out_width * 3), mirrored left-right when `mirror`.
void resample(const uint8_t* in, int in_width, int in_height, const Box& box, const PixelBounds& bounds,
              int out_width, int out_height, bool mirror, uint8_t* out, ResampleScratch& scratch);

}  // namespace ablate::data
