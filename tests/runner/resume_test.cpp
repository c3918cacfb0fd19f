// What `ablate run` stores when the world around a run changed: a new database beside an old checkpoint
// folder (finished or half-finished), a claim lost to another process mid-run, a run failing on a C++
// exception, a source tree that moved on since the build.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "results/sqlite.h"
#include "results/store.h"
#include "tests/runner/run_fixture.h"

namespace ablate {
namespace {

namespace fs = std::filesystem;
using testing::ablate_command;
using testing::ChildProcess;
using testing::history_without_timing;
using testing::kSmallRun;
using testing::RunCommand;
using testing::run_command;
using testing::wait_until;

std::vector<std::string> with(std::vector<std::string> arguments, const std::vector<std::string>& more) {
  arguments.insert(arguments.end(), more.begin(), more.end());
  return arguments;
}

// A researcher cleaning up deletes the database and keeps results/checkpoints/: the next run adopts the
// final checkpoint, and the new database gets the run's whole history from it, not "finished, 0 metrics".
TEST_F(RunCommand, ANewDatabaseBesideAFinishedRunsCheckpointGetsItsWholeHistory) {
  std::string output;
  ASSERT_EQ(run_to_end("a.db", kSmallRun, &output, "shared.ckpt"), 0) << output;
  ASSERT_EQ(run_to_end("b.db", kSmallRun, &output, "shared.ckpt"), 0) << output;
  EXPECT_NE(output.find("were recorded from it"), std::string::npos) << output;

  results::Store a = open("a.db");
  results::Store b = open("b.db");
  const std::string key = a.runs().at(0).record.run_key;
  const auto run = b.find_run(key);
  ASSERT_TRUE(run);
  EXPECT_EQ(run->status, results::RunStatus::Finished);
  EXPECT_EQ(run->epochs_done, 3);
  EXPECT_EQ(run->epochs_stored, 3);
  EXPECT_EQ(history_without_timing(b, key), history_without_timing(a, key));
  const auto seconds = [&](results::Store& store) {
    std::vector<double> values;
    for (const auto& point : store.curve(key, "epoch_seconds")) values.push_back(point.value);
    return values;
  };
  EXPECT_EQ(seconds(b), seconds(a)) << "timings come from the checkpoint too";
}

// The same with a half-finished folder (epoch 2 of 4): epochs 1-2 come from the checkpoint, 3-4 are
// trained, and the history has no hole. Deterministic training makes all four equal to the original's.
TEST_F(RunCommand, ANewDatabaseBesideAHalfFinishedCheckpointHasNoGap) {
  const std::vector<std::string> four_epochs = with(kSmallRun, {"--set", "train.epochs=4"});
  std::string output;
  ASSERT_EQ(run_to_end("a.db", with(four_epochs, {"--keep-checkpoints"}), &output, "shared.ckpt"), 0) << output;
  const std::string key = open("a.db").runs().at(0).record.run_key;
  const fs::path folder = dir_ / "shared.ckpt" / key;
  for (const int64_t epoch : {3, 4}) {
    ASSERT_TRUE(fs::remove(folder / ("epoch-" + std::to_string(epoch) + ".pt")));
    fs::remove(folder / ("epoch-" + std::to_string(epoch) + ".pt.sha256"));
  }

  ASSERT_EQ(run_to_end("b.db", four_epochs, &output, "shared.ckpt"), 0) << output;
  EXPECT_NE(output.find("epoch(s) 1-2"), std::string::npos) << output;
  results::Store a = open("a.db");
  results::Store b = open("b.db");
  const auto run = b.find_run(key);
  ASSERT_TRUE(run);
  EXPECT_EQ(run->status, results::RunStatus::Finished);
  EXPECT_EQ(run->epochs_stored, 4);
  EXPECT_EQ(history_without_timing(b, key), history_without_timing(a, key));

  const auto listing = run_command(ablate_command("runs --db '" + (dir_ / "b.db").string() + "'"));
  ASSERT_EQ(listing.status, 0) << listing.output;
  EXPECT_NE(listing.output.find("4/4"), std::string::npos) << listing.output;
  EXPECT_EQ(listing.output.find("missing"), std::string::npos) << listing.output;
}

// Another runner takes over the first run (as it would after a heartbeat went stale): this process
// leaves that run alone, says so, and trains the next one instead of dying.
TEST_F(RunCommand, ALostClaimEndsThatRunQuietlyAndTheSweepGoesOn) {
  const std::vector<std::string> two_runs = {"--only", "ResNet 1x4d", "--seeds", "0,1",
                                             "--set", "data.synthetic_train_size=1000",
                                             "--set", "train.epochs=8", "--set", "train.schedule.milestones=[6]"};
  ChildProcess child(argv("t.db", two_runs), (dir_ / "t.log").string());
  ASSERT_TRUE(wait_until([&] { return epochs_done("t.db") >= 1 || !child.running(); }, std::chrono::seconds(300)));
  std::string taken;
  {
    results::Store store = open("t.db");
    const auto runs = store.runs();
    ASSERT_EQ(runs.size(), 1u) << child.output();
    taken = runs[0].record.run_key;
    ASSERT_EQ(runs[0].status, results::RunStatus::Running) << "finished before the takeover";
    store.connection().exec("UPDATE runs SET claimed_by = 'another-host:1:0000beef' WHERE status = 'running'");
  }
  EXPECT_EQ(child.wait(), 0) << child.output();
  EXPECT_NE(child.output().find("no longer ours"), std::string::npos) << child.output();
  EXPECT_NE(child.output().find("1 runs trained, 1 skipped, 0 failed"), std::string::npos) << child.output();

  results::Store store = open("t.db");
  const auto runs = store.runs();
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].record.run_key, taken);
  EXPECT_EQ(runs[0].status, results::RunStatus::Running) << "left as the new holder has it";
  EXPECT_EQ(runs[0].claimed_by, "another-host:1:0000beef");
  EXPECT_EQ(runs[0].error, "");
  EXPECT_EQ(runs[1].status, results::RunStatus::Finished);
}

