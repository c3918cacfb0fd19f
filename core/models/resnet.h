#pragma once
// The ResNet/ResNeXt family as LibTorch modules: one template, every variant an option
// (torchvision's C++ ResNet style). Module and parameter names equal torchvision's state_dict keys
// (conv1, bn1, layer1.0.conv2, layer3.0.downsample.0, fc) so weights can be exchanged with Python.

#include <cstdint>
#include <vector>

#include <torch/nn/module.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

#include "core/models/resnet_options.h"

namespace ablate::models {

// conv1 1x1 -> bn1 -> relu -> conv2 3x3 grouped (stride here, "v1.5") -> bn2 -> relu -> conv3 1x1 -> bn3,
// plus the shortcut (identity, or 1x1 conv + BN where the shape changes), ReLU after the addition.
class BottleneckImpl : public torch::nn::Module {
 public:
  BottleneckImpl(int64_t in_channels, int64_t width, int64_t out_channels, int64_t stride, int64_t cardinality,
                 bool shortcut);
  torch::Tensor forward(const torch::Tensor& x);
  bool has_shortcut() const { return shortcut_; }

  torch::nn::Conv2d conv1{nullptr}, conv2{nullptr}, conv3{nullptr};
  torch::nn::BatchNorm2d bn1{nullptr}, bn2{nullptr}, bn3{nullptr};
  torch::nn::Sequential downsample{nullptr};  // registered only when a projection is needed

 private:
  bool shortcut_;
};
TORCH_MODULE(Bottleneck);

class ResNetImpl : public torch::nn::Module {
 public:
  explicit ResNetImpl(const ResNetOptions& options);
  // x: [N, input_channels, H, W] -> logits [N, num_classes].
  torch::Tensor forward(torch::Tensor x);

  const ResNetOptions& options() const { return options_; }

  torch::nn::Conv2d conv1{nullptr};
  torch::nn::BatchNorm2d bn1{nullptr};
  std::vector<torch::nn::Sequential> stages;  // registered as layer1..layerN
  torch::nn::Linear fc{nullptr};

 private:
  void initialize_weights();
  ResNetOptions options_;
};
TORCH_MODULE(ResNet);

}  // namespace ablate::models
