#include "core/models/resnet.h"

#include <cstdint>

#include <fmt/format.h>
#include <torch/nn/init.h>

#include "core/models/batch_norm_relu.h"

namespace ablate::models {

namespace {

torch::nn::Conv2d conv(int64_t in, int64_t out, int64_t kernel, int64_t stride, int64_t groups = 1) {
  return torch::nn::Conv2d(
      torch::nn::Conv2dOptions(in, out, kernel).stride(stride).padding(kernel / 2).groups(groups).bias(false));
}

}  // namespace

BottleneckImpl::BottleneckImpl(int64_t in_channels, int64_t width, int64_t out_channels, int64_t stride,
                               int64_t cardinality, bool shortcut)
    : shortcut_(shortcut) {
  TORCH_CHECK(width % cardinality == 0, "bottleneck width ", width, " is not divisible by cardinality ",
              cardinality);
  conv1 = register_module("conv1", conv(in_channels, width, 1, 1));
  bn1 = register_module("bn1", torch::nn::BatchNorm2d(width));
  conv2 = register_module("conv2", conv(width, width, 3, stride, cardinality));
  bn2 = register_module("bn2", torch::nn::BatchNorm2d(width));
  conv3 = register_module("conv3", conv(width, out_channels, 1, 1));
  bn3 = register_module("bn3", torch::nn::BatchNorm2d(out_channels));
  if (shortcut && (stride != 1 || in_channels != out_channels)) {
    downsample = register_module(
        "downsample", torch::nn::Sequential(conv(in_channels, out_channels, 1, stride),
                                            torch::nn::BatchNorm2d(out_channels)));
  }
}

// BN + ReLU (and BN + shortcut + ReLU) fused where that applies (batch_norm_relu.h: training on the CPU);
// elsewhere the ReLUs run in place, as torchvision's (an out-of-place ReLU costs one more activation-sized
// buffer per BN).
torch::Tensor BottleneckImpl::forward(const torch::Tensor& x) {
  auto out = batch_norm_relu(*bn1, conv1(x));
  out = batch_norm_relu(*bn2, conv2(out));
  out = conv3(out);  // before the shortcut's projection, as the unfused order
  if (!shortcut_) return batch_norm_relu(*bn3, out);
  return batch_norm_relu(*bn3, out, downsample ? downsample->forward(x) : x);
}

ResNetImpl::ResNetImpl(const ResNetOptions& options) : options_(options) {
  validate(options_);
  const auto& o = options_;
  const bool imagenet = o.stem() == Stem::imagenet;
  conv1 = register_module("conv1", imagenet ? conv(o.input_channels(), o.stem_channels(), 7, 2)
                                            : conv(o.input_channels(), o.stem_channels(), 3, o.stem_stride()));
  bn1 = register_module("bn1", torch::nn::BatchNorm2d(o.stem_channels()));

  int64_t in_channels = o.stem_channels();
  for (size_t s = 0; s < o.blocks().size(); ++s) {
    const auto stage = static_cast<int64_t>(s);
    torch::nn::Sequential blocks;
    for (int64_t b = 0; b < o.blocks()[s]; ++b) {
      blocks->push_back(Bottleneck(in_channels, stage_group_width(o, stage), stage_out_channels(o, stage),
                                   b == 0 ? stage_stride(stage) : 1, o.cardinality(), o.shortcut()));
      in_channels = stage_out_channels(o, stage);
    }
    stages.push_back(register_module(fmt::format("layer{}", s + 1), blocks));
  }
  fc = register_module("fc", torch::nn::Linear(in_channels, o.num_classes()));
  initialize_weights();
}

void ResNetImpl::initialize_weights() {
  torch::NoGradGuard no_grad;
  for (auto& module : modules(/*include_self=*/false)) {
    if (auto* c = module->as<torch::nn::Conv2d>()) {
      // He init, fan-out, as the paper and torchvision.
      torch::nn::init::kaiming_normal_(c->weight, 0.0, torch::kFanOut, torch::kReLU);
    } else if (auto* bn = module->as<torch::nn::BatchNorm2d>()) {
      torch::nn::init::ones_(bn->weight);
      torch::nn::init::zeros_(bn->bias);
    }
  }
  if (options_.zero_init_last_bn()) {
    for (auto& stage : stages) {
      for (auto& block : *stage) torch::nn::init::zeros_(block.get<Bottleneck>()->bn3->weight);
    }
  }
}

torch::Tensor ResNetImpl::forward(torch::Tensor x) {
  TORCH_CHECK(x.dim() == 4 && x.size(1) == options_.input_channels(), "ResNet expects [N, ",
              options_.input_channels(), ", H, W] input, got ", x.sizes());
  x = batch_norm_relu(*bn1, conv1(x));
  if (options_.stem() == Stem::imagenet) x = torch::max_pool2d(x, 3, 2, 1);
  for (auto& stage : stages) x = stage->forward(x);
  x = torch::adaptive_avg_pool2d(x, {1, 1}).flatten(1);
  return fc(x);
}

}  // namespace ablate::models
