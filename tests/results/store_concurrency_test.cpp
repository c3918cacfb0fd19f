// Several runner processes writing one database at once, and runners killed with SIGKILL at random
// moments. Writers are real processes (fork), because SQLite's locking is per process.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <random>
#include <thread>

#include "results/schema.h"
#include "results/sqlite.h"
#include "results/store.h"
#include "tests/results/store_test_support.h"

namespace ablate::results {
namespace {

using testing::make_record;
using testing::ScratchDir;

// Runs `body` in a child process that exits 0 when it returns and 1 (message on stderr) when it throws.
// The child never returns into the test framework.
pid_t spawn(const std::function<void()>& body) {
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid != 0) return pid;
  int code = 0;
  try {
    body();
  } catch (const std::exception& error) {
    std::fprintf(stderr, "writer %d: %s\n", static_cast<int>(getpid()), error.what());
    code = 1;
  } catch (...) {
    code = 1;
  }
  _exit(code);
}

int wait_for(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return status;
}

// The value every test writer logs, so the reader can check each row, not only count them.
double metric_value(int writer, int64_t epoch, int metric) { return writer * 100000.0 + epoch * 10.0 + metric; }

const char* const kMetricNames[] = {"train_loss",   "train_top1_err", "val_loss",      "val_top1_err",
                                    "val_top5_err", "lr",             "images_per_sec", "epoch_seconds"};
constexpr int kMetricsPerEpoch = 8;

std::map<std::string, double> epoch_metrics(int writer, int64_t epoch) {
  std::map<std::string, double> metrics;
  for (int m = 0; m < kMetricsPerEpoch; ++m) metrics[kMetricNames[m]] = metric_value(writer, epoch, m);
  return metrics;
}

std::string writer_key(int writer) { return "writer-" + std::to_string(writer); }

// The concurrency test measures locking, not the disk: on tmpfs an fsync is free, so 1600 commits take
// a second instead of 1600 fsyncs (about 10 s on a CI disk). The kill test below uses a real disk.
std::filesystem::path fast_scratch_parent() {
  std::error_code error;
  if (std::filesystem::is_directory("/dev/shm", error) && access("/dev/shm", W_OK) == 0) return "/dev/shm";
  return std::filesystem::temp_directory_path();
}

TEST(StoreConcurrency, EightWriterProcessesLogTwoHundredEpochsEachWithoutLoss) {
  constexpr int kWriters = 8;
  constexpr int64_t kEpochs = 200;
  ScratchDir dir(fast_scratch_parent());
  const std::string db = dir.file("shared.db");  // created by whichever writer comes first

  const auto start = std::chrono::steady_clock::now();
  std::vector<pid_t> writers;
  for (int writer = 0; writer < kWriters; ++writer) {
    writers.push_back(spawn([&, writer] {
      Store store = Store::open(db);
      RunRecord record = make_record(writer_key(writer), "group-" + std::to_string(writer % 2), writer);
      record.epochs_planned = kEpochs;
      if (store.claim_run(record).status != ClaimStatus::New) throw StoreError("claim was not New");
      for (int64_t epoch = 1; epoch <= kEpochs; ++epoch) {
        store.log_epoch(record.run_key, epoch, epoch_metrics(writer, epoch));
        if (epoch % 50 == 0 && !store.heartbeat(record.run_key)) throw StoreError("lost the run");
      }
      store.finish(record.run_key);
    }));
  }
  for (const pid_t pid : writers) {
    const int status = wait_for(pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "a writer failed; see its stderr";
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("8 writers x 200 epochs x 8 metrics: %.2f s (%.0f commits/s)\n", seconds,
              kWriters * kEpochs / seconds);

  Store store = Store::open(db);
  EXPECT_EQ(store.connection().query_text("PRAGMA integrity_check"), "ok");
  EXPECT_EQ(store.connection().query_int64("SELECT count(*) FROM metrics"), kWriters * kEpochs * kMetricsPerEpoch);
  for (int writer = 0; writer < kWriters; ++writer) {
    const auto run = store.find_run(writer_key(writer));
    ASSERT_TRUE(run);
    EXPECT_EQ(run->status, RunStatus::Finished);
    EXPECT_EQ(run->epochs_done, kEpochs);
    for (int m = 0; m < kMetricsPerEpoch; ++m) {
      const auto curve = store.curve(writer_key(writer), kMetricNames[m]);
      ASSERT_EQ(static_cast<int64_t>(curve.size()), kEpochs);
      for (int64_t epoch = 1; epoch <= kEpochs; ++epoch) {
        ASSERT_EQ(curve[static_cast<size_t>(epoch - 1)].epoch, epoch);
        ASSERT_EQ(curve[static_cast<size_t>(epoch - 1)].value, metric_value(writer, epoch, m));
      }
    }
  }
  EXPECT_EQ(store.runs({"cardinality", std::string("cpu"), RunStatus::Finished}).size(),
            static_cast<size_t>(kWriters));
}

// Reads every int64 the child wrote to the pipe; returns the last (0 when none).
int64_t last_reported_epoch(int read_end) {
  int64_t last = 0, value = 0;
  while (read(read_end, &value, sizeof value) == static_cast<ssize_t>(sizeof value)) last = value;
  return last;
}

TEST(StoreConcurrency, SigkilledWritersNeverLoseCommittedEpochsOrLeavePartialOnes) {
  constexpr int kRounds = 20;
  constexpr int kWriters = 3;
  ScratchDir dir;  // a real disk: kills land during real fsyncs
  const std::string db = dir.file("killed.db");
  const unsigned seed = std::random_device{}();
  std::mt19937 random(seed);
  SCOPED_TRACE("random seed " + std::to_string(seed));

  // Highest epoch known to be committed per writer, carried across rounds.
  std::vector<int64_t> committed(kWriters, 0);
  for (int round = 0; round < kRounds; ++round) {
    std::vector<pid_t> pids;
    std::vector<int> pipes;
    for (int writer = 0; writer < kWriters; ++writer) {
      int ends[2];
      ASSERT_EQ(pipe(ends), 0);
      const int64_t expected_resume = committed[static_cast<size_t>(writer)];
      pids.push_back(spawn([&, writer, ends, expected_resume] {
        close(ends[0]);
        Store store = Store::open(db);
        const ClaimResult claim = store.claim_run(make_record(writer_key(writer), "g", writer));
        // The holder killed last round is gone: no waiting for its heartbeat to go stale.
        if (claim.status != ClaimStatus::New && claim.status != ClaimStatus::Resumable) {
          throw StoreError(std::string("claim: ") + to_string(claim.status));
        }
        if (claim.last_complete_epoch != expected_resume) {
          throw StoreError("resumes at " + std::to_string(claim.last_complete_epoch) + ", expected " +
                           std::to_string(expected_resume));
        }
        for (int64_t epoch = claim.last_complete_epoch + 1;; ++epoch) {
          store.log_epoch(writer_key(writer), epoch, epoch_metrics(writer, epoch));
          if (write(ends[1], &epoch, sizeof epoch) != static_cast<ssize_t>(sizeof epoch)) _exit(2);
        }
      }));
      close(ends[1]);
      pipes.push_back(ends[0]);
    }
    // Even rounds kill at any moment (during open, migration or claim too); odd rounds first wait until
    // some writer has committed an epoch, so that epochs get written even on a machine too loaded to
    // start a writer within the random delay. (Not one particular writer: writers that commit back to
    // back can starve a newcomer's BEGIN IMMEDIATE for seconds; runners commit once per epoch.)
    if (round % 2 == 1) {
      std::vector<pollfd> ready;
      for (const int fd : pipes) ready.push_back({fd, POLLIN, 0});
      poll(ready.data(), ready.size(), 10000);
    }
    std::this_thread::sleep_for(std::chrono::microseconds(std::uniform_int_distribution<int>(0, 40000)(random)));
    for (const pid_t pid : pids) kill(pid, SIGKILL);
    for (int writer = 0; writer < kWriters; ++writer) {
      const int status = wait_for(pids[static_cast<size_t>(writer)]);
      ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
          << "writer " << writer << " of round " << round << " ended on its own (status " << status << ")";
      const int64_t reported = last_reported_epoch(pipes[static_cast<size_t>(writer)]);
      close(pipes[static_cast<size_t>(writer)]);
      if (reported > 0) committed[static_cast<size_t>(writer)] = reported;
    }

    if (!std::filesystem::exists(db)) continue;  // all killed before the first one created the file
    Connection check(db, OpenMode::ReadWrite);
    ASSERT_EQ(check.query_text("PRAGMA integrity_check"), "ok") << "round " << round;
    if (schema_version(check) == 0) {
      // Killed while creating the schema: the migration is all or nothing, so no table at all.
      ASSERT_EQ(check.query_int64("SELECT count(*) FROM sqlite_schema"), 0);
      continue;
    }
    // No partial epoch: every epoch present has all its metrics, with the values written.
    ASSERT_EQ(check.query_int64("SELECT count(*) FROM (SELECT run_id, epoch FROM metrics GROUP BY run_id, epoch "
                                "HAVING count(*) != 8)"),
              0)
        << "round " << round;
    for (int writer = 0; writer < kWriters; ++writer) {
      Statement epochs = check.prepare(
          "SELECT m.epoch, m.name, m.value FROM metrics m JOIN runs r ON r.id = m.run_id WHERE r.run_key = ? "
          "ORDER BY m.epoch, m.name");
      epochs.bind(1, writer_key(writer));
      int64_t rows = 0, max_epoch = 0;
      while (epochs.step()) {
        const int64_t epoch = epochs.column_int64(0);
        const std::string name = epochs.column_text(1);
        int metric = 0;
        while (name != kMetricNames[metric]) ++metric;
        ASSERT_EQ(epochs.column_double(2), metric_value(writer, epoch, metric));
        max_epoch = std::max(max_epoch, epoch);
        ++rows;
      }
      const int64_t known = committed[static_cast<size_t>(writer)];
      // Every reported epoch is there; at most one more committed just before the kill, unreported.
      ASSERT_GE(max_epoch, known) << "writer " << writer << " round " << round;
      ASSERT_LE(max_epoch, known + 1) << "writer " << writer << " round " << round;
      ASSERT_EQ(rows, max_epoch * kMetricsPerEpoch) << "epochs 1.." << max_epoch << " all complete";
      committed[static_cast<size_t>(writer)] = max_epoch;
    }
  }
  int64_t total = 0;
  for (const int64_t epochs : committed) total += epochs;
  std::printf("%d rounds of %d SIGKILLed writers: %lld epochs committed in all\n", kRounds, kWriters,
              static_cast<long long>(total));
  EXPECT_GT(total, 0) << "the writers never got to write: the kills came too early to test anything";
}

}  // namespace
}  // namespace ablate::results
