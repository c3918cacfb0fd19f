// `ablate slurm` on a real single-node Slurm (munged + slurmctld + slurmd, started for each test case by
// tests/slurm/with_cluster.sh, which exports SLURM_CONF): the job array and its collect job run the smoke
// experiment to the same numbers as a local `ablate run`; a cancelled array is finished by resubmitting
// without training anything twice; a diverging run fails alone; Slurm's early SIGTERM leaves a killed run
// with a clean checkpoint that the next submission resumes, and so does a SIGKILLed task's run; `srun -n 2`
// trains one run as a data-parallel group. Every wait has a deadline.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <regex>
#include <sstream>
#include <thread>

#include "results/store.h"
#include "tests/support/read_text.h"
#include "tests/support/run_command.h"
#include "tests/support/run_history.h"
#include "tests/support/temp_path.h"

namespace ablate {
namespace {

namespace fs = std::filesystem;
using testing::ablate_command;
using testing::CaseTempDir;
using testing::CommandResult;
using testing::history_without_timing;
using testing::read_text;
using testing::run_command;

constexpr auto kJobDeadline = std::chrono::seconds(400);

using testing::quoted;

struct Submitted {
  std::string array_job, collect_job;
};

Submitted parse_submission(const CommandResult& r) {
  static const std::regex ids(R"(submitted array job ([0-9]+) .* and collect job ([0-9]+) )");
  std::smatch m;
  if (!std::regex_search(r.output, m, ids)) {
    ADD_FAILURE() << "no job ids in: " << r.output;
    return {};
  }
  return {m[1], m[2]};
}

// Ids (array or plain) of the jobs the private cluster still lists as pending or running.
std::string queue() { return run_command("squeue --noheader --format=%F").output; }

bool queued(const std::string& job) {
  std::istringstream ids(queue());
  std::string id;
  while (ids >> id) {
    if (id == job) return true;
  }
  return false;
}

// JobState of `job` per array task id ("" for a job that is not an array), from `scontrol show job`.
std::map<std::string, std::string> job_states(const std::string& job) {
  static const std::regex state(R"(JobState=([A-Z_]+))");
  static const std::regex task(R"(ArrayTaskId=([0-9]+))");
  std::map<std::string, std::string> states;
  std::istringstream lines(run_command("scontrol --oneliner show job " + job).output);
  std::string line;
  while (std::getline(lines, line)) {
    std::smatch s, t;
    if (!std::regex_search(line, s, state)) continue;
    states[std::regex_search(line, t, task) ? t[1].str() : ""] = s[1];
  }
  return states;
}

using States = std::map<std::string, std::string>;

bool wait_until(const std::function<bool()>& condition, std::chrono::seconds deadline) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < end) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  return condition();
}

class SlurmCluster : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::getenv("SLURM_CONF") == nullptr) {
      GTEST_SKIP() << "SLURM_CONF is not set: this suite runs through tests/slurm/with_cluster.sh (as ctest does), "
                      "which starts the cluster";
    }
  }
  void TearDown() override {
    if (HasFailure()) {
      // What the jobs said: the first thing to read when a cluster test fails.
      std::error_code ec;
      for (const auto& entry : fs::recursive_directory_iterator(dir_.path(), ec)) {
        if (entry.path().extension() == ".out") {
          std::cerr << "--- " << entry.path().string() << "\n" << read_text(entry.path());
        }
      }
      std::cerr << "--- squeue\n" << run_command("squeue").output;
    }
  }

  // `ablate slurm` with the job folder, the results database and the reports in the test's folder. The job
  // folder's name has a space and a '#': sbatch's directive parser must still read its paths.
  CommandResult slurm(const std::string& experiment, const std::string& arguments) const {
    return run_command("cd " + quoted(dir_.path()) + " && " +
                       ablate_command("slurm " + quoted(experiment) + " --job-dir " + quoted(job()) + " --db " +
                                      quoted(db()) + " --out " + quoted(dir_.file("reports")) + " " + arguments));
  }
  std::string job() const { return dir_.file("job #1"); }
  std::string db() const { return dir_.file("all.db"); }
  std::string shard(int task) const { return job() + "/shards/shard-" + std::to_string(task) + ".db"; }

  // Waits for both jobs of a submission to leave the queue; false at the deadline.
  bool wait_for(const Submitted& s) {
    return wait_until([&] { return !queued(s.array_job) && !queued(s.collect_job); }, kJobDeadline);
  }

  std::string array_logs() const {
    std::string text;
    for (const auto& entry : fs::directory_iterator(job() + "/logs")) {
      if (entry.path().filename().string().rfind("array-", 0) == 0) text += read_text(entry.path());
    }
    return text;
  }

  CaseTempDir dir_{"slurm"};
};

