// The BatchNorm-folded evaluation copy against the module it was folded from.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "core/models/presets.h"
#include "core/models/resnet.h"
#include "core/models/resnet_folded.h"

namespace ablate::models {
namespace {

// Running statistics and affine parameters far from their initial 0/1, as after training, so that a
// folding mistake (a missed BN, mean and variance swapped, eps dropped) shows in the logits.
void randomise_batchnorms(ResNet& net) {
  torch::NoGradGuard no_grad;
  for (auto& module : net->modules(/*include_self=*/false)) {
    if (auto* bn = module->as<torch::nn::BatchNorm2d>()) {
      bn->weight.uniform_(0.5, 1.5);
      bn->bias.uniform_(-0.5, 0.5);
      bn->running_mean.uniform_(-0.5, 0.5);
      bn->running_var.uniform_(0.5, 2.0);
    }
  }
}

std::vector<torch::Tensor> snapshot(ResNet& net) {
  std::vector<torch::Tensor> copies;
  for (const auto& p : net->parameters()) copies.push_back(p.detach().clone());
  for (const auto& b : net->buffers()) copies.push_back(b.detach().clone());
  return copies;
}

void expect_folded_logits_equal(ResNetOptions options, int64_t side, bool channels_last) {
  torch::manual_seed(3);
  ResNet net(options);
  randomise_batchnorms(net);
  torch::Tensor x = torch::randn({4, options.input_channels(), side, side});
  if (channels_last) {
    torch::NoGradGuard no_grad;
    for (auto& p : net->parameters()) {
      if (p.dim() == 4) p.set_data(p.contiguous(torch::MemoryFormat::ChannelsLast));
    }
    x = x.contiguous(torch::MemoryFormat::ChannelsLast);
  }
  const std::vector<torch::Tensor> before = snapshot(net);
  net->train();  // folding reads the running statistics whatever the module's mode
  const FoldedResNet folded(*net);
  EXPECT_TRUE(net->is_training()) << "folding must not change the trained module";

  net->eval();
  torch::NoGradGuard no_grad;
  const torch::Tensor expected = net->forward(x);
  const torch::Tensor got = folded.forward(x);
  ASSERT_EQ(got.sizes(), expected.sizes());
  EXPECT_TRUE(torch::allclose(got, expected, /*rtol=*/1e-4, /*atol=*/1e-4))
      << "max difference " << (got - expected).abs().max().item<double>() << " for " << equivalent_preset(options);
  // The source module is untouched: same parameters and running statistics, bit for bit.
  const std::vector<torch::Tensor> after = snapshot(net);
  ASSERT_EQ(before.size(), after.size());
  for (size_t i = 0; i < before.size(); ++i) EXPECT_TRUE(torch::equal(before[i], after[i])) << i;
}

ResNetOptions small_cifar(int64_t cardinality, int64_t width) {
  return preset("resnext29_8x4d").options.blocks({2, 1, 1}).cardinality(cardinality).bottleneck_width(width)
      .base_channels(8).stem_channels(8).stem_stride(2).input_channels(1);
}

TEST(FoldedResNet, LogitsEqualTheModuleInEvalModeCifarStem) {
  expect_folded_logits_equal(small_cifar(1, 8), 16, /*channels_last=*/false);
  expect_folded_logits_equal(small_cifar(8, 2), 16, /*channels_last=*/false);
}

TEST(FoldedResNet, LogitsEqualTheModuleInEvalModeChannelsLast) {
  expect_folded_logits_equal(small_cifar(4, 2), 16, /*channels_last=*/true);
}

TEST(FoldedResNet, LogitsEqualTheModuleInEvalModeImagenetStemAndNoShortcuts) {
  ResNetOptions imagenet = preset("resnext50_4x4d").options.blocks({1, 1, 1, 1}).base_channels(8).stem_channels(8)
                               .num_classes(7);
  expect_folded_logits_equal(imagenet, 64, /*channels_last=*/false);
  expect_folded_logits_equal(small_cifar(2, 4).shortcut(false), 16, /*channels_last=*/true);
}

TEST(FoldedResNet, RecordsNoAutogradGraph) {
  ResNet net(small_cifar(2, 4));
  const FoldedResNet folded(*net);
  const torch::Tensor logits = folded.forward(torch::randn({2, 1, 16, 16}));
  EXPECT_EQ(logits.sizes(), (std::vector<int64_t>{2, 10}));
  EXPECT_FALSE(logits.requires_grad());
}

}  // namespace
}  // namespace ablate::models
