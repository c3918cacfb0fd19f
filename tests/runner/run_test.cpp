// `ablate run` end to end, as a real process on the smoke experiment: it learns, it skips finished work,
// a SIGKILLed run resumes to exactly the metrics of an uninterrupted one, SIGTERM leaves a killed and
// resumable run, a diverging variant is stored failed while the sweep goes on, shards partition the runs.
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <set>

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

TEST_F(RunCommand, SmokeLearnsAndASecondRunTrainsNothing) {
  std::string output;
  ASSERT_EQ(run_to_end("a.db", kSmallRun, &output), 0) << output;
  results::Store store = open("a.db");
  const auto runs = store.runs();
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].status, results::RunStatus::Finished);
  EXPECT_EQ(runs[0].epochs_done, 3);
  EXPECT_FALSE(runs[0].record.provenance.torch_version.empty());
  const auto final_metrics = store.last_metrics(runs[0].record.run_key);
  EXPECT_LT(final_metrics.values.at("val_top1_err"), 45.0) << "chance is 90%";
  EXPECT_LT(store.curve(runs[0].record.run_key, "train_loss").back().value,
            store.curve(runs[0].record.run_key, "train_loss").front().value);

  ASSERT_EQ(run_to_end("a.db", kSmallRun, &output), 0) << output;
  EXPECT_NE(output.find("0 runs trained, 1 skipped, 0 failed"), std::string::npos) << output;

  // The precision it trained in is recorded (CPU: fp32) and shown by `ablate runs`.
  EXPECT_EQ(runs[0].record.provenance.precision, "fp32");
  const auto listed = run_command(ablate_command("runs --db '" + (dir_ / "a.db").string() + "'"));
  ASSERT_EQ(listed.status, 0) << listed.output;
  EXPECT_NE(listed.output.find("PRECISION"), std::string::npos) << listed.output;
  EXPECT_NE(listed.output.find("  fp32"), std::string::npos) << listed.output;
  const auto json = run_command(ablate_command("runs --format json --db '" + (dir_ / "a.db").string() + "'"));
  EXPECT_NE(json.output.find("\"precision\": \"fp32\""), std::string::npos) << json.output;
}

// bf16 where this machine cannot run it is refused before anything trains or is stored (a "bf16" run key
// must never hold fp32 numbers); with a bf16-capable GPU the run simply trains.
TEST_F(RunCommand, Bf16WithoutASupportingGpuIsRefusedBeforeTheFirstRun) {
  std::vector<std::string> extra = kSmallRun;
  extra.insert(extra.end(), {"--set", "train.precision=bf16", "--set", "train.epochs=1",
                             "--set", "train.schedule={kind: cosine}"});
  std::string output;
  const int status = run_to_end("bf16.db", extra, &output);
  if (status == 0) GTEST_SKIP() << "this machine trains bf16: " << output;
  EXPECT_EQ(status, 2) << output;
  EXPECT_NE(output.find("ablate: error: train.precision: bf16 needs a CUDA GPU with bf16 support, but this run "
                        "would train on the CPU (train.device auto)"),
            std::string::npos)
      << output;
  EXPECT_FALSE(fs::exists(dir_ / "bf16.db"));
}

TEST_F(RunCommand, KilledRunResumesToTheUninterruptedMetrics) {
  std::vector<std::string> six_epochs = kSmallRun;
  six_epochs.insert(six_epochs.end(), {"--set", "train.epochs=6", "--set", "train.schedule.milestones=[4]"});
  std::string output;
  ASSERT_EQ(run_to_end("whole.db", six_epochs, &output), 0) << output;

  {
    ChildProcess child(argv("killed.db", six_epochs), (dir_ / "killed.log").string());
    ASSERT_TRUE(wait_until([&] { return epochs_done("killed.db") >= 2 || !child.running(); }, std::chrono::seconds(300)));
    child.signal(SIGKILL);
    EXPECT_EQ(child.wait(), 128 + SIGKILL) << child.output();
  }
  const int64_t killed_at = epochs_done("killed.db");
  ASSERT_GE(killed_at, 2);
  ASSERT_LT(killed_at, 6) << "the run finished before it could be killed";
  ASSERT_EQ(run_to_end("killed.db", six_epochs, &output), 0) << output;
  EXPECT_NE(output.find("resuming"), std::string::npos) << output;

  results::Store whole = open("whole.db");
  results::Store resumed = open("killed.db");
  const std::string key = whole.runs().at(0).record.run_key;
  ASSERT_EQ(resumed.runs().at(0).record.run_key, key);
  EXPECT_EQ(resumed.runs().at(0).status, results::RunStatus::Finished);
  const auto expected = history_without_timing(whole, key);
  ASSERT_EQ(expected.size(), 6u);
  EXPECT_EQ(history_without_timing(resumed, key), expected);
}

