// Claiming runs: idempotence, finished/resumable/running-elsewhere, stale heartbeats, dead holders,
// losing a run to a takeover, and the end states.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>

#include "results/sqlite.h"
#include "results/store.h"
#include "tests/results/store_test_support.h"

namespace ablate::results {
namespace {

using testing::make_record;
using testing::ManualClock;
using testing::ScratchDir;
using namespace std::chrono_literals;

TEST(StoreClaim, NewRunIsRunningAndHeldByTheClaimer) {
  Store store = Store::open(":memory:");
  const ClaimResult claim = store.claim_run(make_record("k1"));
  EXPECT_EQ(claim.status, ClaimStatus::New);
  EXPECT_EQ(claim.last_complete_epoch, 0);
  const auto run = store.find_run("k1");
  ASSERT_TRUE(run);
  EXPECT_EQ(run->status, RunStatus::Running);
  EXPECT_EQ(run->claimed_by, store.owner());
  EXPECT_FALSE(run->started_at.empty());
  EXPECT_FALSE(run->heartbeat_at.empty());
  EXPECT_TRUE(run->ended_at.empty());
  EXPECT_EQ(store.connection().query_text("SELECT group_concat(name) FROM experiments"), "cardinality");
}

TEST(StoreClaim, ClaimingAgainFromTheSameStoreIsIdempotent) {
  Store store = Store::open(":memory:");
  store.claim_run(make_record("k1"));
  store.log_epoch("k1", 1, {{"val_top1_err", 30}});
  store.log_epoch("k1", 2, {{"val_top1_err", 25}});
  for (int attempt = 0; attempt < 3; ++attempt) {
    const ClaimResult again = store.claim_run(make_record("k1"));
    EXPECT_EQ(again.status, ClaimStatus::Resumable);
    EXPECT_EQ(again.last_complete_epoch, 2);
  }
  EXPECT_EQ(store.runs().size(), 1u);
  EXPECT_EQ(store.curve("k1", "val_top1_err").size(), 2u);
}

TEST(StoreClaim, FreshHeartbeatElsewhereMeansSkipAndStaleMeansResume) {
  ScratchDir dir;
  ManualClock clock;
  StoreOptions options = clock.options();
  options.stale_after = 120s;
  Store first = Store::open(dir.file("a.db"), options);
  Store second = Store::open(dir.file("a.db"), options);

  ASSERT_EQ(first.claim_run(make_record("k1")).status, ClaimStatus::New);
  first.log_epoch("k1", 1, {{"train_loss", 2.0}});

  clock.advance(119s);
  const ClaimResult busy = second.claim_run(make_record("k1"));
  EXPECT_EQ(busy.status, ClaimStatus::RunningElsewhere);
  EXPECT_EQ(busy.holder, first.owner());
  EXPECT_NEAR(busy.heartbeat_age_seconds, 119.0, 1e-6);
  EXPECT_EQ(first.find_run("k1")->claimed_by, first.owner()) << "a refused claim changes nothing";

  // A heartbeat keeps it alive another full period.
  EXPECT_TRUE(first.heartbeat("k1"));
  clock.advance(100s);
  EXPECT_EQ(second.claim_run(make_record("k1")).status, ClaimStatus::RunningElsewhere);

  EXPECT_FALSE(second.find_run("k1")->stale);
  clock.advance(21s);  // 121 s since the last heartbeat: stale
  EXPECT_TRUE(second.find_run("k1")->stale);
  EXPECT_FALSE(first.find_run("k1")->stale) << "a Store never sees its own runs as abandoned";
  const ClaimResult takeover = second.claim_run(make_record("k1"));
  EXPECT_EQ(takeover.status, ClaimStatus::Resumable);
  EXPECT_EQ(takeover.last_complete_epoch, 1);
  EXPECT_EQ(second.find_run("k1")->claimed_by, second.owner());

  // The old holder finds out it lost the run instead of writing beside the new one, through its own
  // error type, so the runner can leave the run quietly instead of recording a failure.
  EXPECT_FALSE(first.heartbeat("k1"));
  EXPECT_THROW(first.log_epoch("k1", 2, {{"train_loss", 1.5}}), LostRunError);
  EXPECT_THROW(first.finish("k1"), LostRunError);
  EXPECT_THROW(first.fail("k1", "too late"), LostRunError);
  second.log_epoch("k1", 2, {{"train_loss", 1.5}});
  second.finish("k1");
  EXPECT_EQ(second.find_run("k1")->status, RunStatus::Finished);
}

TEST(StoreClaim, RunHeldByADeadProcessOnThisHostIsResumableAtOnce) {
  ScratchDir dir;
  const std::string db = dir.file("dead.db");
  { Store::open(db); }
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    int code = 0;
    try {
      Store store = Store::open(db);
      store.claim_run(make_record("k1"));
      store.log_epoch("k1", 1, {{"val_loss", 1.0}});
    } catch (...) {
      code = 1;
    }
    _exit(code);  // dies holding the run, as a SIGKILLed runner would
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);

