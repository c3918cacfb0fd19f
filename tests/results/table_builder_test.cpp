// Tables built from an experiment and a store filled through the store API: finished groups, an
// unfinished one (running + failed seeds), one never started, missing paper values, one seed only.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/config/expand.h"
#include "core/config/experiment.h"
#include "core/config/weights_source.h"
#include "results/run_record.h"
#include "results/store.h"
#include "results/significance.h"
#include "results/table_builder.h"
#include "results/table_render.h"
#include "table_store_fixture.h"
#include "table_golden.h"

namespace ablate::results {
namespace {

using ablate::testing::expect_golden;

using TableBuilderTest = testing::ExperimentStoreTest;
using testing::val_error;

TEST_F(TableBuilderTest, EveryFormatMatchesItsGolden) {
  Store store = Store::open(":memory:");
  fill_default(store);
  const Table table = build_results_table(experiment_, "", store, {});
  expect_golden(render_text(table), "tests/results/golden/built.txt");
  expect_golden(render_markdown(table), "tests/results/golden/built.md");
  expect_golden(render_latex(table), "tests/results/golden/built.tex");
  expect_golden(render_csv(table), "tests/results/golden/built.csv");
}

TEST_F(TableBuilderTest, NumbersComeFromTheStore) {
  Store store = Store::open(":memory:");
  fill_default(store);
  ResultsTableOptions options;
  options.stat = Stat::ci95;
  const Table table = build_results_table(experiment_, "", store, options);
  ASSERT_EQ(table.groups.size(), 2u);
  EXPECT_EQ(table.groups[0].label, "depth 11");
  // Variant 0, final epoch 4: errors 28.0, 28.3, 28.6 -> mean 28.3, std 0.3, ci95 = 4.303 * 0.3 / sqrt(3).
  const Cell& first = table.groups[0].rows[0][5];
  ASSERT_EQ(first.kind, CellKind::estimate);
  EXPECT_NEAR(first.value, 28.3, 1e-9);
  EXPECT_NEAR(first.spread, 4.3026527 * 0.3 / std::sqrt(3.0), 1e-6);
  EXPECT_EQ(first.n, 3);
  EXPECT_NEAR(table.groups[0].rows[0][6].value, 28.3 - 23.9, 1e-9);  // delta
  // Variant 2: 1 finished, 1 running at epoch 2, 1 failed.
  EXPECT_EQ(table.groups[0].rows[2][5].kind, CellKind::progress);
  EXPECT_EQ(table.groups[0].rows[2][5].text, "1/3 seeds, 1 failed, epoch 2/4");
  EXPECT_EQ(table.groups[0].rows[2][6].kind, CellKind::empty);
  // Variant 3 has no paper value: its paper and delta cells stay empty, its value is still shown.
  EXPECT_EQ(table.groups[0].rows[3][4].kind, CellKind::empty);
  EXPECT_EQ(table.groups[0].rows[3][5].kind, CellKind::estimate);
  // Lowest error of the finished rows of depth 11 is variant 3's.
  EXPECT_TRUE(table.groups[0].rows[3][5].best);
  EXPECT_FALSE(table.groups[0].rows[0][5].best);
}

TEST_F(TableBuilderTest, OneSeedProfileReusesEqualRunsAndCountsOnlyItsSeeds) {
  Store store = Store::open(":memory:");
  fill_default(store);  // the one-seed profile plans exactly the seed-0 runs of the default profile
  const Table table = build_results_table(experiment_, "one-seed", store, {});
  expect_golden(render_text(table), "tests/results/golden/built_one_seed.txt");
  for (const RowGroup& group : table.groups) {
    for (const Row& row : group.rows) {
      ASSERT_EQ(row[5].kind, CellKind::estimate) << row[0].text;
      EXPECT_EQ(row[5].n, 1);  // seeds 1 and 2 are not part of this profile
      EXPECT_TRUE(std::isnan(row[5].spread));
    }
  }
  EXPECT_NEAR(table.groups[0].rows[0][5].value, 28.0, 1e-9);
}

TEST_F(TableBuilderTest, BestEpochAndTrainMetric) {
  Store store = Store::open(":memory:");
  fill_default(store);
  ResultsTableOptions best;
  best.epoch = EpochPick::Best;
  best.allow_test_selection = true;
  best.metrics = {"train_top1_err"};
  const Table table = build_results_table(experiment_, "", store, best);
  // No paper column for a train metric: model, setting, params, MACs, value.
  ASSERT_EQ(table.columns.size(), 5u);
  EXPECT_EQ(table.columns[4].header, "train_top1_err");
  EXPECT_NEAR(table.groups[0].rows[0][4].value, 28.3 - 5, 1e-9);
}

TEST_F(TableBuilderTest, BestEpochDiffersFromFinalWhenTheLastEpochGotWorse) {
  Store store = Store::open(":memory:");
  const auto runs = config::expand(experiment_, "one-seed");
  const config::RunSpec& run = runs.front();
  store.claim_run(run_record(run));
  store.log_epoch(run.run_key, 1, {{"val_top1_err", 30.0}});
  store.log_epoch(run.run_key, 2, {{"val_top1_err", 25.0}});
  store.log_epoch(run.run_key, 3, {{"val_top1_err", 26.5}});
  store.finish(run.run_key);
  ResultsTableOptions options;
  EXPECT_DOUBLE_EQ(build_results_table(experiment_, "one-seed", store, options).groups[0].rows[0][5].value, 26.5);
  options.epoch = EpochPick::Best;
  options.allow_test_selection = true;
  const Table best = build_results_table(experiment_, "one-seed", store, options);
  EXPECT_DOUBLE_EQ(best.groups[0].rows[0][5].value, 25.0);
  EXPECT_NE(render_text(best).find("Best epoch selected on the test split (--allow-test-selection)"),
            std::string::npos)
      << render_text(best);
}

// The runs of this experiment evaluate on the official test split (no data.val_size): the footer says
// so, and picking each run's best epoch there is test-set selection, refused unless asked for.
TEST_F(TableBuilderTest, FooterNamesTheSplitAndBestEpochOnTheTestSplitIsRefused) {
  Store store = Store::open(":memory:");
  fill_default(store);
  const std::string text = render_text(build_results_table(experiment_, "", store, {}));
  EXPECT_NE(text.find("official test split"), std::string::npos) << text;
  EXPECT_EQ(text.find("validation split,"), std::string::npos) << text;
  ResultsTableOptions best;
  best.epoch = EpochPick::Best;
  try {
    build_results_table(experiment_, "", store, best);
    FAIL() << "best epoch on the test split was accepted";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("data.val_size"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("--allow-test-selection"), std::string::npos) << error.what();
  }
  // With a validation split carved from train, best-epoch picking is fair and the footer names it.
  const std::vector<std::string> with_val = {"data.val_size=50"};
  for (const config::RunSpec& run : config::expand(experiment_, "one-seed", with_val)) {
    store.claim_run(run_record(run));
    store.log_epoch(run.run_key, 1, {{"val_top1_err", 30.0}});
    store.finish(run.run_key);
  }
  const Table fair = build_results_table(experiment_, "one-seed", store, best, with_val);
  EXPECT_NE(render_text(fair).find("validation split (data.val_size), best epoch"), std::string::npos)
      << render_text(fair);
  EXPECT_EQ(store.runs({"tables", std::nullopt, std::nullopt}).back().record.eval_split, "val");
}

// An evaluation-only run (ablate eval) of a planned setting is a row of its own right below that setting,
// with its one value; an evaluation under other settings is not in this table.
TEST_F(TableBuilderTest, EvaluationOnlyRunsAreRowsOfTheirOwnBelowTheirSetting) {
  Store store = Store::open(":memory:");
  fill_default(store);
  const config::WeightsSource published{"/weights/published.pt", std::string(64, 'a')};
  const config::RunSpec planned = config::expand(experiment_, "").front();
  const config::RunSpec evaluation = config::evaluation_spec(planned, published);
  store.claim_run(run_record(evaluation));
  store.log_epoch(evaluation.run_key, 1, {{"val_top1_err", 21.5}});
  store.finish(evaluation.run_key);
  const config::RunSpec elsewhere =
      config::evaluation_spec(config::expand(experiment_, "", {"train.epochs=9"}).front(), published);
  store.claim_run(run_record(elsewhere));
  store.log_epoch(elsewhere.run_key, 1, {{"val_top1_err", 11.0}});
  store.finish(elsewhere.run_key);

  const Table table = build_results_table(experiment_, "", store, {});
  const std::vector<Row>& rows = table.groups[0].rows;
  ASSERT_EQ(rows.size(), 5u) << "four settings and one evaluation";
  EXPECT_EQ(rows[0][0].text, "ResNet 1x8d");
  EXPECT_NEAR(rows[0][5].value, 28.3, 1e-9) << "the trained seeds are unchanged";
  EXPECT_EQ(rows[0][5].n, 3);
  EXPECT_EQ(rows[1][0].text, "ResNet 1x8d, evaluated: published.pt");
  EXPECT_EQ(rows[1][1].text, rows[0][1].text) << "same setting";
  EXPECT_DOUBLE_EQ(rows[1][4].value, 23.9) << "the paper's value, for comparison";
  ASSERT_EQ(rows[1][5].kind, CellKind::estimate);
  EXPECT_DOUBLE_EQ(rows[1][5].value, 21.5);
  EXPECT_EQ(rows[1][5].n, 1);
  EXPECT_NEAR(rows[1][6].value, 21.5 - 23.9, 1e-9);
  EXPECT_EQ(rows[2][0].text, "ResNeXt 2x4d");
  const std::string text = render_text(table);
  EXPECT_NE(text.find("evaluation-only runs (ablate eval)"), std::string::npos) << text;
  EXPECT_EQ(text.find("11.0"), std::string::npos) << "the evaluation under other settings is not shown\n" << text;
  // One evaluation is not a sample over seeds: it is compared with nothing, and its low value does not
  // take depth 11's best mark from ResNeXt 8x1d (nor turn it into "n = 1: no spread").
  ResultsTableOptions compare;
  compare.compare_columns = true;
  const Table compared = build_results_table(experiment_, "", store, compare);
  ASSERT_EQ(compared.columns[7].header, "vs ref");
  EXPECT_EQ(compared.groups[0].rows[1][7].kind, CellKind::empty);
  EXPECT_TRUE(compared.groups[0].rows[4][5].best);
  EXPECT_EQ(render_text(compared).find("n = 1"), std::string::npos) << render_text(compared);

  // Without evaluations the table is as before (no note).
  Store plain = Store::open(":memory:");
  fill_default(plain);
  EXPECT_EQ(render_text(build_results_table(experiment_, "", plain, {})).find("evaluated"), std::string::npos);
}

// Default profile, depth 11: variants 0, 1, 3 finished with 3 seeds each (std 0.3, means 28.3, 27.8,
// 26.8), variant 2 unfinished. Welch against the first row: variant 1 -0.5 (p = 0.11), variant 3 -1.5
// (p = 0.0036); Holm over those two. Best (variant 3) against the runner-up (variant 1): -1.0, p = 0.015.
TEST_F(TableBuilderTest, MarksComeFromTestsOverSeeds) {
  Store store = Store::open(":memory:");
  fill_default(store);
  const Table table = build_results_table(experiment_, "", store, {});
  const RowGroup& depth11 = table.groups[0];
  EXPECT_FALSE(depth11.rows[1][5].differs);
  EXPECT_TRUE(depth11.rows[3][5].differs);
  EXPECT_TRUE(depth11.rows[3][5].best);
  EXPECT_FALSE(depth11.rows[0][5].differs);  // the reference itself
  // Depth 20 has one finished setting: nothing to beat, nothing compared.
  EXPECT_FALSE(has_best(Table{"", table.columns, {table.groups[1]}, {}}));
}

TEST_F(TableBuilderTest, CompareColumnsHoldDifferenceIntervalAndHolmP) {
  Store store = Store::open(":memory:");
  fill_default(store);
  ResultsTableOptions options;
  options.compare_columns = true;
  const Table table = build_results_table(experiment_, "", store, options);
  expect_golden(render_text(table), "tests/results/golden/built_compare.txt");
  expect_golden(render_csv(table), "tests/results/golden/built_compare.csv");
  ASSERT_EQ(table.columns.size(), 10u);
  EXPECT_EQ(table.columns[7].header, "vs ref");
  EXPECT_TRUE(table.columns[8].interval);
  EXPECT_EQ(table.columns[9].header, "p (Holm)");
  const RowGroup& depth11 = table.groups[0];
  EXPECT_EQ(depth11.rows[0][7].text, "reference");
  const auto v1 = welch_test({27.5, 27.8, 28.1}, {28.0, 28.3, 28.6});
  const auto v3 = welch_test({26.5, 26.8, 27.1}, {28.0, 28.3, 28.6});
  EXPECT_NEAR(depth11.rows[1][7].value, -0.5, 1e-9);
  EXPECT_NEAR(depth11.rows[1][8].value, v1->ci_low, 1e-9);
  EXPECT_NEAR(depth11.rows[1][8].high, v1->ci_high, 1e-9);
  EXPECT_NEAR(depth11.rows[1][9].value, std::max(v1->p, 2 * v3->p), 1e-12);  // Holm: the larger of two
  EXPECT_NEAR(depth11.rows[3][9].value, 2 * v3->p, 1e-12);
  EXPECT_EQ(depth11.rows[2][7].text, "unfinished");
  EXPECT_EQ(table.groups[1].rows[1][7].text, "unfinished");
}

// Comparison columns only where a comparison exists, and a footer that says why there is none: groups of
// one row each have nothing to compare; one seed per row leaves every comparison untested ("n = 1").
TEST_F(TableBuilderTest, CompareColumnsSayWhenThereIsNothingToCompare) {
  Store store = Store::open(":memory:");
  fill_default(store);
  ResultsTableOptions options;
  options.compare_columns = true;
  const std::vector<SettingResult> all =
      collect_settings(experiment_, config::expand(experiment_, ""), store, "", {"top1_err"}, EpochPick::Final);
  const Table lonely = results_table("t", {all[0], all[4]}, {"top1_err"}, options);  // depth 11 | depth 20
  EXPECT_EQ(lonely.columns.size(), 7u) << render_text(lonely);
  EXPECT_NE(render_text(lonely).find("Comparisons: none (no row has another row to be compared with)."),
            std::string::npos)
      << render_text(lonely);
  const Table one_seed = build_results_table(experiment_, "one-seed", store, options);
  const std::string text = render_text(one_seed);
  EXPECT_EQ(one_seed.columns.size(), 10u) << text;
  EXPECT_EQ(one_seed.groups[0].rows[1][7].text, "n = 1");
  EXPECT_NE(text.find("against its group's first row; none could be made (the cells say why)."), std::string::npos)
      << text;
  EXPECT_NE(text.find("n = 1: no spread, no comparison."), std::string::npos) << text;
  EXPECT_EQ(text.find("Holm's correction"), std::string::npos) << text;
}

TEST_F(TableBuilderTest, ReferenceAndPairedTest) {
  Store store = Store::open(":memory:");
  fill_default(store);
  ResultsTableOptions options;
  options.compare_columns = true;
  options.reference = "ResNet-20 1x8d";  // as table.reference would: every row against it
  const Table against = build_results_table(experiment_, "", store, options);
  EXPECT_EQ(against.groups[1].rows[0][7].text, "reference");
  EXPECT_NEAR(against.groups[0].rows[0][7].value, 28.3 - 26.3, 1e-9);
  EXPECT_NE(render_text(against).find("against ResNet-20 1x8d;"), std::string::npos);
  // The seeds of every variant are shifted alike (0.3 per seed), so pairing by seed removes the spread:
  // variant 1's 0.5 points, within noise for Welch's test, are beyond it paired.
  options.reference.clear();
  options.test = TestKind::paired;
  const Table paired = build_results_table(experiment_, "", store, options);
  EXPECT_TRUE(paired.groups[0].rows[1][5].differs);
  EXPECT_NE(render_text(paired).find("paired t-test over the seeds both rows finished"), std::string::npos);
}

// The fixture's claims over its store: 8x1d vs. 1x8d is 1.5 points at a std of 0.3 (supported), 2x4d vs.
// 1x8d 0.5 points (inconclusive: the paper's 0.9 points would need a few seeds more), the trend over
// both falls at every step with its ends beyond noise (supported), and 4x2d is still running.
TEST_F(TableBuilderTest, FindingsFromTheStore) {
  Store store = Store::open(":memory:");
  fill_default(store);
  const Findings f = build_findings(experiment_, "", store, {});
  ASSERT_EQ(f.findings.size(), 4u);
  EXPECT_EQ(f.family, 3u);
  EXPECT_EQ(f.findings[0].verdict, Verdict::supported);
  EXPECT_EQ(f.findings[1].verdict, Verdict::inconclusive);
  // Paper 23.9 - 23.0 = 0.9 at a spread of 0.3 (effect / spread = 3), planned at alpha = 0.05 / 3 for Holm
  // over the 3 claims tested: 4 seeds per variant (significance_test.cpp works it out).
  EXPECT_EQ(f.findings[1].seeds_needed.value_or(0), 4);
  EXPECT_EQ(f.findings[2].verdict, Verdict::supported);
  EXPECT_EQ(f.findings[3].verdict, Verdict::untested);
  EXPECT_EQ(f.findings[3].evidence, "Unfinished: ResNeXt 4x2d (1/3 seeds, 1 failed, epoch 2/4).");
  // The one-seed profile: every tested claim is inconclusive and says why.
  const Findings one = build_findings(experiment_, "one-seed", store, {});
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(one.findings[i].verdict, Verdict::inconclusive);
    EXPECT_NE(one.findings[i].evidence.find("n = 1: no spread, no comparison"), std::string::npos)
        << one.findings[i].evidence;
  }
}

TEST_F(TableBuilderTest, ArchitectureLayoutNeedsNoRuns) {
  const Table table = architecture_table("Templates", config::expand(experiment_, ""));
  expect_golden(render_text(table), "tests/results/golden/architecture.txt");
  ASSERT_EQ(table.columns.size(), 2u + 6u);
  EXPECT_EQ(table.columns[7].header, "ResNeXt-20 | 4x2d");
}

TEST(TableBuilderNames, Metrics) {
  EXPECT_EQ(store_metric("top1_err"), "val_top1_err");
  EXPECT_EQ(store_metric("train_loss"), "train_loss");
  EXPECT_EQ(metric_caption("top5_err"), "top-5 err (%)");
}

}  // namespace
}  // namespace ablate::results

