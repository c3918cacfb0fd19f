// `ablate slurm` without a cluster: bad input gives one clear line, --print writes a frozen job folder
// with the scripts, and those scripts, run by hand the way Slurm runs them, train the shards that
// `status` and an idempotent `collect` then read. The same command on a real Slurm: tests/slurm/.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "results/store.h"
#include "tests/support/read_text.h"
#include "tests/support/run_command.h"
#include "tests/support/temp_path.h"

namespace ablate {
namespace {

namespace fs = std::filesystem;
using testing::ablate_command;
using testing::CaseTempDir;
using testing::read_text;
using testing::run_command;

using testing::quoted;

int64_t lines(const std::string& text) { return std::count(text.begin(), text.end(), '\n'); }

class SlurmCommand : public ::testing::Test {
 protected:
  // smoke.yaml copied into a private experiments folder, so a test may edit it.
  SlurmCommand() {
    experiments_ = dir_.file("experiments");
    fs::create_directories(experiments_);
    fs::copy_file(std::string(ABLATE_SOURCE_DIR) + "/experiments/smoke.yaml", experiments_ + "/smoke.yaml");
  }

  // `ablate slurm smoke` on the private copy, job folder and outputs inside the test's folder.
  testing::CommandResult slurm(const std::string& arguments) const {
    return run_command(ablate_command("slurm smoke --dir " + quoted(experiments_) + " --job-dir " + quoted(job()) +
                                      " --db " + quoted(dir_.file("all.db")) + " --out " + quoted(dir_.file("reports")) +
                                      " " + arguments));
  }
  std::string job() const { return dir_.file("job"); }

  CaseTempDir dir_{"slurm"};
  std::string experiments_;
};

TEST_F(SlurmCommand, BadInputGivesOneClearLine) {
  struct Case {
    std::string arguments;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"slurm smoke --tasks 0", "--tasks 0: expected at least 1 array task"},
      {"slurm smoke --tasks 5", "--tasks 5: smoke has only 4 runs with these settings; use at most 4 tasks"},
      {"slurm smoke --parallel 0", "--parallel 0: expected at least 1"},
      {"slurm no-such-experiment", "no-such-experiment"},
      {"slurm smoke --gpus-per-run=-1", "--gpus-per-run -1: expected 0 (CPU), 1 (one GPU per run) or more"},
      {"slurm smoke --gpus-per-run 3",
       "train.batch_size: the global batch of 100 does not split evenly over 3 processes"},
      {"slurm smoke --only 'No such variant'", "--only \"No such variant\": no such variant in smoke"},
      {"slurm", "ablate slurm: give an experiment NAME, or a subcommand: status JOB_FOLDER, collect JOB_FOLDER"},
      {"slurm status " + quoted(dir_.file("nothing-here")), "is not a job folder of ablate slurm (it has no job.json)"},
      {"slurm collect " + quoted(dir_.file("nothing-here")), "is not a job folder of ablate slurm (it has no job.json)"},
  };
  for (const Case& c : cases) {
    const bool folder_command = c.arguments.rfind("slurm status", 0) == 0 || c.arguments.rfind("slurm collect", 0) == 0;
    const auto r = run_command(ablate_command(c.arguments + (folder_command ? "" : " --job-dir " + quoted(job()))));
    EXPECT_EQ(r.status, 2) << c.arguments << "\n" << r.output;
    EXPECT_NE(r.output.find(c.message), std::string::npos) << c.arguments << "\n" << r.output;
    EXPECT_EQ(lines(r.output), 1) << c.arguments << "\n" << r.output;
  }
  EXPECT_FALSE(fs::exists(job())) << "a refused command must not write a job folder";

