// Aggregation over seeds (mean, sample std, n at the final or best epoch, as tables take them), curves,
// last metrics, listings and the run_summary view, against values computed by hand.
#include <gtest/gtest.h>

#include <cmath>

#include "results/metric_selection.h"
#include "results/sqlite.h"
#include "results/stats.h"
#include "results/store.h"
#include "tests/results/store_test_support.h"

namespace ablate::results {
namespace {

using testing::make_record;

// Logs `errors` as val_top1_err of epochs 1..n, with a loss that peaks in the middle.
void log_run(Store& store, const RunRecord& record, const std::vector<double>& errors, bool finish) {
  store.claim_run(record);
  for (size_t i = 0; i < errors.size(); ++i) {
    store.log_epoch(record.run_key, static_cast<int64_t>(i + 1),
                    {{"val_top1_err", errors[i]}, {"images_per_sec", 100.0 * static_cast<double>(i + 1)},
                     {"epoch_seconds", 2.0}});
  }
  if (finish) store.finish(record.run_key);
}

class StoreStats : public ::testing::Test {
 protected:
  void SetUp() override {
    // Group A: three finished seeds. Final errors 20, 22, 27; best errors 18, 21, 27.
    log_run(store, make_record("a0", "A", 0), {25, 18, 20}, true);
    log_run(store, make_record("a2", "A", 2), {30, 29, 27}, true);
    log_run(store, make_record("a1", "A", 1), {24, 21, 22}, true);
    // Group B: one finished, one running at epoch 2, one failed: only the finished one counts.
    log_run(store, make_record("b0", "B", 0), {40, 35, 30}, true);
    log_run(store, make_record("b1", "B", 1), {41, 36}, false);
    log_run(store, make_record("b2", "B", 2), {50}, false);
    store.fail("b2", "diverged");
    // Another profile of the same experiment must not leak in.
    log_run(store, make_record("other", "A", 3, "cardinality", "quick"), {1, 1, 1}, true);
  }
  Store store = Store::open(":memory:");
};

// The values of finished runs at the picked epoch, as tables and figures take them (pick_value over
// the stored curve), ordered by run key.
std::vector<double> finished_values(const Store& store, const std::vector<std::string>& keys,
                                    const std::string& metric, EpochPick pick) {
  std::vector<double> values;
  for (const std::string& key : keys) {
    if (store.find_run(key)->status != RunStatus::Finished) continue;
    if (const auto value = pick_value(store.curve(key, metric), metric, pick)) values.push_back(*value);
  }
  return values;
}

TEST_F(StoreStats, FinalEpochMeanStdAndN) {
  const std::vector<double> a = finished_values(store, {"a0", "a1", "a2"}, "val_top1_err", EpochPick::Final);
  EXPECT_EQ(a, (std::vector<double>{20, 22, 27}));
  const Summary summary = summarize(a);
  EXPECT_EQ(summary.n, 3);
  EXPECT_DOUBLE_EQ(summary.mean, 23.0);
  // deviations -3, -1, 4: squares 9 + 1 + 16 = 26, / (3 - 1) = 13
  EXPECT_DOUBLE_EQ(summary.std, std::sqrt(13.0));

  // Group B: only the finished seed counts; one sample has no sample standard deviation.
  const std::vector<double> b = finished_values(store, {"b0", "b1", "b2"}, "val_top1_err", EpochPick::Final);
  EXPECT_EQ(b, (std::vector<double>{30}));
  EXPECT_TRUE(std::isnan(summarize(b).std));
}

TEST_F(StoreStats, BestEpochIsTheMinimumForErrorsAndTheMaximumOtherwise) {
  const std::vector<double> errors = finished_values(store, {"a0", "a1", "a2"}, "val_top1_err", EpochPick::Best);
  EXPECT_EQ(errors, (std::vector<double>{18, 21, 27}));
  EXPECT_DOUBLE_EQ(summarize(errors).mean, 22.0);
  // deviations -4, -1, 5: 16 + 1 + 25 = 42, / 2 = 21
  EXPECT_DOUBLE_EQ(summarize(errors).std, std::sqrt(21.0));
  EXPECT_EQ(finished_values(store, {"a0", "a1", "a2"}, "images_per_sec", EpochPick::Best),
            (std::vector<double>{300, 300, 300}));
  EXPECT_TRUE(lower_is_better("val_loss"));
  EXPECT_TRUE(lower_is_better("top1_err"));
  EXPECT_FALSE(lower_is_better("images_per_sec"));
}

TEST_F(StoreStats, MissingMetricGivesNoSamples) {
  EXPECT_TRUE(finished_values(store, {"a0", "a1", "a2"}, "val_top5_err", EpochPick::Final).empty());
  EXPECT_TRUE(std::isnan(summarize({}).mean));
  EXPECT_FALSE(pick_value({}, "val_top1_err", EpochPick::Best));
}

TEST_F(StoreStats, CurvesAndLastMetrics) {
  const auto curve = store.curve("a0", "val_top1_err");
  ASSERT_EQ(curve.size(), 3u);
  EXPECT_EQ(curve[0].epoch, 1);
  EXPECT_EQ(curve[0].value, 25);
  EXPECT_EQ(curve[2].epoch, 3);
  EXPECT_EQ(curve[2].value, 20);
  EXPECT_TRUE(store.curve("a0", "no_such_metric").empty());
  EXPECT_TRUE(store.curve("no-such-run", "val_top1_err").empty());

  const EpochMetrics last = store.last_metrics("b1");
  EXPECT_EQ(last.epoch, 2);
  EXPECT_EQ(last.values.size(), 3u);
  EXPECT_EQ(last.values.at("val_top1_err"), 36);
  EXPECT_EQ(store.last_metrics("no-such-run").epoch, 0);
}

TEST_F(StoreStats, RunListingFilters) {
  EXPECT_EQ(store.runs().size(), 7u);
  EXPECT_EQ(store.runs({"cardinality", std::string("cpu"), std::nullopt}).size(), 6u);
  EXPECT_EQ(store.runs({"cardinality", std::nullopt, RunStatus::Finished}).size(), 5u);
  const auto failed = store.runs({"", std::nullopt, RunStatus::Failed});
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].record.run_key, "b2");
  EXPECT_EQ(failed[0].error, "diverged");
  EXPECT_EQ(failed[0].epochs_done, 1);
  EXPECT_TRUE(store.runs({"other-experiment", std::nullopt, std::nullopt}).empty());
  // Creation order.
  EXPECT_EQ(store.runs()[1].record.run_key, "a2");
}

TEST_F(StoreStats, SummaryViewReadsLikeThePaper) {
  Statement row = store.connection().prepare(
      "SELECT epochs_done, final_val_top1_err, best_val_top1_err, wall_seconds, images_per_sec, status "
      "FROM run_summary WHERE run_key = 'a0'");
  ASSERT_TRUE(row.step());
  EXPECT_EQ(row.column_int64(0), 3);
  EXPECT_EQ(row.column_double(1), 20);
  EXPECT_EQ(row.column_double(2), 18);
  EXPECT_EQ(row.column_double(3), 6);
  EXPECT_EQ(row.column_double(4), 200);
  EXPECT_EQ(row.column_text(5), "finished");
}

}  // namespace
}  // namespace ablate::results
