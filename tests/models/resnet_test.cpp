// The LibTorch module against torchvision's naming and the analytic complexity accounting.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <map>

#include "core/models/complexity.h"
#include "core/models/presets.h"
#include "core/models/resnet.h"
#include "tests/models/torchvision_layout.h"

namespace ablate::models {
namespace {

using testing::torchvision_shapes;

std::map<std::string, std::vector<int64_t>> state_dict_shapes(ResNet& net) {
  std::map<std::string, std::vector<int64_t>> shapes;
  for (const auto& p : net->named_parameters()) shapes[p.key()] = p.value().sizes().vec();
  for (const auto& b : net->named_buffers()) shapes[b.key()] = b.value().sizes().vec();
  return shapes;
}

int64_t numel(ResNet& net) {
  int64_t total = 0;
  for (const auto& p : net->parameters()) total += p.numel();
  return total;
}

TEST(ResNet, Resnet50StateDictEqualsTorchvision) {
  ResNet net(preset("resnet50").options);
  const auto expected = torchvision_shapes(1, 64);
  EXPECT_EQ(expected.size(), 320u);
  EXPECT_EQ(state_dict_shapes(net), expected);
}

TEST(ResNet, Resnext50StateDictEqualsTorchvision) {
  ResNet net(preset("resnext50_32x4d").options);
  const auto expected = torchvision_shapes(32, 4);
  EXPECT_EQ(expected.size(), 320u);
  EXPECT_EQ(state_dict_shapes(net), expected);
}

TEST(ResNet, AnalyticParamsEqualModuleNumel) {
  std::vector<ResNetOptions> configs;
  for (const char* name : {"resnet50", "resnext50_32x4d", "resnext101_64x4d", "resnet101_1x100d", "resnext29_8x64d",
                           "resnext29_1x128d", "resnet200"}) {
    configs.push_back(preset(name).options);
  }
  ResNetOptions small;
  small.stem(Stem::cifar).blocks({2, 1, 3}).cardinality(4).bottleneck_width(3).base_channels(8).stem_channels(12)
      .stem_stride(2).input_channels(1).num_classes(7);
  configs.push_back(small);
  configs.push_back(ResNetOptions(small).shortcut(false));
  configs.push_back(ResNetOptions(small).blocks({1, 1}).cardinality(1).bottleneck_width(5));
  configs.push_back(ResNetOptions(preset("resnext50_32x4d").options).shortcut(false).num_classes(10));
  for (const auto& o : configs) {
    ResNet net(o);
    EXPECT_EQ(numel(net), count_params(o)) << equivalent_preset(o);
  }
}

TEST(ResNet, ParameterNamesMatchComplexityLayers) {
  ResNetOptions o = preset("resnext29_8x64d").options;
  o.base_channels(8).stem_channels(8).bottleneck_width(2);
  ResNet net(o);
  const auto shapes = state_dict_shapes(net);
  const Complexity c = analyze(o, 32);
  for (const auto& layer : c.layers) {
    ASSERT_TRUE(shapes.count(layer.name + ".weight")) << layer.name;
  }
}

TEST(ResNet, OutputShapesForBothStems) {
  torch::NoGradGuard no_grad;
  ResNetOptions imagenet = preset("resnext50_32x4d").options;
  imagenet.base_channels(8).stem_channels(8).bottleneck_width(1).blocks({1, 1, 1, 1}).num_classes(5);
  ResNet a(imagenet);
  a->eval();
  EXPECT_EQ(a->forward(torch::randn({2, 3, 64, 64})).sizes(), (std::vector<int64_t>{2, 5}));
  EXPECT_EQ(a->forward(torch::randn({1, 3, 32, 48})).sizes(), (std::vector<int64_t>{1, 5}));

  ResNetOptions cifar;
  cifar.stem(Stem::cifar).blocks({1, 1, 1}).cardinality(4).bottleneck_width(2).base_channels(8).stem_channels(8)
      .input_channels(1).num_classes(10).stem_stride(2);
  ResNet b(cifar);
  b->eval();
  EXPECT_EQ(b->forward(torch::randn({3, 1, 28, 28})).sizes(), (std::vector<int64_t>{3, 10}));
}

TEST(ResNet, StageMapSizesMatchAnalysis) {
  torch::NoGradGuard no_grad;
  ResNetOptions o;
  o.stem(Stem::cifar).blocks({1, 1, 1}).base_channels(4).stem_channels(4).bottleneck_width(2).stem_stride(2)
      .input_channels(1).num_classes(10);
  ResNet net(o);
  net->eval();
  const Complexity c = analyze(o, 28);
  auto x = torch::relu(net->bn1(net->conv1(torch::randn({1, 1, 28, 28}))));
  EXPECT_EQ(x.size(2), c.stem_output_size);
  for (size_t s = 0; s < net->stages.size(); ++s) {
    x = net->stages[s]->forward(x);
    EXPECT_EQ(x.size(2), c.stages[s].output_size) << "stage " << s;
    EXPECT_EQ(x.size(1), c.stages[s].out_channels) << "stage " << s;
  }
}

TEST(ResNet, ShortcutOffHasNoDownsampleParameters) {
  ResNetOptions o = preset("resnext50_32x4d").options;
  o.shortcut(false);
  ResNet net(o);
  for (const auto& p : net->named_parameters()) EXPECT_EQ(p.key().find("downsample"), std::string::npos) << p.key();
}

TEST(ResNet, InitialisationIsHeFanOutWithUnitGamma) {
  ResNetOptions o = preset("resnet50").options;
  ResNet net(o);
  // layer4.0.conv2: 512 out channels of 3x3 -> fan_out = 512*9, std = sqrt(2/fan_out).
  const auto w = net->named_parameters()["layer4.0.conv2.weight"];
  EXPECT_NEAR(w.std().item<double>(), std::sqrt(2.0 / (512 * 9)), 0.002);
  EXPECT_TRUE(torch::all(net->named_parameters()["layer1.0.bn3.weight"] == 1).item<bool>());
  ResNet zero(ResNetOptions(o).zero_init_last_bn(true));
  EXPECT_TRUE(torch::all(zero->named_parameters()["layer1.0.bn3.weight"] == 0).item<bool>());
  EXPECT_TRUE(torch::all(zero->named_parameters()["layer1.0.bn2.weight"] == 1).item<bool>());
}

TEST(ResNet, RejectsWrongInputChannels) {
  ResNetOptions o;
  o.stem(Stem::cifar).blocks({1}).base_channels(4).stem_channels(4).bottleneck_width(1).num_classes(2);
  ResNet net(o);
  EXPECT_THROW(net->forward(torch::randn({1, 1, 8, 8})), c10::Error);
}

}  // namespace
}  // namespace ablate::models