// The planned run key of the small run, from a dry run.
std::string small_run_key(const std::string& db) {
  const auto plan = run_command(ablate_command("run smoke --dry-run --db '" + db +
                                               "' --only 'ResNet 1x4d' --seeds 0 --set data.synthetic_train_size=1000 "
                                               "--set train.deterministic=true"));
  std::smatch key;
  if (!std::regex_search(plan.output, key, std::regex("\\b[0-9a-f]{16}\\b"))) return "";
  return key.str();
}

// LibTorch's exceptions carry a stack trace in what(): the store keeps the one-line message, the trace
// goes to a log file that `ablate runs` names.
TEST_F(RunCommand, AFailingRunStoresOneLineAndLogsTheFullText) {
  const std::string key = small_run_key((dir_ / "none.db").string());
  ASSERT_FALSE(key.empty());
  ChildProcess child(argv("f.db", kSmallRun), (dir_ / "f.log").string());
  // A folder where the second checkpoint's temporary file must go: LibTorch's archive writer throws.
  const fs::path run_folder = dir_ / "f.db.ckpt" / key;
  fs::create_directories(run_folder / ("epoch-2.pt.tmp-" + std::to_string(child.pid())) / "blocker");
  EXPECT_EQ(child.wait(), 1) << child.output();

  results::Store store = open("f.db");
  const auto run = store.find_run(key);
  ASSERT_TRUE(run) << child.output();
  EXPECT_EQ(run->status, results::RunStatus::Failed);
  EXPECT_FALSE(run->error.empty());
  EXPECT_EQ(run->error.find('\n'), std::string::npos) << run->error;
  EXPECT_EQ(run->error_log, (run_folder / "failure.log").string());
  std::ifstream log(run->error_log);
  const std::string text((std::istreambuf_iterator<char>(log)), {});
  EXPECT_NE(text.find(run->error), std::string::npos) << text;
  EXPECT_GT(std::count(text.begin(), text.end(), '\n'), 2) << "the full text, trace included: " << text;
  EXPECT_EQ(run->epochs_done, 2) << "epoch 2's metrics are stored before its checkpoint is written";

  const auto listing = run_command(ablate_command("runs --db '" + (dir_ / "f.db").string() + "'"));
  EXPECT_NE(listing.output.find("(log: " + run->error_log + ")"), std::string::npos) << listing.output;
  EXPECT_EQ(std::count(listing.output.begin(), listing.output.end(), '\n'), 2) << listing.output;
}

