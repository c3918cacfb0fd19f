// `ablate run` data-parallel, end to end as real processes (Gloo over loopback, a free port per case):
// --nproc 2 trains one stored run over the whole eval set with a loss that falls like one process's; a
// torchrun-style environment set by the test joins the same group and gets the same numbers; a SIGKILLed
// worker stops the group at once, the run is stored killed naming the rank and resumes to exactly the
// uninterrupted run's metrics; SIGTERM to the launcher stops every worker within seconds; batch and
// world sizes that cannot work are refused before anything trains; a streamed ImageFolder run trains on
// two processes too.
#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "results/store.h"
#include "tests/support/child_process.h"
#include "tests/support/free_port.h"
#include "tests/support/image_tree.h"
#include "tests/support/run_command.h"
#include "tests/support/run_history.h"
#include "tests/support/temp_path.h"

namespace ablate {
namespace {

namespace fs = std::filesystem;
using testing::ChildProcess;
using testing::history_without_timing;
using testing::wait_until;
using Clock = std::chrono::steady_clock;

// One variant, one seed, deterministic, one thread per process; 499 test images (a prime), so an error
// rate counted over any other number of images (one rank's share, or the set twice) shows.
const std::vector<std::string> kSmallRun = {"--only", "ResNet 1x4d", "--seeds", "0",
                                            "--set", "data.synthetic_train_size=1000",
                                            "--set", "data.synthetic_test_size=499",
                                            "--set", "train.deterministic=true",
                                            "--set", "train.threads=1"};

std::vector<std::string> with(std::vector<std::string> base, const std::vector<std::string>& extra) {
  base.insert(base.end(), extra.begin(), extra.end());
  return base;
}

// The worker of rank `rank` among the children of the launcher `launcher` (-1 when not found).
pid_t worker_of_rank(pid_t launcher, int rank) {
  std::ifstream children_file("/proc/" + std::to_string(launcher) + "/task/" + std::to_string(launcher) + "/children");
  pid_t child;
  while (children_file >> child) {
    std::ifstream environ("/proc/" + std::to_string(child) + "/environ", std::ios::binary);
    std::string variable;
    while (std::getline(environ, variable, '\0')) {
      if (variable == "RANK=" + std::to_string(rank)) return child;
    }
  }
  return -1;
}

class DataParallelRun : public ::testing::Test {
 protected:
  std::vector<std::string> argv(const std::string& db, const std::vector<std::string>& extra) const {
    return with({ABLATE_EXECUTABLE, "run", "smoke", "--db", dir_.file(db), "--checkpoints", dir_.file(db + ".ckpt"),
                 "--dir", std::string(ABLATE_SOURCE_DIR) + "/experiments"},
                extra);
  }

  int run_to_end(const std::string& db, const std::vector<std::string>& extra, std::string* output = nullptr) {
    ChildProcess child(argv(db, extra), dir_.file(db + ".log"));
    const int status = child.wait();
    if (output) *output = child.output();
    return status;
  }

  results::Store open(const std::string& db) const { return results::Store::open(dir_.file(db)); }

  int64_t epochs_done(const std::string& db) const {
    if (!fs::exists(dir_.file(db))) return 0;
    int64_t most = 0;
    for (const auto& run : open(db).runs()) most = std::max(most, run.epochs_done);
    return most;
  }

  // The only run of `db`.
  results::RunInfo only_run(const std::string& db) const {
    const auto runs = open(db).runs();
    EXPECT_EQ(runs.size(), 1u);
    return runs.at(0);
  }

