#pragma once
// An inference-only copy of a ResNet with every BatchNorm folded into the convolution before it, for
// evaluation: in eval mode BN is the affine map y = (x - mean) * g / sqrt(var + eps) + beta, so a conv
// followed by it equals one conv with weight w * s and bias beta - mean * s (s = g / sqrt(var + eps)).
// The folded copy runs a third fewer kernels than the trained module, with ReLUs and the residual
// addition in place; its logits equal the module's eval-mode logits up to float rounding.
//
// The copy holds its own tensors: the trained module is not changed and may train on (fold again to
// evaluate the new weights; folding costs about one pass over the parameters).

#include <cstdint>
#include <optional>
#include <vector>

#include <torch/types.h>

#include "core/models/resnet.h"

namespace ablate::models {

class FoldedResNet {
 public:
  // Folds `net`'s current parameters and running statistics, keeping their device, dtype and memory
  // format (channels_last weights stay channels_last). Throws std::invalid_argument when a BatchNorm
  // does not track running statistics (there is nothing to fold then).
  explicit FoldedResNet(const ResNetImpl& net);

  // x: [N, input_channels, H, W] -> logits [N, num_classes]; no autograd graph is recorded.
  torch::Tensor forward(const torch::Tensor& x) const;

 private:
  // A convolution with its BatchNorm folded in.
  struct Conv {
    torch::Tensor weight, bias;
    int64_t stride = 1, padding = 0, groups = 1;
    torch::Tensor operator()(const torch::Tensor& x) const;
  };
  struct Block {
    Conv conv1, conv2, conv3;
    std::optional<Conv> downsample;
    bool shortcut = true;
  };
  static Conv fold(const torch::nn::Conv2dImpl& conv, const torch::nn::BatchNorm2dImpl& bn);

  bool imagenet_stem_ = false;
  Conv stem_;
  std::vector<Block> blocks_;
  torch::Tensor fc_weight_, fc_bias_;
};

}  // namespace ablate::models
