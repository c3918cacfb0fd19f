#include "core/data/image_transform.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace ablate::data {

namespace {

// Python's round(): half to even (the default floating-point rounding mode).
int64_t round_half_even(double x) { return static_cast<int64_t>(std::nearbyint(x)); }

// The smallest DCT-domain reduction under which `fits(factor)` still holds; 1/1 when none does.
template <typename Fits>
ScalingFactor smallest_reduction(const TransformOptions& options, ImageFormat format, Fits fits) {
  ScalingFactor chosen;
  if (!options.dct_scaling || format != ImageFormat::jpeg) return chosen;
  for (const ScalingFactor& f : ImageDecoder::jpeg_reductions()) {  // largest first
    if (!fits(f)) break;
    chosen = f;
  }
  return chosen;
}

TransformPlan plan_train(const TransformOptions& options, int width, int height, ImageFormat format, Rng& rng) {
  const CropWindow w = random_resized_crop_window(width, height, rng);
  const double size = static_cast<double>(options.size);
  TransformPlan plan;
  plan.scale = smallest_reduction(options, format, [&](const ScalingFactor& f) {
    return w.width * static_cast<double>(f.scaled(width)) / width >= size &&
           w.height * static_cast<double>(f.scaled(height)) / height >= size;
  });
  const double sx = static_cast<double>(plan.scale.scaled(width)) / width;
  const double sy = static_cast<double>(plan.scale.scaled(height)) / height;
  plan.box = Box{w.left * sx, w.top * sy, (w.left + w.width) * sx, (w.top + w.height) * sy};
  // torchvision crops before it resizes: the filter reads nothing outside the window.
  plan.bounds = PixelBounds{static_cast<int>(std::floor(plan.box.left)), static_cast<int>(std::floor(plan.box.top)),
                            std::min(static_cast<int>(std::ceil(plan.box.right)), plan.scale.scaled(width)),
                            std::min(static_cast<int>(std::ceil(plan.box.bottom)), plan.scale.scaled(height))};
  plan.mirror = options.flip && rng.uniform() < 0.5;  // RandomHorizontalFlip: torch.rand(1) < p
  return plan;
}

TransformPlan plan_eval(const TransformOptions& options, int width, int height, ImageFormat format) {
  const int64_t resize = options.resize > 0 ? options.resize : round_half_even(options.size * 256.0 / 224.0);
  // torchvision's _compute_resized_output_size: the short side becomes `resize`, the long side
  // int(resize * long / short).
  const int64_t short_side = std::min(width, height), long_side = std::max(width, height);
  const auto new_long = static_cast<int64_t>(static_cast<double>(resize * long_side) / static_cast<double>(short_side));
  const int64_t new_width = width <= height ? resize : new_long;
  const int64_t new_height = width <= height ? new_long : resize;
  if (new_width < options.size || new_height < options.size) {
    throw std::invalid_argument(fmt::format("evaluation resize {} is smaller than the crop {}", resize, options.size));
  }
  // CenterCrop: int(round((side - crop) / 2.0)).
  const int64_t top = round_half_even(static_cast<double>(new_height - options.size) / 2.0);
  const int64_t left = round_half_even(static_cast<double>(new_width - options.size) / 2.0);

  TransformPlan plan;
  plan.scale = smallest_reduction(options, format, [&](const ScalingFactor& f) {
    return f.scaled(width) >= new_width && f.scaled(height) >= new_height;
  });
  const int scaled_width = plan.scale.scaled(width), scaled_height = plan.scale.scaled(height);
  const double sx = static_cast<double>(scaled_width) / static_cast<double>(new_width);
  const double sy = static_cast<double>(scaled_height) / static_cast<double>(new_height);
  plan.box = Box{left * sx, top * sy, (left + options.size) * sx, (top + options.size) * sy};
  plan.bounds = PixelBounds{0, 0, scaled_width, scaled_height};  // the whole image is resized, then cropped
  return plan;
}

}  // namespace

CropWindow random_resized_crop_window(int64_t width, int64_t height, Rng& rng, double scale_min, double scale_max,
                                      double ratio_min, double ratio_max) {
  const double area = static_cast<double>(width) * static_cast<double>(height);
  const double log_ratio_min = std::log(ratio_min), log_ratio_max = std::log(ratio_max);
  for (int attempt = 0; attempt < 10; ++attempt) {
    const double target_area = area * (scale_min + (scale_max - scale_min) * rng.uniform());
    const double aspect_ratio = std::exp(log_ratio_min + (log_ratio_max - log_ratio_min) * rng.uniform());
    const int64_t w = round_half_even(std::sqrt(target_area * aspect_ratio));
    const int64_t h = round_half_even(std::sqrt(target_area / aspect_ratio));
    if (0 < w && w <= width && 0 < h && h <= height) {
      const int64_t top = rng.below(height - h + 1);
      const int64_t left = rng.below(width - w + 1);
      return CropWindow{top, left, h, w};
    }
  }
  // Fallback: the central crop, its aspect ratio clamped to the range.
  const double in_ratio = static_cast<double>(width) / static_cast<double>(height);
  int64_t w = width, h = height;
  if (in_ratio < ratio_min) {
    h = round_half_even(static_cast<double>(w) / ratio_min);
  } else if (in_ratio > ratio_max) {
    w = round_half_even(static_cast<double>(h) * ratio_max);
  }
  return CropWindow{(height - h) / 2, (width - w) / 2, h, w};
}

TransformPlan plan_transform(const TransformOptions& options, int width, int height, ImageFormat format, Rng* rng) {
  if (width < 1 || height < 1) throw std::invalid_argument(fmt::format("image of {}x{} pixels", width, height));
  if (options.train) {
    if (rng == nullptr) throw std::invalid_argument("plan_transform: training draws need an Rng");
    return plan_train(options, width, height, format, *rng);
  }
  return plan_eval(options, width, height, format);
}

ImageTransformer::ImageTransformer(TransformOptions options) : options_(options) {
  if (options_.size < 1) throw std::invalid_argument(fmt::format("image size: expected >= 1, found {}", options_.size));
}

void ImageTransformer::operator()(const uint8_t* data, size_t size, const std::string& path, uint64_t image_seed,
                                  uint8_t* out) {
  const ImageHeader header = decoder_.read_header(data, size, path);
  Rng rng(image_seed);
  const TransformPlan plan = plan_transform(options_, header.width, header.height, header.format, &rng);
  decoder_.decode(data, size, header, plan.scale, image_, path);
  const int side = static_cast<int>(options_.size);
  resample(image_.pixels.data(), image_.width, image_.height, plan.box, plan.bounds, side, side, plan.mirror, out,
           scratch_);
}

}  // namespace ablate::data