const std::string kSmoke = std::string(ABLATE_SOURCE_DIR) + "/experiments/smoke.yaml";
// Deterministic, one thread (two array tasks share the two cores), 500 images: seconds per run.
const std::string kSmall =
    "--set data.synthetic_train_size=500 --set train.deterministic=true --set train.threads=1";

TEST_F(SlurmCluster, ArrayAndCollectJobStoreEveryRunOnceWithTheLocalMetrics) {
  const CommandResult local =
      run_command(ablate_command("run " + quoted(kSmoke) + " " + kSmall + " --quiet --db " + quoted(dir_.file("local.db")) +
                                 " --checkpoints " + quoted(dir_.file("local-checkpoints"))));
  ASSERT_EQ(local.status, 0) << local.output;

  const CommandResult r = slurm(kSmoke, "--submit --tasks 2 " + kSmall);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("4 runs in 2 array tasks"), std::string::npos) << r.output;
  const Submitted s = parse_submission(r);
  ASSERT_TRUE(wait_for(s)) << "jobs still queued after " << kJobDeadline.count() << " s:\n" << queue();
  EXPECT_EQ(job_states(s.array_job), (States{{"0", "COMPLETED"}, {"1", "COMPLETED"}}));
  EXPECT_EQ(job_states(s.collect_job), (States{{"", "COMPLETED"}}));

  results::Store expected = results::Store::open(dir_.file("local.db"));
  results::Store merged = results::Store::open(db());
  const auto runs = merged.runs();
  ASSERT_EQ(runs.size(), 4u) << "every run once";
  for (const auto& run : runs) {
    EXPECT_EQ(run.status, results::RunStatus::Finished) << run.record.variant;
    const auto local_run = expected.find_run(run.record.run_key);
    ASSERT_TRUE(local_run.has_value()) << run.record.variant << " seed " << run.record.seed;
    const auto history = history_without_timing(merged, run.record.run_key);
    EXPECT_EQ(history.size(), 3u);
    EXPECT_EQ(history, history_without_timing(expected, run.record.run_key)) << run.record.variant;
  }
  EXPECT_TRUE(fs::exists(dir_.file("reports/smoke/README.md")));

  const CommandResult status = run_command(ablate_command("slurm status " + quoted(job())));
  EXPECT_NE(status.output.find("total: 4 finished, 0 running, 0 interrupted, 0 failed, 0 not started"),
            std::string::npos)
      << status.output;
  EXPECT_NE(status.output.find("holds 4 of these 4 runs finished"), std::string::npos) << status.output;

  // The same command once more: every run is finished, nothing is submitted.
  const CommandResult again = slurm(kSmoke, "--submit --tasks 2 " + kSmall);
  ASSERT_EQ(again.status, 0) << again.output;
  EXPECT_NE(again.output.find("all 4 runs are done (4 finished, 0 failed"), std::string::npos) << again.output;
}

