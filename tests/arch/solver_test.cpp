#include <gtest/gtest.h>

#include "core/models/complexity.h"
#include "core/models/presets.h"
#include "core/models/solver.h"

namespace ablate::models {
namespace {

// Paper Table 2: ResNeXt-50 templates preserving resnet50's complexity.
const std::pair<int64_t, int64_t> kTableTwo[] = {{1, 64}, {2, 40}, {4, 24}, {8, 14}, {32, 4}};

TEST(Solver, TableTwoOverWholeNetworkByParams) {
  const ResNetOptions reference = preset("resnet50").options;
  for (auto [c, d] : kTableTwo) {
    ResNetOptions t = reference;
    t.cardinality(c);
    const WidthSolution s = solve_width(t, reference, MatchBy::params, MatchScope::network, 224);
    EXPECT_EQ(s.width, d) << "C=" << c;
    EXPECT_EQ(s.reference_value, 25557032);
    EXPECT_LT(std::abs(s.relative_difference), 0.025);  // 32x4d is 2.07% under
  }
}

TEST(Solver, TableTwoPerBlock) {
  const ResNetOptions reference = preset("resnet50").options;
  for (auto [c, d] : kTableTwo) {
    ResNetOptions t = reference;
    t.cardinality(c);
    const WidthSolution s = solve_width(t, reference, MatchBy::params, MatchScope::block, 224);
    EXPECT_EQ(s.width, d) << "C=" << c;
    EXPECT_EQ(s.reference_value, 69632);
  }
}

TEST(Solver, ByMacsFindsTheTwoTimesBudgetWidth) {
  // ResNet-101 at the 2x budget of ResNeXt-101 64x4d: the paper's "wider" ResNet is 1x100d.
  const ResNetOptions reference = preset("resnext101_64x4d").options;
  ResNetOptions t = preset("resnet101").options;
  const WidthSolution s = solve_width(t, reference, MatchBy::macs, MatchScope::network, 224);
  EXPECT_NEAR(s.width, 100, 2);
  t.bottleneck_width(s.width);
  EXPECT_EQ(s.value, analyze(t, 224).macs);
}

TEST(Solver, PicksTheClosestWidth) {
  const ResNetOptions reference = preset("resnet50").options;
  ResNetOptions t = reference;
  t.cardinality(8);
  const WidthSolution s = solve_width(t, reference, MatchBy::params, MatchScope::network, 224);
  for (int64_t d : {s.width - 1, s.width + 1}) {
    t.bottleneck_width(d);
    EXPECT_GE(std::llabs(count_params(t) - s.reference_value), std::llabs(s.value - s.reference_value));
  }
}

TEST(Solver, ParsesNames) {
  EXPECT_EQ(parse_match_by("macs"), MatchBy::macs);
  EXPECT_EQ(parse_match_scope("block"), MatchScope::block);
  EXPECT_THROW(parse_match_by("flops"), std::invalid_argument);
  EXPECT_THROW(parse_match_scope("stage"), std::invalid_argument);
}

}  // namespace
}  // namespace ablate::models
