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

TEST(Presets, DepthTables) {
  EXPECT_EQ(blocks_for_depth(152, Stem::imagenet), (std::vector<int64_t>{3, 8, 36, 3}));
  EXPECT_EQ(blocks_for_depth(11, Stem::cifar), (std::vector<int64_t>{1, 1, 1}));
  EXPECT_THROW(blocks_for_depth(34, Stem::imagenet), std::invalid_argument);
  EXPECT_THROW(blocks_for_depth(30, Stem::cifar), std::invalid_argument);
}

}  // namespace
}  // namespace ablate::models