TEST_F(SlurmCluster, SrunOfTwoTasksTrainsOneRunAsOneDataParallelGroup) {
  // Two ranks from srun's environment (SLURM_PROCID, SLURM_STEP_NUM_TASKS, the node list): the same group,
  // hence the same numbers, as two ranks started by `ablate run --nproc 2` on this machine.
  const std::string run = "run " + quoted(kSmoke) + " --only 'ResNet 1x4d' --seeds 0 " + kSmall + " --quiet";
  const CommandResult local = run_command(ablate_command(run + " --nproc 2 --db " + quoted(dir_.file("local.db")) +
                                                         " --checkpoints " + quoted(dir_.file("local-checkpoints"))));
  ASSERT_EQ(local.status, 0) << local.output;
  const CommandResult r =
      run_command("cd " + quoted(dir_.path()) + " && timeout 300 srun --ntasks=2 --kill-on-bad-exit=1 " +
                  ablate_command(run + " --db " + quoted(dir_.file("srun.db")) + " --checkpoints " +
                                 quoted(dir_.file("srun-checkpoints"))));
  ASSERT_EQ(r.status, 0) << r.output;
  results::Store expected = results::Store::open(dir_.file("local.db"));
  results::Store stored = results::Store::open(dir_.file("srun.db"));
  const auto runs = stored.runs();
  ASSERT_EQ(runs.size(), 1u) << "one run, stored by rank 0 only";
  EXPECT_EQ(runs[0].status, results::RunStatus::Finished);
  EXPECT_NE(runs[0].record.provenance.device.find("2 processes x cpu (1 threads), gloo"), std::string::npos)
      << runs[0].record.provenance.device;
  const auto history = history_without_timing(stored, runs[0].record.run_key);
  EXPECT_EQ(history.size(), 3u);
  EXPECT_EQ(history, history_without_timing(expected, runs[0].record.run_key));
}

TEST_F(SlurmCluster, CancelledArrayIsFinishedByResubmittingWithoutTrainingTwice) {
  // Long enough to be caught mid-way: 4 runs of 6 epochs, one task at a time.
  const std::string settings =
      "--tasks 2 --parallel 1 " + kSmall + " --set train.epochs=6 --set 'train.schedule.milestones=[4]'";
  const Submitted first = parse_submission(slurm(kSmoke, "--submit " + settings));
  ASSERT_TRUE(wait_until(
      [&] {
        if (!fs::exists(shard(0))) return false;
        results::StoreOptions read_only;
        read_only.read_only = true;
        for (const auto& run : results::Store::open(shard(0), read_only).runs()) {
          if (run.epochs_done >= 2) return true;
        }
        return false;
      },
      kJobDeadline));
  const CommandResult cancel = run_command("scancel " + first.array_job);
  ASSERT_EQ(cancel.status, 0) << cancel.output;
  ASSERT_TRUE(wait_for(first)) << queue();

  // What the first submission left: finished runs keep their end time if they are not trained again.
  std::map<std::string, std::string> ended;
  std::map<std::string, int64_t> stored_epochs;
  int64_t unfinished = 0;
  for (int task = 0; task < 2; ++task) {
    if (!fs::exists(shard(task))) continue;
    for (const auto& run : results::Store::open(shard(task)).runs()) {
      stored_epochs[run.record.run_key] = run.epochs_done;
      if (run.status == results::RunStatus::Finished) {
        ended[run.record.run_key] = run.ended_at;
      } else {
        ++unfinished;
        EXPECT_EQ(run.status, results::RunStatus::Killed) << "scancel's SIGTERM stops a run cleanly";
      }
    }
  }
  ASSERT_GE(unfinished, 1) << "the array was cancelled after it had finished";
  const CommandResult status = run_command(ablate_command("slurm status " + quoted(job())));
  EXPECT_NE(status.output.find("interrupted"), std::string::npos) << status.output;
  EXPECT_NE(status.output.find("resubmit the same"), std::string::npos) << status.output;
  const std::string logs_before = array_logs();

  const CommandResult again = slurm(kSmoke, "--submit " + settings);
  ASSERT_EQ(again.status, 0) << again.output;
  const Submitted second = parse_submission(again);
  ASSERT_TRUE(wait_for(second)) << queue();

  results::Store merged = results::Store::open(db());
  const auto runs = merged.runs();
  ASSERT_EQ(runs.size(), 4u);
  for (const auto& run : runs) EXPECT_EQ(run.status, results::RunStatus::Finished) << run.record.variant;
  for (int task = 0; task < 2; ++task) {
    for (const auto& run : results::Store::open(shard(task)).runs()) {
      if (ended.count(run.record.run_key)) {
        EXPECT_EQ(run.ended_at, ended[run.record.run_key]) << run.record.variant << ": trained twice";
      }
    }
  }
  // Interrupted runs resumed from their stored epochs instead of starting again.
  const std::string new_logs = array_logs();
  for (const auto& [key, epochs] : stored_epochs) {
    if (ended.count(key) || epochs == 0) continue;
    EXPECT_NE(new_logs.find("resuming, " + std::to_string(epochs) + " epochs stored"), std::string::npos)
        << key << "\n" << new_logs;
  }
  EXPECT_NE(logs_before.size(), new_logs.size());
}

