// Comparisons of a table's rows with their references and the best-versus-runner-up contests, on
// hand-made settings whose tests are known (significance_test.cpp checks the tests themselves).
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "results/comparisons.h"
#include "results/significance.h"

namespace ablate::results {
namespace {

// A finished setting with one value per seed 0, 1, ... of top1_err.
SettingResult setting(const std::string& variant, const std::string& group, const std::vector<double>& values) {
  SettingResult s;
  s.variant = variant;
  s.group = group;
  s.values["top1_err"] = values;
  for (std::size_t i = 0; i < values.size(); ++i) s.seeds["top1_err"].push_back(static_cast<int64_t>(i));
  s.progress.seeds_total = s.progress.seeds_finished = static_cast<int64_t>(values.size());
  return s;
}

const std::vector<double> kDrug1 = {0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0};
const std::vector<double> kDrug2 = {1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4};

TEST(Comparisons, ReferenceIsEachGroupsFirstRowOrTheNamedOne) {
  const std::vector<SettingResult> settings = {setting("a", "g1", {1, 2}), setting("b", "g1", {1, 2}),
                                               setting("c", "g2", {1, 2}), setting("d", "g2", {1, 2}),
                                               setting("e", "g1", {1, 2})};
  using Pairs = std::vector<std::pair<std::size_t, std::size_t>>;
  EXPECT_EQ(reference_pairs(settings, ""), (Pairs{{1, 0}, {3, 2}, {4, 0}}));
  EXPECT_EQ(reference_pairs(settings, "c"), (Pairs{{0, 2}, {1, 2}, {3, 2}, {4, 2}}));
  EXPECT_THROW(reference_pairs(settings, "z"), std::invalid_argument);
}

TEST(Comparisons, HolmAdjustsOverTheWholeTable) {
  // Two comparisons: the sleep data (Welch p = 0.0794) and one far apart (p tiny).
  const std::vector<SettingResult> settings = {setting("ref", "", kDrug2), setting("drug1", "", kDrug1),
                                               setting("far", "", {10.1, 10.3, 10.2, 10.4, 10.0, 10.1, 10.2, 10.3, 10.1, 10.2})};
  const std::vector<Comparison> c = compare_pairs(settings, reference_pairs(settings, ""), {"top1_err"}, TestKind::welch);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].setting, 1u);
  EXPECT_EQ(c[0].reference, 0u);
  ASSERT_TRUE(c[0].result.test.has_value());
  EXPECT_NEAR(c[0].result.test->p, 0.0793941, 1e-6);
  // The larger p of two is the last in Holm's order: max(p, 2 x the smaller p) = p here.
  EXPECT_NEAR(c[0].p_holm, 0.0793941, 1e-6);
  EXPECT_FALSE(c[0].beyond_noise());
  EXPECT_NEAR(c[1].p_holm, 2 * c[1].result.test->p, 1e-15);
  EXPECT_TRUE(c[1].beyond_noise());
}

TEST(Comparisons, PairedUsesTheSeedsBothSidesFinished) {
  SettingResult a = setting("a", "", kDrug1);
  SettingResult b = setting("b", "", kDrug2);
  const PairTest both = test_settings(a, b, "top1_err", TestKind::paired);
  ASSERT_TRUE(both.test.has_value());
  EXPECT_NEAR(both.test->p, 0.0028329, 1e-6);  // R's paired sleep example
  EXPECT_EQ(both.unpaired_seeds, 0);
  // b lacks seed 0 (say it failed and was left out): nine pairs remain, one seed is unpaired.
  b.values["top1_err"].erase(b.values["top1_err"].begin());
  b.seeds["top1_err"].erase(b.seeds["top1_err"].begin());
  const PairTest nine = test_settings(a, b, "top1_err", TestKind::paired);
  ASSERT_TRUE(nine.test.has_value());
  EXPECT_EQ(nine.test->n_a, 9);
  EXPECT_EQ(nine.unpaired_seeds, 1);
  EXPECT_NEAR(nine.test->difference, (-1.58 * 10 - (0.7 - 1.9)) / 9, 1e-12);
}