namespace ablate::results {
namespace {

constexpr const char* kShortcutExperiment = R"yaml(name: shortcuts
title: "Removing shortcuts (paper Sec. 5.1)"
base:
  model: {stem: cifar, blocks: [1, 1, 1], base_channels: 8, stem_channels: 8}
  data: {dataset: synthetic, synthetic_train_size: 200, synthetic_test_size: 100, synthetic_image_size: 16,
         synthetic_channels: 3, synthetic_classes: 10, synthetic_noise: 0.5}
  train: {epochs: 2, batch_size: 50}
seeds: [0, 1]
variants:
  - {name: "ResNet 1x8d", model: {cardinality: 1, bottleneck_width: 8}, labels: {row: ResNet-11},
     paper: {top1_err: 23.9}}
  - {name: "ResNet 1x8d, no shortcut", model: {cardinality: 1, bottleneck_width: 8, shortcut: false},
     labels: {row: ResNet-11}, paper: {top1_err: 31.2}}
  - {name: "ResNeXt 4x2d", model: {cardinality: 4, bottleneck_width: 2}, labels: {row: ResNeXt-11},
     paper: {top1_err: 22.2}}
  - {name: "ResNeXt 4x2d, no shortcut", model: {cardinality: 4, bottleneck_width: 2, shortcut: false},
     labels: {row: ResNeXt-11}, paper: {top1_err: 26.1}}
table: {row: row, layout: shortcut}
)yaml";

// The experiment above, written to `dir` and loaded; `store_run(run, variant)` is called for each of its runs,
// variants numbered in file order.
template <typename StoreRun>
config::Experiment shortcut_experiment(const testing::ScratchDir& dir, const StoreRun& store_run) {
  const std::string file = dir.file("shortcuts.yaml");
  std::ofstream(file) << kShortcutExperiment;
  const config::Experiment experiment = config::load_experiment(file);
  std::size_t index = 0;
  for (const config::RunSpec& run : config::expand(experiment, "")) store_run(run, index++ / 2);
  return experiment;
}

TEST(ShortcutTable, WithAndWithoutSideBySide) {
  testing::ScratchDir dir;
  Store store = Store::open(":memory:");
  const config::Experiment experiment = shortcut_experiment(dir, [&](const config::RunSpec& run, std::size_t variant) {
    if (variant == 3 && run.seed == 1) return;  // the last setting is still missing a seed
    store.claim_run(run_record(run));
    store.log_epoch(run.run_key, 1, {{"val_top1_err", 30.0 + static_cast<double>(variant) + 0.5 * run.seed}});
    store.finish(run.run_key);
  });
  const Table table = build_results_table(experiment, "", store, {});
  expect_golden(render_text(table), "tests/results/golden/shortcut.txt");
  expect_golden(render_markdown(table), "tests/results/golden/shortcut.md");
  ASSERT_EQ(table.groups.size(), 1u);
  ASSERT_EQ(table.groups[0].rows.size(), 2u);
  const Row& resnet = table.groups[0].rows[0];
  EXPECT_EQ(resnet[0].text, "ResNet-11");
  // model, setting, params, MACs, then paper | with | delta | paper | without | delta.
  ASSERT_EQ(resnet.size(), 10u);
  EXPECT_NEAR(resnet[4].value, 23.9, 1e-9);
  EXPECT_NEAR(resnet[5].value, 30.25, 1e-9);
  EXPECT_NEAR(resnet[7].value, 31.2, 1e-9);
  EXPECT_NEAR(resnet[8].value, 31.25, 1e-9);
  EXPECT_NEAR(resnet[9].value, 31.25 - 31.2, 1e-9);
  EXPECT_EQ(table.groups[0].rows[1][8].text, "1/2 seeds");
}

// The shortcut layout puts two settings in a row: a side whose runs were adopted from another experiment
// is named in the row's label, and the footer says what adoption means.
TEST(ShortcutTable, AdoptedSidesAreNamedInTheRowLabel) {
  testing::ScratchDir dir;
  Store store = Store::open(":memory:");
  const config::Experiment experiment = shortcut_experiment(dir, [&](const config::RunSpec& run, std::size_t variant) {
    const bool adopt = variant == 0 || (variant == 3 && run.seed == 0);
    const std::string trained_key = adopt ? "elsewhere-" + run.run_key : run.run_key;
    RunRecord record = run_record(run);
    record.run_key = trained_key;
    if (adopt) record.experiment = "cardinality";
    store.claim_run(record);
    store.log_epoch(trained_key, 1, {{"val_top1_err", 30.0 + static_cast<double>(variant)}});
    store.finish(trained_key);
    if (adopt) {
      store.claim_run(run_record(run));
      store.adopt(run.run_key, trained_key);
    }
  });
  const Table table = build_results_table(experiment, "", store, {});
  ASSERT_EQ(table.groups.size(), 1u);
  ASSERT_EQ(table.groups[0].rows.size(), 2u);
  EXPECT_EQ(table.groups[0].rows[0][0].text, "ResNet-11 (with shortcut: adopted)");
  EXPECT_EQ(table.groups[0].rows[1][0].text, "ResNeXt-11 (without shortcut: 1/2 adopted)");
  const std::string text = render_text(table);
  EXPECT_NE(text.find("(adopted): results of identical training"), std::string::npos) << text;
}

}  // namespace
}  // namespace ablate::results