  testing::CaseTempDir dir_{"dp"};
};

TEST_F(DataParallelRun, TwoProcessesTrainOneRunAndATorchrunEnvironmentJoinsTheSameGroup) {
  std::string output;
  ASSERT_EQ(run_to_end("two.db", with(kSmallRun, {"--nproc", "2"}), &output), 0) << output;
  const results::RunInfo two = only_run("two.db");
  EXPECT_EQ(two.status, results::RunStatus::Finished);
  EXPECT_EQ(two.epochs_done, 3);
  EXPECT_NE(two.record.provenance.device.find("2 processes x cpu (1 threads), gloo"), std::string::npos)
      << two.record.provenance.device;
  const auto history = history_without_timing(open("two.db"), two.record.run_key);
  for (const auto& [epoch, metrics] : history) {
    const double wrong = metrics.at("val_top1_err") * 499 / 100;
    EXPECT_NEAR(wrong, std::round(wrong), 1e-6) << "epoch " << epoch << ": val error not over the 499 test images once";
  }

  // One process, same global batch: the same run key, and a loss that falls alike (BatchNorm statistics
  // are per replica, so the numbers differ a little).
  ASSERT_EQ(run_to_end("one.db", kSmallRun, &output), 0) << output;
  const results::RunInfo one = only_run("one.db");
  EXPECT_EQ(one.record.run_key, two.record.run_key) << "the number of processes is not part of the run";
  const auto alone = history_without_timing(open("one.db"), one.record.run_key);
  EXPECT_LT(history.at(3).at("train_loss"), 0.7 * history.at(1).at("train_loss"));
  EXPECT_NEAR(history.at(3).at("train_loss"), alone.at(3).at("train_loss"), 0.25 * alone.at(3).at("train_loss"));
  EXPECT_NEAR(history.at(3).at("val_top1_err"), alone.at(3).at("val_top1_err"), 15.0);

  // The same run started as two processes by hand, as torchrun starts them: the same group, the same numbers.
  const std::string port = std::to_string(testing::free_port());
  std::vector<std::unique_ptr<ChildProcess>> ranks;
  for (int rank = 0; rank < 2; ++rank) {
    ranks.push_back(std::make_unique<ChildProcess>(
        argv("torchrun.db", kSmallRun), dir_.file("torchrun-" + std::to_string(rank) + ".log"),
        std::vector<std::pair<std::string, std::string>>{{"RANK", std::to_string(rank)},
                                                         {"WORLD_SIZE", "2"},
                                                         {"LOCAL_RANK", std::to_string(rank)},
                                                         {"LOCAL_WORLD_SIZE", "2"},
                                                         {"MASTER_ADDR", "127.0.0.1"},
                                                         {"MASTER_PORT", port}}));
  }
  for (auto& rank : ranks) EXPECT_EQ(rank->wait(), 0) << rank->output();
  const results::RunInfo joined = only_run("torchrun.db");
  EXPECT_EQ(joined.status, results::RunStatus::Finished);
  EXPECT_EQ(history_without_timing(open("torchrun.db"), joined.record.run_key), history);
}

TEST_F(DataParallelRun, AStreamedImageFolderRunTrainsOnTwoProcesses) {
  // The streaming loader takes its shares by the same rule: 24 training images in batches of 6 (3 a rank),
  // 9 validation images in batches of 8 (4 + 4, then 1 + an empty part for rank 1).
  testing::write_class_tree(dir_.file("tree"), {"ant", "bee", "cat"}, 8, 3);
  const std::string yaml = dir_.write("tiny.yaml", R"(name: tiny-imagenet
base:
  model: {stem: imagenet, blocks: [1, 1], base_channels: 8, stem_channels: 8, cardinality: 2, bottleneck_width: 4}
  data: {dataset: imagenet, horizontal_flip: true, image_size: 64, workers: 1}
  train: {epochs: 3, batch_size: 6, eval_batch_size: 8, lr: 0.05, weight_decay: 1.0e-4, schedule: {kind: cosine},
          deterministic: true, threads: 1}
variants:
  - name: ResNeXt tiny
)");
  ChildProcess launcher({ABLATE_EXECUTABLE, "run", yaml, "--set", "data.root=" + dir_.file("tree"), "--nproc", "2",
                         "--db", dir_.file("img.db"), "--checkpoints", dir_.file("img.ckpt")},
                        dir_.file("img.log"));
  ASSERT_EQ(launcher.wait(), 0) << launcher.output();
  const results::RunInfo run = only_run("img.db");
  EXPECT_EQ(run.status, results::RunStatus::Finished);
  EXPECT_NE(run.record.provenance.device.find("2 processes"), std::string::npos) << run.record.provenance.device;
  const auto history = history_without_timing(open("img.db"), run.record.run_key);
  ASSERT_EQ(history.size(), 3u);
  for (const auto& [epoch, metrics] : history) {
    const double wrong = metrics.at("val_top1_err") * 9 / 100;
    EXPECT_NEAR(wrong, std::round(wrong), 1e-6) << "epoch " << epoch << ": val error not over the 9 images once";
  }
  EXPECT_LT(history.at(3).at("train_loss"), history.at(1).at("train_loss"));
}

TEST_F(DataParallelRun, KilledWorkerStopsTheGroupAndTheRunResumesExactly) {
  const auto six_epochs = with(kSmallRun, {"--set", "train.epochs=6", "--set", "train.schedule.milestones=[4]",
                                           "--nproc", "2", "--collective-timeout", "30"});
  std::string output;
  ASSERT_EQ(run_to_end("whole.db", six_epochs, &output), 0) << output;
  {
    ChildProcess launcher(argv("killed.db", six_epochs), dir_.file("killed.log"));
    ASSERT_TRUE(wait_until([&] { return epochs_done("killed.db") >= 2 || !launcher.running(); }, std::chrono::seconds(300)));
    const pid_t rank1 = worker_of_rank(launcher.pid(), 1);
    ASSERT_GT(rank1, 0) << launcher.output();
    ::kill(rank1, SIGKILL);
    const auto killed_at = Clock::now();
    const int status = launcher.wait();
    EXPECT_NE(status, 0) << launcher.output();
    EXPECT_LT(std::chrono::duration<double>(Clock::now() - killed_at).count(), 30) << "within the collective timeout";
  }
  const results::RunInfo killed = only_run("killed.db");
  EXPECT_EQ(killed.status, results::RunStatus::Killed);
  EXPECT_EQ(killed.error, "rank 1 of 2 was killed by signal 9 (SIGKILL)");
  ASSERT_LT(killed.epochs_done, 6) << "the run finished before it could be killed";

  ASSERT_EQ(run_to_end("killed.db", six_epochs, &output), 0) << output;
  EXPECT_NE(output.find("resuming"), std::string::npos) << output;
  const std::string key = only_run("whole.db").record.run_key;
  EXPECT_EQ(only_run("killed.db").status, results::RunStatus::Finished);
  const auto expected = history_without_timing(open("whole.db"), key);
  ASSERT_EQ(expected.size(), 6u);
  EXPECT_EQ(history_without_timing(open("killed.db"), key), expected);
}

TEST_F(DataParallelRun, KilledRankZeroLeavesItsRunKilledForTheNextInvocation) {
  const auto long_run = with(kSmallRun, {"--set", "train.epochs=40", "--nproc", "2", "--collective-timeout", "30"});
  ChildProcess launcher(argv("root.db", long_run), dir_.file("root.log"));
  ASSERT_TRUE(wait_until([&] { return epochs_done("root.db") >= 1 || !launcher.running(); }, std::chrono::seconds(300)));
  const pid_t rank0 = worker_of_rank(launcher.pid(), 0);
  ASSERT_GT(rank0, 0) << launcher.output();
  ::kill(rank0, SIGKILL);
  EXPECT_NE(launcher.wait(), 0) << launcher.output();
  const results::RunInfo run = only_run("root.db");
  EXPECT_EQ(run.status, results::RunStatus::Killed);
  EXPECT_EQ(run.error, "rank 0 of 2 was killed by signal 9 (SIGKILL)");
}

TEST_F(DataParallelRun, SigtermToTheLauncherStopsEveryWorkerWithinSeconds) {
  const auto long_run = with(kSmallRun, {"--set", "train.epochs=40", "--nproc", "2"});
  ChildProcess launcher(argv("t.db", long_run), dir_.file("t.log"));
  ASSERT_TRUE(wait_until([&] { return epochs_done("t.db") >= 1 || !launcher.running(); }, std::chrono::seconds(300)));
  const pid_t rank0 = worker_of_rank(launcher.pid(), 0), rank1 = worker_of_rank(launcher.pid(), 1);
  ASSERT_GT(rank0, 0);
  ASSERT_GT(rank1, 0);
  const auto signalled = Clock::now();
  launcher.signal(SIGTERM);
  EXPECT_EQ(launcher.wait(), 130) << launcher.output();
  EXPECT_LT(std::chrono::duration<double>(Clock::now() - signalled).count(), 10);
  EXPECT_NE(::kill(rank0, 0), 0) << "rank 0 still running";
  EXPECT_NE(::kill(rank1, 0), 0) << "rank 1 still running";
  EXPECT_EQ(only_run("t.db").status, results::RunStatus::Killed);
  int64_t checkpoints = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir_.file("t.db.ckpt"))) {
    const std::string name = entry.path().filename().string();
    EXPECT_EQ(name.find(".tmp"), std::string::npos) << "a half-written checkpoint: " << name;
    checkpoints += entry.path().extension() == ".pt";
  }
  EXPECT_GE(checkpoints, 1);
}