  // Without Slurm's client commands --submit says so before anything is written.
  const auto no_sbatch = run_command("env PATH=" + dir_.path() + " " + ablate_command("slurm smoke --submit --job-dir " + quoted(job())));
  EXPECT_EQ(no_sbatch.status, 2) << no_sbatch.output;
  EXPECT_NE(no_sbatch.output.find("ablate: error: sbatch is not on PATH (" + dir_.path() + "): --submit needs Slurm's"),
            std::string::npos)
      << no_sbatch.output;
  EXPECT_EQ(lines(no_sbatch.output), 1) << no_sbatch.output;
  EXPECT_FALSE(fs::exists(job()));

  // An experiment that extends a file by an absolute path cannot be frozen: refused, nothing left behind.
  const std::string absolute = dir_.write("elsewhere/absolute.yaml", "name: absolute\nextends: " + experiments_ +
                                                                          "/smoke.yaml\n");
  const auto unfrozen = run_command(ablate_command("slurm " + quoted(absolute) + " --job-dir " + quoted(job())));
  EXPECT_EQ(unfrozen.status, 2) << unfrozen.output;
  EXPECT_NE(unfrozen.output.find("its extends chain reaches " + experiments_ + "/smoke.yaml by an absolute path"),
            std::string::npos)
      << unfrozen.output;
  EXPECT_EQ(lines(unfrozen.output), 1) << unfrozen.output;
  EXPECT_FALSE(fs::exists(job()));

  // A folder with someone else's files is not taken over.
  fs::create_directories(dir_.file("busy"));
  dir_.write("busy/notes.txt", "mine");
  const auto busy = run_command(ablate_command("slurm smoke --job-dir " + quoted(dir_.file("busy"))));
  EXPECT_EQ(busy.status, 2) << busy.output;
  EXPECT_NE(busy.output.find("exists and is not a job folder of ablate slurm"), std::string::npos) << busy.output;
}

TEST_F(SlurmCommand, PrintWritesAFrozenJobFolderAndShowsBothScripts) {
  const auto r = slurm("--print --tasks 2 --parallel 1 --set train.epochs=2 --set 'train.schedule.milestones=[1]' "
                       "--sbatch=--time=00:30:00 --sbatch=--partition=debug");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("4 runs in 2 array tasks; nothing submitted"), std::string::npos) << r.output;

  const std::string array = read_text(fs::path(job()) / "array.sbatch");
  const std::string collect = read_text(fs::path(job()) / "collect.sbatch");
  EXPECT_NE(r.output.find(array), std::string::npos) << "--print shows the script it wrote";
  EXPECT_NE(r.output.find(collect), std::string::npos);
  for (const std::string& line :
       {std::string("#SBATCH --array=0-1%1\n"), std::string("#SBATCH --signal=B:TERM@120\n"),
        std::string("#SBATCH --time=00:30:00\n"), std::string("#SBATCH --partition=debug\n"),
        "#SBATCH --output=" + job() + "/logs/array-%A_%a.out\n", std::string("--shard \"$SLURM_ARRAY_TASK_ID/2\""),
        std::string("--set train.epochs=2 --set 'train.schedule.milestones=[1]'"),
        "--db " + job() + "/shards/shard-\"$SLURM_ARRAY_TASK_ID.db\"", "exec " + std::string(ABLATE_EXECUTABLE) + " run " + job() + "/experiment/smoke.yaml"}) {
    EXPECT_NE(array.find(line), std::string::npos) << line << "\n" << array;
  }
  EXPECT_NE(collect.find("exec " + std::string(ABLATE_EXECUTABLE) + " slurm collect " + job() + "\n"), std::string::npos)
      << collect;
  EXPECT_EQ(collect.find("--array"), std::string::npos) << collect;
  EXPECT_NE(r.output.find("sbatch --parsable --dependency=afterany:ARRAY_JOB_ID " + job() + "/collect.sbatch"),
            std::string::npos)
      << r.output;