TEST_F(SlurmCluster, DivergingRunFailsAloneAndTheCollectJobStillRuns) {
  // An experiment that extends another by a relative path: the job folder freezes both files.
  fs::create_directories(dir_.file("experiments"));
  fs::copy_file(kSmoke, dir_.file("experiments/smoke.yaml"));
  const std::string diverge = dir_.write("experiments/diverge.yaml",
                                         "name: diverge\n"
                                         "extends: smoke.yaml\n"
                                         "seeds: [0]\n"
                                         "variants:\n"
                                         "  - {name: Huge lr, model: {cardinality: 1, bottleneck_width: 4}, train: {lr: 1.0e+6},\n"
                                         "     labels: {group: A, setting: 1x4d}}\n"
                                         "  - {name: Fine, model: {cardinality: 1, bottleneck_width: 4},\n"
                                         "     labels: {group: B, setting: 1x4d}}\n");
  const CommandResult r = slurm(diverge, "--submit --tasks 2 " + kSmall);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(read_text(job() + "/experiment/smoke.yaml"), read_text(kSmoke));
  const Submitted s = parse_submission(r);
  ASSERT_TRUE(wait_for(s)) << queue();
  // Task 0 trains the diverging run and exits 1; task 1 is not affected; the collect job runs anyway.
  EXPECT_EQ(job_states(s.array_job), (States{{"0", "FAILED"}, {"1", "COMPLETED"}}));
  EXPECT_EQ(job_states(s.collect_job), (States{{"", "COMPLETED"}}));

  results::Store merged = results::Store::open(db());
  const auto runs = merged.runs();
  ASSERT_EQ(runs.size(), 2u);
  for (const auto& run : runs) {
    if (run.record.variant == "Huge lr") {
      EXPECT_EQ(run.status, results::RunStatus::Failed);
      EXPECT_NE(run.error.find("diverged at epoch 1"), std::string::npos) << run.error;
    } else {
      EXPECT_EQ(run.status, results::RunStatus::Finished);
    }
  }
  const CommandResult status = run_command(ablate_command("slurm status " + quoted(job())));
  EXPECT_NE(status.output.find("Huge lr seed 0"), std::string::npos) << status.output;
  EXPECT_NE(status.output.find("failed, 0/3 epochs: diverged at epoch 1"), std::string::npos) << status.output;
  EXPECT_NE(status.output.find("total: 1 finished, 0 running, 0 interrupted, 1 failed"), std::string::npos)
      << status.output;
}

// One run of 12 epochs (a few seconds each) in one array task: long enough to be signalled mid-way.
class SlurmClusterLongRun : public SlurmCluster {
 protected:
  const std::string settings_ = "--only 'ResNet 1x4d' --seeds 0 " + kSmall +
                                " --set train.epochs=12 --set 'train.schedule.milestones=[10]'";