TEST_F(RunCommand, SigtermMarksTheRunKilledAndLeavesItResumable) {
  std::vector<std::string> long_run = kSmallRun;
  long_run.insert(long_run.end(), {"--set", "train.epochs=40", "--set", "train.schedule.milestones=[30]"});
  {
    ChildProcess child(argv("t.db", long_run), (dir_ / "t.log").string());
    ASSERT_TRUE(wait_until([&] { return epochs_done("t.db") >= 1 || !child.running(); }, std::chrono::seconds(300)));
    child.signal(SIGTERM);
    EXPECT_EQ(child.wait(), 130) << child.output();
    EXPECT_NE(child.output().find("rerun the same command to resume"), std::string::npos) << child.output();
  }
  results::Store store = open("t.db");
  const auto run = store.runs().at(0);
  EXPECT_EQ(run.status, results::RunStatus::Killed);
  bool has_checkpoint = false;
  for (const auto& entry : fs::recursive_directory_iterator(dir_ / "t.db.ckpt")) {
    has_checkpoint |= entry.path().extension() == ".pt";
  }
  EXPECT_TRUE(has_checkpoint);
  const auto plan = run_command(ablate_command("run smoke --dry-run --db '" + (dir_ / "t.db").string() +
                                               "' --only 'ResNet 1x4d' --seeds 0 --set data.synthetic_train_size=1000 "
                                               "--set train.deterministic=true --set train.epochs=40 "
                                               "--set 'train.schedule.milestones=[30]'"));
  EXPECT_EQ(plan.status, 0) << plan.output;
  EXPECT_NE(plan.output.find("killed"), std::string::npos) << plan.output;
}

TEST_F(RunCommand, DivergingVariantFailsAndTheSweepGoesOn) {
  const fs::path yaml = dir_ / "diverge.yaml";
  std::ofstream(yaml) << "name: diverge\n"
                         "extends: " << ABLATE_SOURCE_DIR << "/experiments/smoke.yaml\n"
                         "seeds: [0]\n"
                         "variants:\n"
                         "  - {name: Huge lr, model: {cardinality: 1, bottleneck_width: 4}, train: {lr: 1.0e+6},\n"
                         "     labels: {group: A, setting: 1x4d}}\n"
                         "  - {name: Fine, model: {cardinality: 1, bottleneck_width: 4}, labels: {group: B, setting: 1x4d}}\n";
  const auto r = run_command(ablate_command("run '" + yaml.string() + "' --db '" + (dir_ / "d.db").string() +
                                            "' --checkpoints '" + (dir_ / "ck").string() +
                                            "' --set data.synthetic_train_size=1000"));
  EXPECT_EQ(r.status, 1) << r.output;
  results::Store store = open("d.db");
  const auto runs = store.runs();
  ASSERT_EQ(runs.size(), 2u) << r.output;
  EXPECT_EQ(runs[0].record.variant, "Huge lr");
  EXPECT_EQ(runs[0].status, results::RunStatus::Failed);
  EXPECT_NE(runs[0].error.find("diverged at epoch 1, step"), std::string::npos) << runs[0].error;
  EXPECT_EQ(runs[1].status, results::RunStatus::Finished);

  // Failed runs are not retried unless asked.
  const auto again = run_command(ablate_command("run '" + yaml.string() + "' --db '" + (dir_ / "d.db").string() +
                                                "' --checkpoints '" + (dir_ / "ck").string() +
                                                "' --set data.synthetic_train_size=1000"));
  EXPECT_EQ(again.status, 1);
  EXPECT_NE(again.output.find("failed earlier, skipped (--retry-failed reruns it)"), std::string::npos) << again.output;
}

std::set<std::string> planned_keys(const std::string& output) {
  std::set<std::string> keys;
  std::istringstream lines(output);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string word;
    while (words >> word) {
      if (word.size() == 16 && word.find_first_not_of("0123456789abcdef") == std::string::npos) keys.insert(word);
    }
  }
  return keys;
}

TEST_F(RunCommand, ShardsAreDisjointAndCoverEveryRun) {
  const std::string base = "run smoke --dry-run --db '" + (dir_ / "none.db").string() + "'";
  const auto all = run_command(ablate_command(base));
  ASSERT_EQ(all.status, 0) << all.output;
  const auto all_keys = planned_keys(all.output);
  ASSERT_EQ(all_keys.size(), 4u) << all.output;
  std::set<std::string> covered;
  size_t total = 0;
  for (int i = 0; i < 3; ++i) {
    const auto part = run_command(ablate_command(base + " --shard " + std::to_string(i) + "/3"));
    ASSERT_EQ(part.status, 0) << part.output;
    const auto keys = planned_keys(part.output);
    total += keys.size();
    covered.insert(keys.begin(), keys.end());
  }
  EXPECT_EQ(total, all_keys.size()) << "shards overlap";
  EXPECT_EQ(covered, all_keys);
  EXPECT_FALSE(fs::exists(dir_ / "none.db")) << "a dry run must not create the database";

  for (const char* bad : {"3/3", "1/0", "a/b", "-1/2"}) {
    const auto r = run_command(ablate_command(base + " --shard " + bad));
    EXPECT_EQ(r.status, 2) << bad;
    EXPECT_NE(r.output.find("--shard"), std::string::npos) << r.output;
  }
  const auto unknown = run_command(ablate_command(base + " --only 'ResNeXt 9x9d'"));
  EXPECT_EQ(unknown.status, 2);
  EXPECT_NE(unknown.output.find("no such variant"), std::string::npos) << unknown.output;
}

}  // namespace
}  // namespace ablate
