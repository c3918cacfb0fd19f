#pragma once
// Augmentation and normalisation as batched tensor ops, run wherever the batch lives (CPU or CUDA):
// one pad and one gather per batch, no per-image loop, no host round trip.

#include <cstdint>
#include <vector>

#include <torch/torch.h>

namespace ablate::data {

// For each image i of `images` ([B, C, H, W], any dtype; uint8 in the pipeline): zero-pad by `padding`
// on every side, take the H x W window whose top-left corner is (offset_y[i], offset_x[i]) in the padded
// image (offsets in [0, 2 * padding]; `padding` itself is the centred, unshifted window), and mirror it
// left-right where flip[i] != 0. offset_y, offset_x, flip: int64 [B] on the images' device; `flip` may be
// undefined (no flips). padding 0 with zero offsets leaves the images as they are, apart from flips.
// Padding is zero in raw pixel values (torchvision's RandomCrop(padding) on images before Normalize).
torch::Tensor crop_and_flip(const torch::Tensor& images, const torch::Tensor& offset_y,
                            const torch::Tensor& offset_x, const torch::Tensor& flip, int64_t padding);

// Per-channel affine normalisation folded into one multiply-add: uint8 [B, C, H, W] ->
// float32 (x / 255 - mean[c]) / std[c].
class Normalizer {
 public:
  Normalizer() = default;
  // mean, stddev: one value per channel, in [0, 1] pixel units.
  Normalizer(const std::vector<double>& mean, const std::vector<double>& stddev, const torch::Device& device);
  torch::Tensor operator()(const torch::Tensor& images) const;
  // [1, C, 1, 1] float32 on the device: x * scale + shift is the normalised value of pixel x.
  const torch::Tensor& scale() const { return scale_; }
  const torch::Tensor& shift() const { return shift_; }

 private:
  torch::Tensor scale_;  // [1, C, 1, 1] = 1 / (255 std)
  torch::Tensor shift_;  // [1, C, 1, 1] = -mean / std
};

}  // namespace ablate::data
