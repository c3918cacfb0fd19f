#pragma once
// The paper's ImageNet transforms, as torchvision implements them, applied to one image file:
//   training:   RandomResizedCrop(size, scale=(0.08, 1), ratio=(3/4, 4/3)) + RandomHorizontalFlip(0.5)
//   evaluation: Resize(resize) (the short side; 256 for 224) + CenterCrop(size)
// Output: size x size x 3 uint8 (HWC); ToTensor + Normalize happen later, batched, on the training device.
//
// The crop window, the fallback and every rounding are torchvision 0.14's (Python's round() is
// round-half-even; its int() truncates); resizing is Pillow's antialiased bilinear, which torchvision
// uses on PIL images. What differs on purpose: when a JPEG's crop (or resized image) is at least the output
// size even after a DCT-domain reduction (1/2, 1/4, 1/8), the file is decoded at the smallest such
// reduction and the crop taken from that, so a 2000x1500 JPEG whose crop becomes 224 px is decoded at a
// quarter of its size or less. Without a reduction (small crops, PNG files, dct_scaling off) the pixels are torchvision's.
//
// Randomness: training draws come from an Rng seeded by the caller (the loader uses (seed, epoch, image
// index)), in torchvision's order: scale, ratio, then top and left, up to 10 attempts, then the flip.

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/data/image_decoder.h"
#include "core/data/image_resample.h"
#include "core/data/rng.h"

namespace ablate::data {

// torchvision's (i, j, h, w): top, left, height, width in source pixels.
struct CropWindow {
  int64_t top = 0, left = 0, height = 0, width = 0;
};

// RandomResizedCrop.get_params: up to 10 draws of an area fraction in [scale_min, scale_max] and a log-uniform
// aspect ratio in [ratio_min, ratio_max] until the window fits, else the centre crop clamped to the ratio range.
CropWindow random_resized_crop_window(int64_t width, int64_t height, Rng& rng, double scale_min = 0.08,
                                      double scale_max = 1.0, double ratio_min = 3.0 / 4.0,
                                      double ratio_max = 4.0 / 3.0);

struct TransformOptions {
  int64_t size = 224;       // output side
  bool train = false;       // RandomResizedCrop + flip; else Resize + CenterCrop
  bool flip = true;         // training only: mirror half of the crops
  int64_t resize = 0;       // evaluation: the short side before the centre crop; 0 = round(size * 256 / 224)
  bool dct_scaling = true;  // decode JPEGs at a DCT-domain reduction when the result is still large enough
};

// What happens to one image: the JPEG reduction, the source box and the pixels the filter may read (both
// in the reduced image), and the flip.
struct TransformPlan {
  ScalingFactor scale;
  Box box;
  PixelBounds bounds;
  bool mirror = false;
};

// The plan for a width x height image. `rng` is drawn from in training only (may be null otherwise).
TransformPlan plan_transform(const TransformOptions& options, int width, int height, ImageFormat format, Rng* rng);

// Decode + plan + resample for one file at a time; holds the decoder and the scratch memory, so one
// per thread.
class ImageTransformer {
 public:
  explicit ImageTransformer(TransformOptions options);

  // Transforms the file `path` whose bytes are `data` into `out` (size x size x 3). `image_seed` seeds
  // the training draws. Throws DecodeError naming `path`.
  void operator()(const uint8_t* data, size_t size, const std::string& path, uint64_t image_seed, uint8_t* out);

  const TransformOptions& options() const { return options_; }

 private:
  TransformOptions options_;
  ImageDecoder decoder_;
  RgbImage image_;
  ResampleScratch scratch_;
};

}  // namespace ablate::data