  EXPECT_EQ(read_text(fs::path(job()) / "experiment" / "smoke.yaml"), read_text(experiments_ + "/smoke.yaml"));
  EXPECT_TRUE(fs::exists(fs::path(job()) / "job.json"));
  EXPECT_FALSE(fs::exists(fs::path(job()) / "submissions.tsv")) << "--print submits nothing";

  // A folder without work yet follows the command: other settings simply rewrite it.
  const auto again = slurm("--print --tasks 4");
  ASSERT_EQ(again.status, 0) << again.output;
  EXPECT_NE(read_text(fs::path(job()) / "array.sbatch").find("#SBATCH --array=0-3\n"), std::string::npos);
}

TEST_F(SlurmCommand, SeveralGpusPerRunGiveEachArrayTaskOneSrunRankPerGpu) {
  const auto r = slurm("--print --tasks 2 --gpus-per-run 4 --sbatch=--cpus-per-task=8");
  ASSERT_EQ(r.status, 0) << r.output;
  const std::string array = read_text(fs::path(job()) / "array.sbatch");
  for (const std::string& line :
       {std::string("#SBATCH --ntasks=4\n"), std::string("#SBATCH --nodes=1\n"), std::string("#SBATCH --gres=gpu:4\n"),
        std::string("#SBATCH --cpus-per-task=8\n"),
        std::string("exec srun --kill-on-bad-exit=1 ${SLURM_CPUS_PER_TASK:+--cpus-per-task=$SLURM_CPUS_PER_TASK} \\\n  ") +
            ABLATE_EXECUTABLE + " run " + job() + "/experiment/smoke.yaml",
        std::string("--shard \"$SLURM_ARRAY_TASK_ID/2\"")}) {
    EXPECT_NE(array.find(line), std::string::npos) << line << "\n" << array;
  }
  EXPECT_EQ(array.find("--ntasks=1\n"), std::string::npos) << array;
  EXPECT_EQ(array.find("--nproc"), std::string::npos) << "srun starts the ranks, not ablate" << array;
  // The collect job is one process whatever the array does.
  EXPECT_NE(read_text(fs::path(job()) / "collect.sbatch").find("#SBATCH --ntasks=1\n"), std::string::npos);

  // One GPU per run: no srun, one task.
  ASSERT_EQ(slurm("--print --tasks 2 --gpus-per-run 1").status, 0);
  const std::string single = read_text(fs::path(job()) / "array.sbatch");
  EXPECT_NE(single.find("#SBATCH --ntasks=1\n#SBATCH --array"), std::string::npos) << single;
  EXPECT_NE(single.find("#SBATCH --gres=gpu:1\n"), std::string::npos) << single;
  EXPECT_EQ(single.find("srun"), std::string::npos) << single;
}