  // Submits the run, waits until it has stored 2 epochs, sends `signal` the way `scancel_options` say
  // and waits for the jobs to leave the queue. Returns the run as its shard database then holds it.
  results::RunInfo submit_and_signal(const std::string& scancel_options) {
    const Submitted first = parse_submission(slurm(kSmoke, "--submit " + settings_));
    results::StoreOptions read_only;
    read_only.read_only = true;
    const bool caught = wait_until(
        [&] {
          if (!fs::exists(shard(0))) return false;
          const auto runs = results::Store::open(shard(0), read_only).runs();
          return !runs.empty() && runs[0].epochs_done >= 2;
        },
        kJobDeadline);
    EXPECT_TRUE(caught) << "no epoch stored in time";
    const CommandResult signal = run_command("scancel " + scancel_options + " " + first.array_job + "_0");
    EXPECT_EQ(signal.status, 0) << signal.output;
    EXPECT_TRUE(wait_for(first)) << queue();
    const auto runs = results::Store::open(shard(0)).runs();
    if (runs.empty()) {
      ADD_FAILURE() << "the shard database holds no run";
      return {};
    }
    EXPECT_LT(runs[0].epochs_done, 12) << "the run ended before the signal";
    return runs[0];
  }

  // The same command again: the run must resume from `stored` epochs and finish. Returns its output.
  std::string resubmit_and_expect_resumed_from(int64_t stored) {
    const CommandResult again = slurm(kSmoke, "--submit " + settings_);
    EXPECT_EQ(again.status, 0) << again.output;
    EXPECT_TRUE(wait_for(parse_submission(again))) << queue();
    EXPECT_NE(array_logs().find("resuming, " + std::to_string(stored) + " epochs stored"), std::string::npos)
        << array_logs();
    const auto runs = results::Store::open(db()).runs();
    EXPECT_EQ(runs.size(), 1u);
    if (!runs.empty()) {
      EXPECT_EQ(runs[0].status, results::RunStatus::Finished);
      EXPECT_EQ(runs[0].epochs_done, 12);
    }
    return again.output;
  }
};

TEST_F(SlurmClusterLongRun, EarlySigtermLeavesACleanCheckpointThatTheNextSubmissionResumes) {
  // What --signal=B:TERM@120 does two minutes before the time limit: SIGTERM to the batch shell only.
  const results::RunInfo run = submit_and_signal("--batch --signal=TERM");
  EXPECT_NE(read_text(job() + "/array.sbatch").find("#SBATCH --signal=B:TERM@120\n"), std::string::npos);
  EXPECT_EQ(run.status, results::RunStatus::Killed);
  ASSERT_GE(run.epochs_done, 2);
  EXPECT_NE(array_logs().find("stopped after " + std::to_string(run.epochs_done) + " complete epochs"),
            std::string::npos)
      << array_logs();
  bool checkpoint = false;
  for (const auto& entry : fs::recursive_directory_iterator(job() + "/checkpoints")) {
    checkpoint |= entry.path().extension() == ".pt";
  }
  EXPECT_TRUE(checkpoint);
  resubmit_and_expect_resumed_from(run.epochs_done);
}

TEST_F(SlurmClusterLongRun, RunOfASigkilledTaskIsResumedByTheNextSubmission) {
  // No chance to clean up (the time limit's SIGKILL, a node lost): the run stays `running`, its heartbeat fresh.
  const results::RunInfo run = submit_and_signal("--batch --signal=KILL");
  ASSERT_EQ(run.status, results::RunStatus::Running);
  // The folder's jobs have all left the queue, so the resubmission knows the holder is gone. (On this one
  // node the store would also see that the holder's pid is gone; on a cluster the next task runs on another
  // host, where only this release keeps it from skipping the run as running elsewhere for 2 minutes.)
  const std::string output = resubmit_and_expect_resumed_from(run.epochs_done);
  EXPECT_NE(output.find("note: ResNet 1x4d seed 0 was left running by a task that has ended: marked killed"),
            std::string::npos)
      << output;
}

}  // namespace
}  // namespace ablate
