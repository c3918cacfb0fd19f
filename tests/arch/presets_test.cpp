#include <gtest/gtest.h>

#include "core/models/presets.h"

namespace ablate::models {
namespace {

TEST(Presets, ParsesTheGrammar) {
  Preset p = preset("resnext101_32x8d");
  EXPECT_EQ(p.options.blocks(), (std::vector<int64_t>{3, 4, 23, 3}));
  EXPECT_EQ(p.options.cardinality(), 32);
  EXPECT_EQ(p.options.bottleneck_width(), 8);
  EXPECT_EQ(p.options.stem(), Stem::imagenet);
  EXPECT_EQ(p.image_size, 224);

  p = preset("resnet101_1x100d");
  EXPECT_EQ(p.options.cardinality(), 1);
  EXPECT_EQ(p.options.bottleneck_width(), 100);

  p = preset("resnext29_16x64d");
  EXPECT_EQ(p.options.stem(), Stem::cifar);
  EXPECT_EQ(p.options.blocks(), (std::vector<int64_t>{3, 3, 3}));
  EXPECT_EQ(p.options.num_classes(), 10);
  EXPECT_EQ(p.image_size, 32);
  EXPECT_EQ(preset("resnet200").options.blocks(), (std::vector<int64_t>{3, 24, 36, 3}));
}

TEST(Presets, RejectsUnknownNamesWithTheGrammar) {
  for (const char* bad : {"resnet", "resnet51", "resnext50_0x4d", "resnext50_32x0d", "vgg16", "resnext50_32x4",
                          "resnet30", "resnext99999999999999999999_1x1d"}) {
    try {
      preset(bad);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(bad), std::string::npos) << e.what();
    }
  }
}

TEST(Presets, EquivalentNameRoundTrips) {
  for (const auto& name : {"resnet50", "resnext50_32x4d", "resnet101_1x100d", "resnext29_8x64d", "resnext200_32x4d"}) {
    EXPECT_EQ(equivalent_preset(preset(name).options), name);
  }
  ResNetOptions o = preset("resnext29_8x4d").options;
  o.base_channels(16).stem_stride(2).input_channels(1);
  EXPECT_EQ(equivalent_preset(o), "resnext29_8x4d+base16,stride2,in1");
  EXPECT_EQ(setting_of(o), "8x4d");
  EXPECT_EQ(depth_of(o), 29);
}

// Every field but zero_init_last_bn, which a preset does not name.
void expect_same_architecture(const ResNetOptions& a, const ResNetOptions& b, const std::string& name) {
  EXPECT_EQ(a.blocks(), b.blocks()) << name;
  EXPECT_EQ(a.cardinality(), b.cardinality()) << name;
  EXPECT_EQ(a.bottleneck_width(), b.bottleneck_width()) << name;
  EXPECT_EQ(a.stem(), b.stem()) << name;
  EXPECT_EQ(a.base_channels(), b.base_channels()) << name;
  EXPECT_EQ(a.stem_channels(), b.stem_channels()) << name;
  EXPECT_EQ(a.stem_stride(), b.stem_stride()) << name;
  EXPECT_EQ(a.input_channels(), b.input_channels()) << name;
  EXPECT_EQ(a.num_classes(), b.num_classes()) << name;
  EXPECT_EQ(a.shortcut(), b.shortcut()) << name;
}

TEST(Presets, ExtendedNamesRoundTripEveryArchitectureOption) {
  const ResNetOptions cifar = preset("resnext29_8x4d").options;
  const ResNetOptions imagenet = preset("resnet50").options;
  std::vector<ResNetOptions> cases = {
      // The quick profile's ResNet-50: cifar stem on ImageNet's four stages.
      ResNetOptions(imagenet).stem(Stem::cifar).stem_stride(2).base_channels(16).stem_channels(16).bottleneck_width(16)
          .input_channels(1).num_classes(10),
      ResNetOptions(cifar).base_channels(16).stem_channels(16).stem_stride(2).input_channels(1),
      ResNetOptions(cifar).blocks({2, 3, 4}).num_classes(100).shortcut(false),
      ResNetOptions(cifar).blocks({11, 11, 11}),  // depth 101 with a cifar stem
      ResNetOptions(imagenet).blocks({1, 1, 1, 1}).cardinality(4).bottleneck_width(2).num_classes(10),
      ResNetOptions(imagenet).blocks({3, 3, 3}),  // depth 29 with an imagenet stem
  };
  for (const ResNetOptions& o : cases) {
    const std::string name = equivalent_preset(o);
    const ResNetOptions back = preset(name).options;
    expect_same_architecture(back, o, name);
    EXPECT_EQ(equivalent_preset(back), name);
  }
  EXPECT_EQ(equivalent_preset(cases[0]), "resnext50_1x16d+cifar,blocks3-4-6-3,base16,stem16,stride2,in1");
  EXPECT_EQ(preset("resnet50+classes10").options.num_classes(), 10);
  EXPECT_EQ(preset("resnext29_8x4d+imagenet,blocks3-3-3").image_size, 224);
}

TEST(Presets, RejectsBadOptionsAfterThePlus) {
  for (const char* bad : {"resnet50+", "resnet50+wide", "resnet50+base", "resnext29_8x4d+blocks1-1-1",
                          "resnext29_8x4d+base16,,in1", "resnet50+cifar"}) {
    try {
      preset(bad);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(bad), std::string::npos) << e.what();
    }
  }
}

TEST(Presets, DepthTables) {
  EXPECT_EQ(blocks_for_depth(152, Stem::imagenet), (std::vector<int64_t>{3, 8, 36, 3}));
  EXPECT_EQ(blocks_for_depth(11, Stem::cifar), (std::vector<int64_t>{1, 1, 1}));
  EXPECT_THROW(blocks_for_depth(34, Stem::imagenet), std::invalid_argument);
  EXPECT_THROW(blocks_for_depth(30, Stem::cifar), std::invalid_argument);
}

}  // namespace
}  // namespace ablate::models