  Store store = Store::open(db);  // default staleness: 120 s, far from elapsed
  EXPECT_TRUE(store.find_run("k1")->stale);
  EXPECT_TRUE(store.runs()[0].stale);
  const ClaimResult claim = store.claim_run(make_record("k1"));
  EXPECT_EQ(claim.status, ClaimStatus::Resumable);
  EXPECT_EQ(claim.last_complete_epoch, 1);
}

TEST(StoreClaim, FinishedRunsAreSkippedFailedAndKilledOnesResume) {
  ScratchDir dir;
  Store store = Store::open(dir.file("s.db"));
  store.claim_run(make_record("done"));
  store.log_epoch("done", 1, {{"val_top1_err", 10}});
  store.finish("done");
  const ClaimResult skip = store.claim_run(make_record("done"));
  EXPECT_EQ(skip.status, ClaimStatus::Finished);
  EXPECT_EQ(skip.last_complete_epoch, 1);
  EXPECT_EQ(skip.previous_status, RunStatus::Finished);
  EXPECT_FALSE(store.find_run("done")->ended_at.empty());

  store.claim_run(make_record("broken"));
  store.fail("broken", "CUDA out of memory");
  EXPECT_EQ(store.find_run("broken")->status, RunStatus::Failed);
  EXPECT_EQ(store.find_run("broken")->error, "CUDA out of memory");
  Store other = Store::open(dir.file("s.db"));
  const ClaimResult retry = other.claim_run(make_record("broken"));
  EXPECT_EQ(retry.status, ClaimStatus::Resumable);
  EXPECT_EQ(retry.previous_status, RunStatus::Failed);
  EXPECT_EQ(other.find_run("broken")->error, "") << "a retried run starts with a clean error";
  EXPECT_TRUE(other.find_run("broken")->ended_at.empty());

  store.claim_run(make_record("interrupted"));
  store.log_epoch("interrupted", 1, {{"lr", 0.1}});
  other.mark_killed("interrupted", "rank 1 of 2 was killed by signal 9 (SIGKILL)");  // anyone may mark it
  EXPECT_EQ(store.find_run("interrupted")->status, RunStatus::Killed);
  EXPECT_EQ(store.find_run("interrupted")->error, "rank 1 of 2 was killed by signal 9 (SIGKILL)");
  EXPECT_FALSE(store.heartbeat("interrupted"));
  EXPECT_THROW(store.log_epoch("interrupted", 2, {{"lr", 0.1}}), LostRunError);
  const ClaimResult resumed = other.claim_run(make_record("interrupted"));
  EXPECT_EQ(resumed.status, ClaimStatus::Resumable);
  EXPECT_EQ(resumed.last_complete_epoch, 1);
  EXPECT_EQ(resumed.previous_status, RunStatus::Killed);

  other.mark_killed("done");  // not running: unchanged
  EXPECT_EQ(store.find_run("done")->status, RunStatus::Finished);
  EXPECT_THROW(other.mark_killed("no-such-run"), StoreError);
}

TEST(StoreClaim, QueuedRunsAreClaimedAsNew) {
  // ablate itself no longer queues runs, but a merged or older database may hold queued rows.
  Store store = Store::open(":memory:");
  store.connection().exec(
      "INSERT INTO experiments (name, created_at) VALUES ('cardinality', '2026-01-01T00:00:00.000Z');"
      "INSERT INTO runs (run_key, group_key, experiment, status, created_at) "
      "VALUES ('q', 'group', 'cardinality', 'queued', '2026-01-01T00:00:00.000Z')");
  EXPECT_EQ(store.find_run("q")->status, RunStatus::Queued);
  EXPECT_TRUE(store.find_run("q")->started_at.empty());
  EXPECT_EQ(store.claim_run(make_record("q")).status, ClaimStatus::New);
  EXPECT_EQ(store.find_run("q")->status, RunStatus::Running);
}

TEST(StoreClaim, BadInputIsAnErrorNotACorruption) {
  Store store = Store::open(":memory:");
  EXPECT_THROW(store.claim_run(make_record("")), StoreError);
  RunRecord no_experiment = make_record("k");
  no_experiment.experiment.clear();
  EXPECT_THROW(store.claim_run(no_experiment), StoreError);
  EXPECT_THROW(store.log_epoch("unknown", 1, {{"lr", 1}}), StoreError);
  store.claim_run(make_record("k"));
  EXPECT_THROW(store.log_epoch("k", 0, {{"lr", 1}}), StoreError);
  EXPECT_THROW(store.log_epoch("k", 1, {}), StoreError);
  EXPECT_THROW(store.log_epoch("k", 1, {{"", 1}}), StoreError);
  EXPECT_EQ(store.last_metrics("k").epoch, 0);
}

TEST(StoreClaim, TextIsStoredAndReturnedVerbatim) {
  const std::string nasty = "ResNeXt-50 \"32×4d\"; DROP TABLE runs; -- it's 'quoted' ✓ 残差 \xF0\x9F\x98\x80";
  Store store = Store::open(":memory:");
  RunRecord record = make_record("key'; DELETE FROM runs; --", "group\"", 7, nasty, nasty);
  record.variant = nasty;
  record.config_json = R"({"name": "a\"b; c", "unicode": "é"})";
  record.provenance.command_line = "ablate run 'x; rm -rf /'";
  record.provenance.device = nasty;
  store.register_experiment(nasty, nasty, "/tmp/it's.yaml", "name: " + nasty);
  store.claim_run(record);
  store.log_epoch(record.run_key, 1, {{nasty, 1.25}, {"val_top1_err", -0.0}});
  store.fail(record.run_key, nasty);

  const auto run = store.find_run(record.run_key);
  ASSERT_TRUE(run);
  EXPECT_EQ(run->record.run_key, record.run_key);
  EXPECT_EQ(run->record.group_key, "group\"");
  EXPECT_EQ(run->record.experiment, nasty);
  EXPECT_EQ(run->record.profile, nasty);
  EXPECT_EQ(run->record.variant, nasty);
  EXPECT_EQ(run->record.seed, 7);
  EXPECT_EQ(run->record.config_json, record.config_json);
  EXPECT_EQ(run->record.provenance.command_line, record.provenance.command_line);
  EXPECT_EQ(run->record.provenance.device, nasty);
  EXPECT_EQ(run->error, nasty);
  EXPECT_EQ(store.connection().query_text("SELECT name FROM experiments"), nasty);
  EXPECT_EQ(store.last_metrics(record.run_key).values.at(nasty), 1.25);
  EXPECT_EQ(store.curve(record.run_key, nasty).size(), 1u);
  EXPECT_EQ(store.runs({nasty, nasty, RunStatus::Failed}).size(), 1u);
  EXPECT_EQ(store.connection().query_int64("SELECT count(*) FROM runs"), 1) << "nothing was injected";
}