TEST_F(DataParallelRun, BatchAndWorldSizesThatCannotWorkAreRefused) {
  const std::string base = testing::ablate_command("run smoke --only 'ResNet 1x4d' --seeds 0 --db '" + dir_.file("e.db") +
                                                   "' --dir '" + ABLATE_SOURCE_DIR + "/experiments'");
  struct Case {
    std::string command, message;
  };
  const std::vector<Case> cases = {
      {base + " --nproc 3",
       "train.batch_size: the global batch of 100 does not split evenly over 3 processes"},
      {base + " --nproc 0", "--nproc"},
      {"RANK=2 WORLD_SIZE=2 LOCAL_RANK=0 MASTER_ADDR=127.0.0.1 MASTER_PORT=1 " + base,
       "torchrun environment: RANK=2 is not below WORLD_SIZE=2"},
      {"RANK=0 WORLD_SIZE=0 " + base, "WORLD_SIZE='0': expected an integer >= 1"},
      {"RANK=0 WORLD_SIZE=2 LOCAL_RANK=0 MASTER_ADDR=127.0.0.1 MASTER_PORT=1 " + base + " --nproc 3",
       "--nproc 3: this process is rank 0 of 2 processes"},
      {"RANK=0 WORLD_SIZE=3 LOCAL_RANK=0 MASTER_ADDR=127.0.0.1 MASTER_PORT=1 " + base,
       "does not split evenly over 3 processes"},
  };
  for (const Case& c : cases) {
    const testing::CommandResult result = testing::run_command(c.command);
    EXPECT_EQ(result.status, 2) << c.command << "\n" << result.output;
    EXPECT_NE(result.output.find(c.message), std::string::npos) << c.command << "\n" << result.output;
  }
  EXPECT_FALSE(fs::exists(dir_.file("e.db"))) << "nothing is stored for a refused launch";
}

}  // namespace
}  // namespace ablate