// Two terminals, each with its own --db and the default checkpoint folder, would train one run into
// the same files. The folder is locked while a run trains: the second runner leaves the run alone.
TEST_F(RunCommand, TwoDatabasesDoNotTrainIntoOneCheckpointFolderAtOnce) {
  const std::string key = small_run_key((dir_ / "none.db").string());
  ASSERT_FALSE(key.empty());
  const std::vector<std::string>& small = kSmallRun;
  const fs::path folder = dir_ / "shared.ckpt" / key;
  fs::create_directories(folder);
  const int fd = ::open((folder / ".lock").c_str(), O_RDWR | O_CREAT, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
  ASSERT_EQ(::write(fd, "pid 4242\n", 9), 9);

  std::string output;
  ASSERT_EQ(run_to_end("second.db", small, &output, "shared.ckpt"), 0) << output;
  EXPECT_NE(output.find("is in use by another ablate process (pid 4242), skipped"), std::string::npos) << output;
  EXPECT_TRUE(open("second.db").runs().empty()) << "the run was not even claimed";

  ::close(fd);  // the other process is done
  ASSERT_EQ(run_to_end("second.db", small, &output, "shared.ckpt"), 0) << output;
  EXPECT_EQ(open("second.db").runs().at(0).status, results::RunStatus::Finished);
}

std::string git_head(const fs::path& repo) {
  const auto head = run_command("git -C '" + repo.string() + "' rev-parse HEAD");
  return head.status == 0 ? head.output.substr(0, 40) : "";
}

// The numbers come from the binary: a run records the commit ablate was built from, and the source tree's
// commit beside it when that moved on. GIT_DIR points the run-time lookup at another repository, as a
// tree checked out at a newer commit without rebuilding would.
TEST_F(RunCommand, RunsAreCreditedToTheCommitAblateWasBuiltFrom) {
  if (run_command("git --version").status != 0) GTEST_SKIP() << "git is not installed";
  const fs::path repo = dir_ / "moved-on";
  fs::create_directories(repo);
  const std::string git = "git -C '" + repo.string() + "' -c user.name=t -c user.email=t@t ";
  ASSERT_EQ(run_command(git + "init -q").status, 0);
  std::ofstream(repo / "file.txt") << "newer code\n";
  ASSERT_EQ(run_command(git + "add file.txt").status, 0);
  ASSERT_EQ(run_command(git + "commit -q -m newer").status, 0);
  const std::string tree_commit = git_head(repo);
  ASSERT_EQ(tree_commit.size(), 40u);

  const auto version = run_command(ablate_command("--version"));
  std::smatch built;
  const bool known = std::regex_search(version.output, built, std::regex("git ([0-9a-f]{12})"));
  const auto r = run_command("GIT_DIR='" + (repo / ".git").string() + "' " +
                             ablate_command("run smoke --profile one-seed --only 'ResNet 1x4d' --db '" +
                                            (dir_ / "g.db").string() + "' --checkpoints '" + (dir_ / "g.ckpt").string() +
                                            "' --set data.synthetic_train_size=500"));
  ASSERT_EQ(r.status, 0) << r.output;
  const results::Provenance provenance = open("g.db").runs().at(0).record.provenance;
  if (known) {
    EXPECT_EQ(provenance.git_commit.substr(0, 12), built[1].str()) << "the build's commit";
  } else {
    EXPECT_EQ(provenance.git_commit, "") << "built outside git";
  }
  EXPECT_NE(provenance.git_commit, tree_commit);
  EXPECT_EQ(provenance.tree_commit, tree_commit) << "the tree at run time, recorded beside it";
}

}  // namespace
}  // namespace ablate