TEST(StoreClaim, NonFiniteMetricValuesRoundTrip) {
  Store store = Store::open(":memory:");
  store.claim_run(make_record("k"));
  store.log_epoch("k", 1, {{"train_loss", std::nan("")}, {"val_loss", INFINITY}, {"lr", -INFINITY}});
  const EpochMetrics last = store.last_metrics("k");
  EXPECT_TRUE(std::isnan(last.values.at("train_loss")));
  EXPECT_EQ(last.values.at("val_loss"), INFINITY);
  EXPECT_EQ(last.values.at("lr"), -INFINITY);
}

TEST(StoreClaim, FinishingARunWithAGapInItsHistoryIsRefused) {
  Store store = Store::open(":memory:");
  store.claim_run(make_record("k"));
  store.log_epoch("k", 3, {{"val_top1_err", 20.0}});
  store.log_epoch("k", 4, {{"val_top1_err", 19.0}});
  try {
    store.finish("k");
    FAIL() << "finished with epochs 1-2 missing";
  } catch (const StoreError& error) {
    EXPECT_NE(std::string(error.what()).find("epoch(s) 1-2 have no metrics"), std::string::npos) << error.what();
  }
  const auto run = store.find_run("k");
  EXPECT_EQ(run->status, RunStatus::Running);
  EXPECT_EQ(run->epochs_done, 4);
  EXPECT_EQ(run->epochs_stored, 2) << "the gap is visible to listings";
  EXPECT_EQ(store.epochs("k"), (std::vector<int64_t>{3, 4}));
  store.log_epoch("k", 1, {{"val_top1_err", 30.0}});
  store.log_epoch("k", 2, {{"val_top1_err", 25.0}});
  store.finish("k");
  EXPECT_EQ(store.find_run("k")->status, RunStatus::Finished);
}

TEST(StoreClaim, MissingEpochsAreNamedAsRanges) {
  EXPECT_EQ(missing_epochs({}, 0), "");
  EXPECT_EQ(missing_epochs({1, 2, 3}, 3), "");
  EXPECT_EQ(missing_epochs({5, 6, 7, 8}, 8), "1-4");
  EXPECT_EQ(missing_epochs({1, 3, 6}, 8), "2, 4-5, 7-8");
  EXPECT_EQ(missing_epochs({}, 2), "1-2");
}

TEST(StoreClaim, FailureKeepsItsOneLineMessageAndTheLogOfItsFullText) {
  Store store = Store::open(":memory:");
  store.claim_run(make_record("k"));
  store.fail("k", "CUDA out of memory", "/tmp/ck/k/failure.log");
  EXPECT_EQ(store.find_run("k")->error, "CUDA out of memory");
  EXPECT_EQ(store.find_run("k")->error_log, "/tmp/ck/k/failure.log");
  store.claim_run(make_record("k"));
  EXPECT_EQ(store.find_run("k")->error_log, "") << "a retried run starts clean";
}

TEST(StoreClaim, ReloggingAnEpochReplacesIt) {
  Store store = Store::open(":memory:");
  store.claim_run(make_record("k"));
  store.log_epoch("k", 1, {{"train_loss", 2.0}, {"stale_metric", 9.0}});
  store.log_epoch("k", 1, {{"train_loss", 1.0}});
  const EpochMetrics last = store.last_metrics("k");
  EXPECT_EQ(last.epoch, 1);
  EXPECT_EQ(last.values, (std::map<std::string, double>{{"train_loss", 1.0}}));
}

}  // namespace
}  // namespace ablate::results