TEST(Comparisons, NoTestWithoutTwoSeedsOrWhileUnfinished) {
  const SettingResult one = setting("one", "", {20.0});
  const SettingResult three = setting("three", "", {20.0, 21.0, 22.0});
  EXPECT_EQ(test_settings(one, three, "top1_err", TestKind::welch).missing, "n = 1");
  SettingResult running = three;
  running.progress.seeds_finished = 2;
  EXPECT_EQ(test_settings(three, running, "top1_err", TestKind::welch).missing, "unfinished");
  EXPECT_EQ(test_settings(three, three, "top5_err", TestKind::welch).missing, "not logged");
  SettingResult other_seeds = setting("other", "", {1, 2});
  other_seeds.seeds["top1_err"] = {7, 8};
  EXPECT_EQ(test_settings(three, other_seeds, "top1_err", TestKind::paired).missing, "n = 1 common seed");
}

TEST(Comparisons, BestIsMarkedOnlyWhenApartFromTheRunnerUp) {
  const std::vector<SettingResult> settings = {
      setting("clear winner", "g1", {10.0, 10.2, 10.1}), setting("second", "g1", {12.0, 12.3, 11.9}),
      setting("third", "g1", {15.0, 15.5, 14.8}),
      setting("close a", "g2", {12.0, 13.0, 11.0}), setting("close b", "g2", {12.2, 13.1, 11.3}),
      setting("alone", "g3", {20.0, 21.0}),
      setting("single", "g4", {9.0}), setting("pair", "g4", {10.0, 11.0})};
  const std::vector<Contest> contests = {
      {{0, 1, 2}, "top1_err"}, {{3, 4}, "top1_err"}, {{5}, "top1_err"}, {{6, 7}, "top1_err"}};
  const std::vector<ContestResult> r = decide_contests(settings, contests, TestKind::welch);
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].outcome, ContestOutcome::separated);
  EXPECT_EQ(r[0].best, 0u);
  EXPECT_EQ(r[0].runner_up, 1u);
  EXPECT_EQ(r[1].outcome, ContestOutcome::within_noise);
  EXPECT_EQ(r[1].best, 3u);
  EXPECT_EQ(r[2].outcome, ContestOutcome::no_contest);
  EXPECT_EQ(r[3].outcome, ContestOutcome::no_spread);  // the best by mean has one seed
  EXPECT_EQ(r[3].best, 6u);
  // Holm over the two contests that had a test.
  const double p0 = welch_test({10.0, 10.2, 10.1}, {12.0, 12.3, 11.9})->p;
  const double p1 = welch_test({12.0, 13.0, 11.0}, {12.2, 13.1, 11.3})->p;
  EXPECT_NEAR(r[0].p_holm, std::min(1.0, 2 * std::min(p0, p1)), 1e-12);
  EXPECT_NEAR(r[1].p_holm, std::max(std::min(1.0, 2 * std::min(p0, p1)), p1), 1e-12);
}

TEST(Comparisons, HigherIsBetterForAccuracies) {
  SettingResult a = setting("a", "", {0.9, 0.91, 0.92});
  SettingResult b = setting("b", "", {0.5, 0.51, 0.52});
  for (SettingResult* s : {&a, &b}) {
    s->values["val_acc"] = s->values["top1_err"];
    s->seeds["val_acc"] = s->seeds["top1_err"];
  }
  const std::vector<ContestResult> r = decide_contests({a, b}, {{{0, 1}, "val_acc"}, {{0, 1}, "top1_err"}}, TestKind::welch);
  EXPECT_EQ(r[0].best, 0u);  // higher accuracy wins
  EXPECT_EQ(r[1].best, 1u);  // lower error wins
}

}  // namespace
}  // namespace ablate::results
