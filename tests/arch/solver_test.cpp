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

// The paper's deeper ResNets, from the stage-3 rule: ResNet-101 grows ResNet-50's third stage only.
TEST(DepthSolver, ResNet101FromResNet50sTemplateIsThePapersDepth) {
  const ResNetOptions reference = preset("resnet101").options;
  const ResNetOptions tmpl = preset("resnet50").options;
  for (MatchBy by : {MatchBy::macs, MatchBy::params}) {
    const DepthSolution s = solve_depth(tmpl, reference, by, MatchScope::network, 224);
    EXPECT_EQ(s.blocks, (std::vector<int64_t>{3, 4, 23, 3})) << to_string(by);
    EXPECT_EQ(s.value, s.reference_value);
    EXPECT_EQ(s.relative_difference, 0.0);
  }
}

// ResNet-152 [3, 8, 36, 3] and -200 [3, 24, 36, 3] also grow the second stage: the stage-3 rule gives
// their third stage from a template with their second stage, and from ResNet-50's template a net of about
// their budget with another shape (the README's table).
TEST(DepthSolver, ResNet152And200WhereTheStageThreeRuleReachesThem) {
  for (const auto& [name, second] : {std::pair<const char*, int64_t>{"resnet152", 8}, {"resnet200", 24}}) {
    const ResNetOptions reference = preset(name).options;
    ResNetOptions tmpl = preset("resnet50").options;
    tmpl.blocks({3, second, 6, 3});
    const DepthSolution s = solve_depth(tmpl, reference, MatchBy::macs, MatchScope::network, 224);
    EXPECT_EQ(s.blocks, (std::vector<int64_t>{3, second, 36, 3})) << name;
    EXPECT_EQ(s.relative_difference, 0.0) << name;

    // From ResNet-50's template by MACs: the paper's depth at exactly its MACs (a stage-2 block costs what a
    // stage-3 block does: half the channels, twice the side), with stage 2's extra blocks in stage 3.
    const DepthSolution from50 =
        solve_depth(preset("resnet50").options, reference, MatchBy::macs, MatchScope::network, 224);
    ResNetOptions solved = preset("resnet50").options;
    solved.blocks(from50.blocks);
    EXPECT_EQ(from50.blocks, (std::vector<int64_t>{3, 4, 36 + second - 4, 3})) << name;
    EXPECT_EQ(depth_of(solved), depth_of(reference)) << name;
    EXPECT_EQ(from50.relative_difference, 0.0) << name;
    // By params they differ (a stage-3 block has four times the weights): 3-4-37-3 and 3-4-41-3.
    const DepthSolution by_params =
        solve_depth(preset("resnet50").options, reference, MatchBy::params, MatchScope::network, 224);
    EXPECT_EQ(by_params.blocks[2], second == 8 ? 37 : 41) << name;
    EXPECT_LT(std::abs(by_params.relative_difference), 0.001) << name;
  }
}

TEST(DepthSolver, CifarTemplatesGrowEveryStageEqually) {
  // ResNeXt-29 8x64d is n = 3 (9n+2 = 29); from a ResNeXt-11 8x64d template at its budget.
  const ResNetOptions reference = preset("resnext29_8x64d").options;
  ResNetOptions tmpl = reference;
  tmpl.blocks({1, 1, 1});
  const DepthSolution s = solve_depth(tmpl, reference, MatchBy::params, MatchScope::network, 32);
  EXPECT_EQ(s.blocks, (std::vector<int64_t>{3, 3, 3}));
  EXPECT_EQ(s.value, s.reference_value);
  // A budget between two depths takes the closer one; the width stays the template's.
  ResNetOptions between = reference;
  between.bottleneck_width(80);  // more than n = 3 affords at 64d, less than n = 4
  const DepthSolution t = solve_depth(tmpl, between, MatchBy::params, MatchScope::network, 32);
  ASSERT_EQ(t.blocks.size(), 3u);
  EXPECT_EQ(t.blocks[0], t.blocks[1]);
  EXPECT_EQ(t.blocks[1], t.blocks[2]);
  for (int64_t n : {t.blocks[0] - 1, t.blocks[0] + 1}) {
    ResNetOptions other = tmpl;
    other.blocks({n, n, n});
    EXPECT_GE(std::llabs(count_params(other) - t.reference_value), std::llabs(t.value - t.reference_value)) << n;
  }
}

TEST(DepthSolver, RefusesBlockScopeAndOtherShapes) {
  const ResNetOptions r50 = preset("resnet50").options;
  EXPECT_THROW(solve_depth(r50, preset("resnet101").options, MatchBy::params, MatchScope::block, 224),
               std::invalid_argument);
  ResNetOptions two = r50;
  two.blocks({3, 4});
  EXPECT_THROW(solve_depth(two, preset("resnet101").options, MatchBy::params, MatchScope::network, 224),
               std::invalid_argument);
}

// The search both solvers share: closest wins, a tie goes to the smaller n (the shallower net, the
// narrower width), and it stops once past the target.
TEST(ClosestTo, ClosestWinsAndTiesGoToTheSmaller) {
  int64_t calls = 0;
  const auto tens = [&](int64_t n) {
    ++calls;
    return 10 * n;
  };
  EXPECT_EQ(closest_to(15, 100, tens).n, 1);  // 10 and 20 are both 5 away
  EXPECT_EQ(closest_to(26, 100, tens).n, 3);
  EXPECT_EQ(closest_to(24, 100, tens).n, 2);
  calls = 0;
  const Closest c = closest_to(40, 100, tens);
  EXPECT_EQ(c.n, 4);
  EXPECT_EQ(c.value, 40);
  EXPECT_EQ(calls, 4);
  EXPECT_EQ(closest_to(5000, 100, tens).n, 100);  // the limit
  EXPECT_EQ(parse_solve_for("depth"), SolveFor::depth);
  EXPECT_THROW(parse_solve_for("height"), std::invalid_argument);
}

}  // namespace
}  // namespace ablate::models
