// Reuse of identical training across experiments in the store: adopting a finished run with the same
// training key, undoing it (--no-reuse), the links through merges, and the training keys of runs stored
// before schema version 6.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/config/run_spec_json.h"
#include "results/merge.h"
#include "results/schema.h"
#include "results/sqlite.h"
#include "results/store.h"
#include "tests/results/store_test_support.h"

namespace ablate::results {
namespace {

using testing::make_record;
using testing::ScratchDir;

RunRecord twin_record(const std::string& key, const std::string& experiment, const std::string& training_key) {
  RunRecord record = make_record(key, "g-" + key, 0, experiment);
  record.training_key = training_key;
  return record;
}

// The run `key` of `experiment`, trained for `epochs` epochs (val_top1_err = 50 - epoch) and finished.
void train(Store& store, const std::string& key, const std::string& experiment, const std::string& training_key,
           int64_t epochs = 3) {
  RunRecord record = twin_record(key, experiment, training_key);
  record.provenance.device = "cpu (2 threads)";
  record.provenance.git_commit = "c0ffee";
  store.claim_run(record);
  for (int64_t epoch = 1; epoch <= epochs; ++epoch) {
    store.log_epoch(key, epoch, {{"val_top1_err", 50.0 - static_cast<double>(epoch)}});
  }
  store.finish(key);
}

TEST(StoreAdopt, AFinishedTwinsHistoryAndProvenanceBecomeTheRunsWithItsKey) {
  Store store = Store::open(":memory:");
  train(store, "fair-1", "fair-depth-width", "t1");
  ASSERT_EQ(store.runs_with_training_key("t1").size(), 1u);
  EXPECT_TRUE(store.runs_with_training_key("").empty());
  EXPECT_EQ(store.find_run("fair-1")->record.training_key, "t1");

  ASSERT_EQ(store.claim_run(twin_record("c2x-1", "complexity-2x", "t1")).status, ClaimStatus::New);
  store.adopt("c2x-1", "fair-1");
  const RunInfo adopted = *store.find_run("c2x-1");
  EXPECT_EQ(adopted.status, RunStatus::Finished);
  EXPECT_EQ(adopted.adopted_from, "fair-1");
  EXPECT_EQ(adopted.record.experiment, "complexity-2x");
  EXPECT_EQ(adopted.record.provenance.device, "cpu (2 threads)");
  EXPECT_EQ(adopted.record.provenance.git_commit, "c0ffee");
  EXPECT_EQ(adopted.epochs_done, 3);
  EXPECT_EQ(store.curve("c2x-1", "val_top1_err").back().value, 47.0);
  EXPECT_EQ(store.find_run("fair-1")->adopted_from, "");
  EXPECT_EQ(store.runs_with_training_key("t1").size(), 2u);

  // Adopting from an adopted run names the run that trained.
  store.claim_run(twin_record("card-1", "cardinality", "t1"));
  store.adopt("card-1", "c2x-1");
  EXPECT_EQ(store.find_run("card-1")->adopted_from, "fair-1");

  // --no-reuse: the adoption is undone, the run trains here and is no longer adopted.
  EXPECT_TRUE(store.drop_adoption("c2x-1"));
  EXPECT_FALSE(store.drop_adoption("fair-1")) << "a trained run is never dropped";
  EXPECT_EQ(store.find_run("c2x-1")->status, RunStatus::Queued);
  EXPECT_TRUE(store.epochs("c2x-1").empty());
  EXPECT_EQ(store.claim_run(twin_record("c2x-1", "complexity-2x", "t1")).status, ClaimStatus::New);
  store.log_epoch("c2x-1", 1, {{"val_top1_err", 10.0}});
  store.finish("c2x-1");
  EXPECT_EQ(store.find_run("c2x-1")->adopted_from, "");
  EXPECT_EQ(store.find_run("fair-1")->epochs_done, 3) << "the source is untouched";
}

TEST(StoreAdopt, OnlyAFinishedRunWithTheSameTrainingKeyCanBeAdopted) {
  ScratchDir dir;
  Store store = Store::open(dir.file("s.db"));
  train(store, "source", "a", "t1");
  store.claim_run(twin_record("unfinished", "a", "t1"));
  store.claim_run(twin_record("other-training", "b", "t2"));
  EXPECT_THROW(store.adopt("other-training", "source"), StoreError);
  store.claim_run(twin_record("twin", "b", "t1"));
  EXPECT_THROW(store.adopt("twin", "unfinished"), StoreError);
  EXPECT_THROW(store.adopt("twin", "missing"), StoreError);
  // Not held by this Store: another process's run is never written.
  Store other = Store::open(dir.file("s.db"));
  EXPECT_THROW(other.adopt("twin", "source"), LostRunError);
  EXPECT_EQ(store.find_run("twin")->status, RunStatus::Running);
  EXPECT_EQ(store.find_run("twin")->adopted_from, "");
}

TEST(StoreAdopt, MergeKeepsTheLinks) {
  ScratchDir dir;
  {
    Store a = Store::open(dir.file("a.db"));
    train(a, "fair-1", "fair-depth-width", "t1");
    a.claim_run(twin_record("c2x-1", "complexity-2x", "t1"));
    a.adopt("c2x-1", "fair-1");
  }
  {
    Store b = Store::open(dir.file("b.db"));
    train(b, "card-1", "cardinality", "t9");
  }
  merge_databases(dir.file("out.db"), {dir.file("a.db"), dir.file("b.db")});
  Store merged = Store::open(dir.file("out.db"));
  EXPECT_EQ(merged.find_run("c2x-1")->adopted_from, "fair-1");
  EXPECT_EQ(merged.find_run("c2x-1")->record.training_key, "t1");
  EXPECT_EQ(merged.find_run("card-1")->record.training_key, "t9");
  EXPECT_EQ(merged.curve("c2x-1", "val_top1_err").size(), 3u);
  EXPECT_EQ(merged.runs_with_training_key("t1").size(), 2u);
}

// Version 6 adds the training key and the adoption link; runs stored before get their training key from
// their stored config when that config still hashes to their run key.
TEST(StoreAdopt, MigrationFillsTheTrainingKeysOfOlderRuns) {
  config::RunSpec spec;
  spec.experiment = "old-experiment";
  spec.variant = "v";
  spec.seed = 2;
  config::assign_keys(spec);
  nlohmann::json stale = config::to_json(spec);
  stale["train"]["lr"] = 0.5;  // no longer the run's own key

  ScratchDir dir;
  const std::string path = dir.file("v5.db");
  {
    Connection old(path, OpenMode::ReadWriteCreate);
    EXPECT_EQ(migrate(old, 5), 0);
    Statement insert = old.prepare(
        "INSERT INTO runs (run_key, group_key, experiment, status, config_json, created_at) "
        "VALUES (?, 'g', 'old-experiment', 'finished', ?, '2026-01-01T00:00:00.000Z')");
    old.exec("INSERT INTO experiments (name, created_at) VALUES ('old-experiment', '2026-01-01T00:00:00.000Z')");
    for (const auto& [key, json] : {std::pair<std::string, std::string>{spec.run_key, config::to_json(spec).dump()},
                                    {"hand-made", "{}"},
                                    {"stale", stale.dump()}}) {
      insert.reset();
      insert.bind(1, key).bind(2, json);
      insert.run();
    }
  }
  Store store = Store::open(path);
  EXPECT_EQ(schema_version(store.connection()), 6);
  EXPECT_EQ(store.find_run(spec.run_key)->record.training_key, spec.training_key);
  EXPECT_EQ(store.find_run(spec.run_key)->adopted_from, "");
  EXPECT_EQ(store.find_run("hand-made")->record.training_key, "");
  EXPECT_EQ(store.find_run("stale")->record.training_key, "");
  ASSERT_EQ(store.runs_with_training_key(spec.training_key).size(), 1u);
}

}  // namespace
}  // namespace ablate::results