TEST_F(SlurmCommand, ScriptsRunByHandTrainFrozenShardsThatCollectMergesOnce) {
  const std::string settings = "--profile one-seed --tasks 2 --set data.synthetic_train_size=500";
  ASSERT_EQ(slurm("--print " + settings).status, 0);
  // The experiment changes after the job was written: its tasks must not notice.
  {
    std::ofstream edit(experiments_ + "/smoke.yaml", std::ios::app);
    edit << "# edited after submitting\n";
  }
  std::string text = read_text(experiments_ + "/smoke.yaml");
  text.replace(text.find("lr: 0.05"), 8, "lr: 0.07");
  std::ofstream(experiments_ + "/smoke.yaml", std::ios::binary) << text;

  // What Slurm does for task i: run the script with SLURM_ARRAY_TASK_ID=i.
  for (int task = 0; task < 2; ++task) {
    const auto r = run_command("SLURM_ARRAY_TASK_ID=" + std::to_string(task) + " bash " + quoted(job() + "/array.sbatch"));
    ASSERT_EQ(r.status, 0) << r.output;
  }
  const auto outside = run_command("bash " + quoted(job() + "/array.sbatch"));
  EXPECT_NE(outside.status, 0);
  EXPECT_NE(outside.output.find("submit this script with sbatch"), std::string::npos) << outside.output;

  // The shards hold the runs of the frozen file (lr 0.05), not of the edited one.
  const auto plan = run_command(ablate_command("run " + quoted(std::string(ABLATE_SOURCE_DIR) + "/experiments/smoke.yaml") +
                                               " --dry-run --profile one-seed --set data.synthetic_train_size=500 --db " +
                                               quoted(dir_.file("none.db"))));
  ASSERT_EQ(plan.status, 0) << plan.output;
  std::set<std::string> shard_keys;
  for (int task = 0; task < 2; ++task) {
    results::Store shard = results::Store::open(job() + "/shards/shard-" + std::to_string(task) + ".db");
    ASSERT_EQ(shard.runs().size(), 1u);
    EXPECT_EQ(shard.runs()[0].status, results::RunStatus::Finished);
    shard_keys.insert(shard.runs()[0].record.run_key);
    EXPECT_NE(plan.output.find(shard.runs()[0].record.run_key), std::string::npos) << plan.output;
  }
  EXPECT_EQ(shard_keys.size(), 2u);

  const auto status = run_command(ablate_command("slurm status " + quoted(job())));
  ASSERT_EQ(status.status, 0) << status.output;
  EXPECT_NE(status.output.find("task 0: 1 finished"), std::string::npos) << status.output;
  EXPECT_NE(status.output.find("total: 2 finished, 0 running, 0 interrupted, 0 failed, 0 not started"),
            std::string::npos)
      << status.output;
  EXPECT_NE(status.output.find("not submitted yet"), std::string::npos) << status.output;
  EXPECT_NE(status.output.find("does not exist yet"), std::string::npos) << status.output;

  const auto first = run_command(ablate_command("slurm collect " + quoted(job())));
  ASSERT_EQ(first.status, 0) << first.output;
  EXPECT_NE(first.output.find("merged 2 databases into " + dir_.file("all.db") + ": 2 runs added"), std::string::npos)
      << first.output;
  EXPECT_TRUE(fs::exists(dir_.file("reports/smoke-one-seed/README.md"))) << first.output;
  const auto second = run_command(ablate_command("slurm collect " + quoted(job())));
  ASSERT_EQ(second.status, 0) << second.output;
  EXPECT_NE(second.output.find("0 runs added, 0 replaced by more complete copies, 2 kept; 0 metric rows copied"),
            std::string::npos)
      << second.output;
  {
    results::Store all = results::Store::open(dir_.file("all.db"));
    const auto runs = all.runs();
    ASSERT_EQ(runs.size(), 2u);
    for (const auto& run : runs) {
      EXPECT_EQ(run.status, results::RunStatus::Finished);
      EXPECT_EQ(shard_keys.count(run.record.run_key), 1u);
    }
  }
  EXPECT_NE(run_command(ablate_command("slurm status " + quoted(job()))).output.find("holds 2 of these 2 runs finished"),
            std::string::npos);

  // The same command again: nothing left to train, and the edited source is reported, not used.
  const auto again = slurm("--print " + settings);
  ASSERT_EQ(again.status, 0) << again.output;
  EXPECT_NE(again.output.find("has changed since it was frozen"), std::string::npos) << again.output;
  EXPECT_NE(again.output.find("all 2 runs are done (2 finished, 0 failed"), std::string::npos) << again.output;
  // Other settings would cut the stored runs differently: refused, the folder left as it is.
  const auto other = slurm("--print --profile one-seed --tasks 1 --set data.synthetic_train_size=500");
  EXPECT_EQ(other.status, 2) << other.output;
  EXPECT_NE(other.output.find("holds runs of other settings (--tasks 2 there, 1 here)"), std::string::npos)
      << other.output;
  EXPECT_EQ(lines(other.output), 1) << other.output;
}

}  // namespace
}  // namespace ablate
