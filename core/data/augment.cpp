#include "core/data/augment.h"

#include <cstdint>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

namespace ablate::data {

torch::Tensor crop_and_flip(const torch::Tensor& images, const torch::Tensor& offset_y,
                            const torch::Tensor& offset_x, const torch::Tensor& flip, int64_t padding) {
  TORCH_CHECK(images.dim() == 4, "crop_and_flip: expected images [B, C, H, W], found ", images.sizes());
  TORCH_CHECK(padding >= 0, "crop_and_flip: expected padding >= 0, found ", padding);
  const int64_t b = images.size(0), c = images.size(1), h = images.size(2), w = images.size(3);
  const int64_t padded_w = w + 2 * padding;
  const auto index_options = torch::TensorOptions().dtype(torch::kLong).device(images.device());

  const torch::Tensor padded =
      padding > 0 ? torch::constant_pad_nd(images, {padding, padding, padding, padding}, 0) : images;
  const torch::Tensor rows = offset_y.view({b, 1}) + torch::arange(h, index_options).view({1, h});  // [B, H]
  torch::Tensor columns = torch::arange(w, index_options).view({1, w});
  if (flip.defined()) {
    columns = torch::where(flip.view({b, 1}) != 0, (w - 1) - columns, columns);  // [B, W]
  }
  columns = offset_x.view({b, 1}) + columns;
  // One flat index per output pixel into the padded H x W plane, shared by all channels.
  const torch::Tensor flat = (rows * padded_w).view({b, h, 1}) + columns.view({b, 1, w});
  return padded.reshape({b, c, -1}).gather(2, flat.view({b, 1, h * w}).expand({b, c, h * w})).view({b, c, h, w});
}

Normalizer::Normalizer(const std::vector<double>& mean, const std::vector<double>& stddev, const torch::Device& device) {
  if (mean.size() != stddev.size() || mean.empty()) {
    throw std::invalid_argument(
        fmt::format("Normalizer: expected one mean and one std per channel, found {} and {}", mean.size(), stddev.size()));
  }
  const auto channels = static_cast<int64_t>(mean.size());
  std::vector<float> scale(channels), shift(channels);
  for (int64_t c = 0; c < channels; ++c) {
    scale[c] = static_cast<float>(1.0 / (255.0 * stddev[c]));
    shift[c] = static_cast<float>(-mean[c] / stddev[c]);
  }
  scale_ = torch::tensor(scale).view({1, channels, 1, 1}).to(device);
  shift_ = torch::tensor(shift).view({1, channels, 1, 1}).to(device);
}

torch::Tensor Normalizer::operator()(const torch::Tensor& images) const {
  // addcmul promotes uint8 to float itself: one pass over the batch, no float copy of it first (same values),
  // and a channels_last input gives a channels_last result.
  return torch::addcmul(shift_, images, scale_);
}


}  // namespace ablate::data
