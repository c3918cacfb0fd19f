#pragma once
// Reading back a rendered PNG (8-bit, non-interlaced: what pngcairo writes) to check that a figure
// came out: its size, and how many distinct colours it has (a blank image has one).

#include <cstdint>
#include <string>

namespace ablate::plots {

struct PngSummary {
  int64_t width = 0;
  int64_t height = 0;
  int color_type = 0;  // PNG colour type: 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA
  int64_t distinct_colors = 0;
};

// Throws std::runtime_error naming the file and what is wrong (not a PNG, truncated, corrupt data,
// unsupported bit depth or interlacing).
PngSummary inspect_png(const std::string& path);

}  // namespace ablate::plots
