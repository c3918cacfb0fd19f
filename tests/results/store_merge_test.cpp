// Merging shards: which copy of a run wins, histories copied whole, idempotence, refusals.
#include <gtest/gtest.h>

#include <fstream>

#include "results/merge.h"
#include "results/schema.h"
#include "results/sqlite.h"
#include "results/store.h"
#include "tests/results/store_test_support.h"

namespace ablate::results {
namespace {

using testing::make_record;
using testing::ScratchDir;

// Logs epochs 1..epochs of `key` with val_top1_err = base - epoch; finishes it when asked.
void write_run(Store& store, const std::string& key, int64_t epochs, bool finish, double base,
               const std::string& error = "") {
  store.claim_run(make_record(key, "g-" + key));
  for (int64_t epoch = 1; epoch <= epochs; ++epoch) {
    store.log_epoch(key, epoch, {{"val_top1_err", base - static_cast<double>(epoch)}, {"lr", 0.1}});
  }
  if (finish) store.finish(key);
  if (!error.empty()) store.fail(key, error);
}

class StoreMerge : public ::testing::Test {
 protected:
  ScratchDir dir;
  std::string out = dir.file("merged/out.db");
  std::string shard_a = dir.file("a.db");
  std::string shard_b = dir.file("b.db");
};

TEST_F(StoreMerge, MostCompleteCopyWinsAndHistoriesComeWhole) {
  {
    Store a = Store::open(shard_a);
    a.register_experiment("cardinality", "Table 3 \"quoted\"; title");
    write_run(a, "only-a", 2, true, 50);
    write_run(a, "finished-in-b", 3, false, 60);  // running, 3 epochs
    write_run(a, "more-epochs-in-a", 4, false, 70);
    write_run(a, "tie", 2, true, 80);
  }
  {
    Store b = Store::open(shard_b);
    write_run(b, "only-b", 1, false, 40, "CUDA error");
    write_run(b, "finished-in-b", 2, true, 90);  // finished beats more epochs
    write_run(b, "more-epochs-in-a", 2, false, 95);
    write_run(b, "tie", 2, true, 99);
  }
  const MergeReport report = merge_databases(out, {shard_a, shard_b});
  EXPECT_EQ(report.runs_added, 5);     // 4 from a, only-b
  EXPECT_EQ(report.runs_replaced, 1);  // finished-in-b
  EXPECT_EQ(report.runs_kept, 2);      // more-epochs-in-a, tie (first one stays)

  Store merged = Store::open(out);
  EXPECT_EQ(merged.connection().query_text("PRAGMA integrity_check"), "ok");
  EXPECT_EQ(merged.runs().size(), 5u);

  const auto finished = merged.find_run("finished-in-b");
  EXPECT_EQ(finished->status, RunStatus::Finished);
  EXPECT_EQ(finished->epochs_done, 2);
  EXPECT_EQ(merged.curve("finished-in-b", "val_top1_err").back().value, 88) << "b's history, not a mix";

  EXPECT_EQ(merged.find_run("more-epochs-in-a")->epochs_done, 4);
  EXPECT_EQ(merged.curve("more-epochs-in-a", "val_top1_err").front().value, 69);
  EXPECT_EQ(merged.curve("tie", "val_top1_err").front().value, 79);
  EXPECT_EQ(merged.find_run("only-b")->error, "CUDA error");
  EXPECT_EQ(merged.find_run("only-b")->status, RunStatus::Failed);
  EXPECT_EQ(merged.connection().query_text("SELECT title FROM experiments WHERE name = 'cardinality'"),
            "Table 3 \"quoted\"; title");
  EXPECT_EQ(merged.connection().query_int64("SELECT count(*) FROM metrics"), 2 * (2 + 2 + 4 + 2 + 1));
}

TEST_F(StoreMerge, MergingTheSameInputTwiceChangesNothing) {
  {
    Store a = Store::open(shard_a);
    write_run(a, "r1", 3, true, 50);
    write_run(a, "r2", 1, false, 50);
  }
  merge_databases(out, {shard_a});
  const MergeReport again = merge_databases(out, {shard_a});
  EXPECT_EQ(again.runs_added, 0);
  EXPECT_EQ(again.runs_replaced, 0);
  EXPECT_EQ(again.runs_kept, 2);
  Store merged = Store::open(out);
  EXPECT_EQ(merged.connection().query_int64("SELECT count(*) FROM metrics"), 8);
}

TEST_F(StoreMerge, OlderInputIsUpgradedInACopyAndLeftUntouched) {
  {
    Connection old(shard_a, OpenMode::ReadWriteCreate);
    migrate(old, 1);
    old.exec(
        "INSERT INTO experiments (name, created_at) VALUES ('depth', '2026-01-01T00:00:00.000Z');"
        "INSERT INTO runs (run_key, group_key, experiment, status, created_at) "
        "  VALUES ('old-run', 'g', 'depth', 'finished', '2026-01-01T00:00:00.000Z');"
        "INSERT INTO metrics VALUES (1, 1, 'val_top1_err', 12.5)");
  }
  const MergeReport report = merge_databases(out, {shard_a});
  EXPECT_EQ(report.runs_added, 1);
  Connection input(shard_a, OpenMode::ReadOnly);
  EXPECT_EQ(schema_version(input), 1) << "inputs are only read";
  Store merged = Store::open(out);
  EXPECT_EQ(merged.last_metrics("old-run").values.at("val_top1_err"), 12.5);
}

// The evaluation-only marker (ablate eval) travels with its run, like every other column.
TEST_F(StoreMerge, EvaluationOnlyRunsStayMarked) {
  {
    Store a = Store::open(shard_a);
    write_run(a, "trained", 2, true, 50);
    RunRecord evaluation = make_record("evaluated", "g-evaluated");
    evaluation.evaluation_only = true;
    a.claim_run(evaluation);
    a.log_epoch("evaluated", 1, {{"val_top1_err", 22.4}});
    a.finish("evaluated");
  }
  merge_databases(out, {shard_a});
  Store merged = Store::open(out);
  EXPECT_TRUE(merged.find_run("evaluated")->record.evaluation_only);
  EXPECT_FALSE(merged.find_run("trained")->record.evaluation_only);
}

TEST_F(StoreMerge, BadInputsAreRefusedBeforeAnythingIsWritten) {
  const std::string garbage = dir.file("garbage.db");
  std::ofstream(garbage) << std::string(4096, 'z');
  {
    Store future = Store::open(shard_b);
    write_run(future, "r", 1, true, 1);
    future.connection().exec("PRAGMA user_version = 42");
  }
  {
    Store a = Store::open(shard_a);
    write_run(a, "good", 1, true, 1);
  }
  for (const std::string& bad : {garbage, shard_b, dir.file("missing.db")}) {
    try {
      merge_databases(out, {shard_a, bad});
      ADD_FAILURE() << "merged " << bad;
    } catch (const StoreError& error) {
      EXPECT_NE(std::string(error.what()).find(bad), std::string::npos) << error.what();
    }
  }
  EXPECT_FALSE(std::filesystem::exists(out)) << "a refused merge creates no output";
  merge_databases(out, {shard_a});
  EXPECT_THROW(merge_databases(out, {out}), StoreError);
  EXPECT_THROW(merge_databases(out, {}), StoreError);
}

}  // namespace
}  // namespace ablate::results
