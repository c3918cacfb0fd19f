// Complexity accounting against the published figures (shared/reference/resnext-paper.md):
// parameters to the unit, GMACs to 3 decimals.
#include <gtest/gtest.h>

#include <cmath>

#include "core/models/complexity.h"
#include "core/models/presets.h"

namespace ablate::models {
namespace {

struct Published {
  const char* preset;
  int64_t params;
  double gmacs;  // NaN where the reference gives none
};

class PublishedFigures : public ::testing::TestWithParam<Published> {};

TEST_P(PublishedFigures, ParamsExactAndGmacsToThreeDecimals) {
  const Published& ref = GetParam();
  const Preset p = preset(ref.preset);
  const Complexity c = analyze(p.options, p.image_size);
  EXPECT_EQ(c.params, ref.params) << ref.preset;
  if (!std::isnan(ref.gmacs)) {
    EXPECT_NEAR(static_cast<double>(c.macs) / 1e9, ref.gmacs, 0.0005) << ref.preset << " macs=" << c.macs;
  }
  EXPECT_EQ(count_params(p.options), ref.params);
}

constexpr double kNone = std::numeric_limits<double>::quiet_NaN();

INSTANTIATE_TEST_SUITE_P(
    ImageNetAndCifar, PublishedFigures,
    ::testing::Values(Published{"resnet50", 25557032, 4.089}, Published{"resnext50_32x4d", 25028904, 4.230},
                      Published{"resnet101", 44549160, 7.801}, Published{"resnext101_32x4d", 44177704, 7.970},
                      Published{"resnext101_32x8d", 88791336, 16.414},
                      Published{"resnext101_64x4d", 83455272, 15.460},
                      Published{"resnext50_2x40d", 25425000, 4.125}, Published{"resnext50_4x24d", 25292968, 4.160},
                      Published{"resnext50_8x14d", 25603016, 4.267},
                      Published{"resnext101_2x64d", 84198184, 15.123},
                      Published{"resnet101_1x100d", 85611336, 15.273}, Published{"resnet200", 64673832, 15.007},
                      Published{"resnext29_8x64d", 34426698, 5.387}, Published{"resnext29_16x64d", 68155210, 10.689},
                      Published{"resnext29_1x64d", 4914250, kNone}, Published{"resnext29_2x64d", 9130314, kNone},
                      Published{"resnext29_4x64d", 17562442, kNone}, Published{"resnext29_1x128d", 13775178, kNone},
                      Published{"resnext29_1x192d", 27280970, kNone}),
    [](const auto& info) { return std::string(info.param.preset); });

TEST(Complexity, PaperParamsWithoutBatchNorm) {
  // The paper's 25.5M / 25.0M exclude BN weights and biases.
  for (auto [name, without_bn] : {std::pair{"resnet50", int64_t{25503912}}, {"resnext50_32x4d", int64_t{24960680}}}) {
    const Complexity c = analyze(preset(name).options, 224);
    int64_t bn = 0;
    for (const auto& l : c.layers) bn += l.kind == LayerKind::batch_norm ? l.params : 0;
    EXPECT_EQ(c.params - bn, without_bn) << name;
  }
}

TEST(Complexity, StagesMatchTableOne) {
  const Complexity c = analyze(preset("resnext50_32x4d").options, 224);
  ASSERT_EQ(c.stages.size(), 4u);
  EXPECT_EQ(c.stem_output_size, 56);
  const int64_t sizes[] = {56, 28, 14, 7}, widths[] = {128, 256, 512, 1024}, outs[] = {256, 512, 1024, 2048};
  for (int s = 0; s < 4; ++s) {
    EXPECT_EQ(c.stages[s].output_size, sizes[s]);
    EXPECT_EQ(c.stages[s].bottleneck_in, widths[s]);
    EXPECT_EQ(c.stages[s].out_channels, outs[s]);
    EXPECT_EQ(c.stages[s].cardinality, 32);
  }
  int64_t stage_sum = 0;
  for (const auto& s : c.stages) stage_sum += s.params;
  // Stem conv+bn (9408 + 128) and fc (2048*1000 + 1000) are outside the stages.
  EXPECT_EQ(c.params - stage_sum, 9408 + 128 + 2049000);
}

TEST(Complexity, BlockParamsAreEquationFour) {
  const int64_t expected[][3] = {{1, 64, 69632}, {2, 40, 69760}, {4, 24, 69888}, {8, 14, 71456}, {32, 4, 70144}};
  for (const auto& row : expected) {
    ResNetOptions o;
    o.cardinality(row[0]).bottleneck_width(row[1]);
    EXPECT_EQ(first_stage_block_params(o), row[2]) << row[0] << "x" << row[1] << "d";
  }
}

TEST(Complexity, ShortcutOffHasNoDownsampleLayers) {
  ResNetOptions o = preset("resnext50_32x4d").options;
  o.shortcut(false);
  const Complexity c = analyze(o, 224);
  for (const auto& l : c.layers) EXPECT_EQ(l.name.find("downsample"), std::string::npos) << l.name;
  const Complexity with = analyze(preset("resnext50_32x4d").options, 224);
  EXPECT_LT(c.params, with.params);
}

TEST(Complexity, CifarStemStrideHalvesEveryMap) {
  ResNetOptions o = preset("resnext29_8x64d").options;
  const Complexity full = analyze(o, 32);
  EXPECT_EQ(full.stages.back().output_size, 8);
  o.stem_stride(2);
  const Complexity half = analyze(o, 32);
  EXPECT_EQ(half.stem_output_size, 16);
  EXPECT_EQ(half.stages.back().output_size, 4);
  EXPECT_EQ(half.params, full.params);
  EXPECT_LT(half.macs, full.macs / 3);
}

TEST(Complexity, RejectsImagesSmallerThanTheStem) {
  EXPECT_EQ(minimum_image_size(preset("resnet50").options), 32);
  EXPECT_THROW(analyze(preset("resnet50").options, 16), std::invalid_argument);
  try {
    analyze(preset("resnet50").options, 16);
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("16"), std::string::npos);
  }
  EXPECT_NO_THROW(analyze(preset("resnext29_8x64d").options, 4));
}

TEST(Complexity, RejectsInvalidOptions) {
  ResNetOptions o;
  EXPECT_THROW(analyze(ResNetOptions(o).cardinality(0), 224), std::invalid_argument);
  EXPECT_THROW(analyze(ResNetOptions(o).bottleneck_width(0), 224), std::invalid_argument);
  EXPECT_THROW(analyze(ResNetOptions(o).blocks({3, 0, 6, 3}), 224), std::invalid_argument);
  EXPECT_THROW(analyze(ResNetOptions(o).blocks({}), 224), std::invalid_argument);
}

}  // namespace
}  // namespace ablate::models
