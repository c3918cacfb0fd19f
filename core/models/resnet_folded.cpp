#include "core/models/resnet_folded.h"

#include <stdexcept>

#include <fmt/format.h>

namespace ablate::models {

namespace {

// `t` laid out as `like` is (channels_last stays channels_last).
torch::Tensor same_layout(const torch::Tensor& t, const torch::Tensor& like) {
  return t.contiguous(like.suggest_memory_format());
}

}  // namespace

torch::Tensor FoldedResNet::Conv::operator()(const torch::Tensor& x) const {
  return torch::conv2d(x, weight, bias, stride, padding, /*dilation=*/1, groups);
}

FoldedResNet::Conv FoldedResNet::fold(const torch::nn::Conv2dImpl& conv, const torch::nn::BatchNorm2dImpl& bn) {
  if (!bn.options.track_running_stats() || !bn.running_mean.defined()) {
    throw std::invalid_argument("folding BatchNorm: a BatchNorm2d without running statistics cannot be folded");
  }
  // In double: the folded weights are then as exact as the dtype they are stored in allows.
  const torch::Tensor gamma = bn.options.affine() ? bn.weight.to(torch::kDouble) : torch::ones_like(bn.running_var, torch::kDouble);
  const torch::Tensor beta = bn.options.affine() ? bn.bias.to(torch::kDouble) : torch::zeros_like(bn.running_var, torch::kDouble);
  const torch::Tensor scale = gamma / (bn.running_var.to(torch::kDouble) + bn.options.eps()).sqrt();
  const torch::Tensor weight = conv.weight.to(torch::kDouble) * scale.view({-1, 1, 1, 1});
  torch::Tensor bias = beta - bn.running_mean.to(torch::kDouble) * scale;
  if (conv.bias.defined()) bias = bias + conv.bias.to(torch::kDouble) * scale;

  Conv folded;
  folded.weight = same_layout(weight.to(conv.weight.scalar_type()), conv.weight);
  folded.bias = bias.to(conv.weight.scalar_type());
  const auto& o = conv.options;
  if (o.stride()->at(0) != o.stride()->at(1) || o.dilation()->at(0) != 1 || o.dilation()->at(1) != 1) {
    throw std::invalid_argument("folding BatchNorm: only square strides without dilation are supported");
  }
  const auto* padding = c10::get_if<torch::ExpandingArray<2>>(&o.padding());
  if (padding == nullptr || (*padding)->at(0) != (*padding)->at(1)) {
    throw std::invalid_argument("folding BatchNorm: only explicit square padding is supported");
  }
  folded.stride = o.stride()->at(0);
  folded.padding = (*padding)->at(0);
  folded.groups = o.groups();
  return folded;
}

FoldedResNet::FoldedResNet(const ResNetImpl& net) {
  torch::NoGradGuard no_grad;
  imagenet_stem_ = net.options().stem() == Stem::imagenet;
  stem_ = fold(*net.conv1, *net.bn1);
  for (const auto& stage : net.stages) {
    for (const auto& child : stage->children()) {
      const auto* block = dynamic_cast<const BottleneckImpl*>(child.get());
      TORCH_CHECK(block != nullptr, "folding BatchNorm: a stage holds a module that is not a Bottleneck");
      Block folded{fold(*block->conv1, *block->bn1), fold(*block->conv2, *block->bn2),
                   fold(*block->conv3, *block->bn3), std::nullopt, block->has_shortcut()};
      if (block->downsample) {
        const auto* conv = block->downsample->ptr(0)->as<torch::nn::Conv2d>();
        const auto* bn = block->downsample->ptr(1)->as<torch::nn::BatchNorm2d>();
        TORCH_CHECK(conv != nullptr && bn != nullptr, "folding BatchNorm: downsample is not conv + BatchNorm");
        folded.downsample = fold(*conv, *bn);
      }
      blocks_.push_back(std::move(folded));
    }
  }
  fc_weight_ = net.fc->weight.detach().clone();
  fc_bias_ = net.fc->bias.detach().clone();
}

torch::Tensor FoldedResNet::forward(const torch::Tensor& input) const {
  torch::NoGradGuard no_grad;
  torch::Tensor x = stem_(input).relu_();
  if (imagenet_stem_) x = torch::max_pool2d(x, 3, 2, 1);
  for (const Block& block : blocks_) {
    torch::Tensor out = block.conv1(x).relu_();
    out = block.conv2(out).relu_();
    out = block.conv3(out);
    if (block.shortcut) out.add_(block.downsample ? (*block.downsample)(x) : x);
    x = out.relu_();
  }
  x = torch::adaptive_avg_pool2d(x, {1, 1}).flatten(1);
  return torch::linear(x, fc_weight_, fc_bias_);
}

}  // namespace ablate::models
