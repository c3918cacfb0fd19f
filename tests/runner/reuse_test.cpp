// Reuse of identical training across experiments, end to end through the real executable: a second
// experiment whose run has the same training key as a finished one adopts it (show and the dry run say
// so beforehand; runs and table say so afterwards), --no-reuse trains it again to the same numbers, and an
// interrupted twin is resumed from its checkpoints and then adopted.
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "results/store.h"
#include "tests/runner/run_fixture.h"

namespace ablate {
namespace {

namespace fs = std::filesystem;
using testing::ablate_command;
using testing::ChildProcess;
using testing::history_without_timing;
using testing::RunCommand;
using testing::run_command;
using testing::wait_until;

// The smoke experiment under another experiment name, variant name, title and labels: the same training.
void write_twin(const fs::path& folder) {
  std::ifstream in(std::string(ABLATE_SOURCE_DIR) + "/experiments/smoke.yaml");
  std::stringstream text;
  text << in.rdbuf();
  std::string yaml = text.str();
  const auto replace = [&](const std::string& from, const std::string& to) {
    for (size_t at = yaml.find(from); at != std::string::npos; at = yaml.find(from, at + to.size())) {
      yaml.replace(at, from.size(), to);
    }
  };
  replace("name: smoke", "name: twin");
  replace("ResNet 1x4d", "Narrow ResNet");
  replace("title: \"Smoke", "title: \"Twin of smoke");
  fs::create_directories(folder);
  std::ofstream(folder / "twin.yaml") << yaml;
}

class Reuse : public RunCommand {
 protected:
  // `ablate COMMAND EXPERIMENT` with the shared overrides, on database a.db (checkpoints beside it).
  std::vector<std::string> args(const std::string& command, const std::string& experiment, const std::string& variant,
                                int64_t epochs, const std::vector<std::string>& extra = {}) const {
    const std::string dir = experiment == "smoke" ? std::string(ABLATE_SOURCE_DIR) + "/experiments" : (dir_ / "exp").string();
    std::vector<std::string> a = {ABLATE_EXECUTABLE, command, experiment, "--db", (dir_ / "a.db").string(), "--dir", dir,
                                  "--set", "data.synthetic_train_size=1000", "--set", "train.deterministic=true",
                                  "--set", "train.epochs=" + std::to_string(epochs),
                                  "--set", "train.schedule.milestones=[1]"};
    if (command == "run") {
      a.insert(a.end(), {"--checkpoints", (dir_ / "ckpt").string(), "--only", variant, "--seeds", "0"});
    } else {
      a.insert(a.end(), {"--set", "seeds=[0]"});
    }
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  }
  int run(const std::vector<std::string>& argv, std::string& output) {
    ChildProcess child(argv, (dir_ / "child.log").string());
    const int status = child.wait();
    output = child.output();
    return status;
  }
  static std::string quoted(const std::vector<std::string>& argv) {
    std::string line;
    for (size_t i = 1; i < argv.size(); ++i) line += (line.empty() ? "'" : " '") + argv[i] + "'";
    return line;
  }
};

TEST_F(Reuse, ATwinAdoptsAFinishedRunAndNoReuseTrainsItToTheSameNumbers) {
  write_twin(dir_ / "exp");
  std::string output;
  ASSERT_EQ(run(args("run", "smoke", "ResNet 1x4d", 2), output), 0) << output;
  results::Store before = open("a.db");
  ASSERT_EQ(before.runs().size(), 1u);
  const std::string source = before.runs()[0].record.run_key;
  const auto trained = history_without_timing(before, source);
  ASSERT_EQ(trained.size(), 2u);

  // Said beforehand: by `show` (with the database) and by the dry run.
  const auto show = run_command(ablate_command(quoted(args("show", "twin", "", 2))));
  ASSERT_EQ(show.status, 0) << show.output;
  EXPECT_NE(show.output.find("reuse: Narrow ResNet seed 0: would adopt smoke / ResNet 1x4d seed 0 (run " + source + ")"),
            std::string::npos)
      << show.output;
  EXPECT_NE(show.output.find("0 finished, 1 would be adopted, 0 would resume a twin, 1 would train"),
            std::string::npos)
      << show.output;  // ResNeXt 4x2d has no twin
  ASSERT_EQ(run(args("run", "twin", "Narrow ResNet", 2, {"--dry-run"}), output), 0) << output;
  EXPECT_NE(output.find("0 to train, 1 to adopt, 0 finished"), std::string::npos) << output;

  ASSERT_EQ(run(args("run", "twin", "Narrow ResNet", 2), output), 0) << output;
  EXPECT_NE(output.find("adopted from smoke / ResNet 1x4d seed 0"), std::string::npos) << output;
  EXPECT_NE(output.find("0 runs trained, 1 adopted, 0 skipped, 0 failed"), std::string::npos) << output;
  std::string adopted_key;
  {
    results::Store store = open("a.db");
    const auto twins = store.runs({"twin", std::nullopt, std::nullopt});
    ASSERT_EQ(twins.size(), 1u);
    adopted_key = twins[0].record.run_key;
    EXPECT_NE(adopted_key, source);
    EXPECT_EQ(twins[0].status, results::RunStatus::Finished);
    EXPECT_EQ(twins[0].adopted_from, source);
    EXPECT_EQ(twins[0].record.variant, "Narrow ResNet");
    EXPECT_EQ(history_without_timing(store, adopted_key), trained);
  }
  // Said afterwards: runs, table.
  const auto runs = run_command(ablate_command("runs twin --db '" + (dir_ / "a.db").string() + "'"));
  ASSERT_EQ(runs.status, 0) << runs.output;
  EXPECT_NE(runs.output.find("finished (adopted from " + source.substr(0, 12) + ")"), std::string::npos) << runs.output;
  const auto table = run_command(ablate_command(quoted(args("table", "twin", "", 2))));
  ASSERT_EQ(table.status, 0) << table.output;
  EXPECT_NE(table.output.find("Narrow ResNet (adopted)"), std::string::npos) << table.output;
  EXPECT_NE(table.output.find("(adopted): results of identical training"), std::string::npos) << table.output;
  // A second run changes nothing.
  ASSERT_EQ(run(args("run", "twin", "Narrow ResNet", 2), output), 0) << output;
  EXPECT_NE(output.find("0 runs trained, 1 skipped"), std::string::npos) << output;

  // --no-reuse trains it here, and identical training gives identical numbers.
  ASSERT_EQ(run(args("run", "twin", "Narrow ResNet", 2, {"--no-reuse", "--dry-run"}), output), 0) << output;
  EXPECT_NE(output.find("1 to train, 0 to adopt, 0 finished (--no-reuse"), std::string::npos) << output;
  ASSERT_EQ(run(args("run", "twin", "Narrow ResNet", 2, {"--no-reuse"}), output), 0) << output;
  EXPECT_NE(output.find("--no-reuse trains it here"), std::string::npos) << output;
  EXPECT_NE(output.find("1 runs trained, 0 skipped"), std::string::npos) << output;
  results::Store after = open("a.db");
  const auto retrained = after.find_run(adopted_key);
  ASSERT_TRUE(retrained);
  EXPECT_EQ(retrained->adopted_from, "");
  EXPECT_EQ(retrained->status, results::RunStatus::Finished);
  EXPECT_EQ(history_without_timing(after, adopted_key), trained);
}

TEST_F(Reuse, AnInterruptedTwinResumesFromItsCheckpointsAndIsAdopted) {
  write_twin(dir_ / "exp");
  {
    ChildProcess child(args("run", "smoke", "ResNet 1x4d", 6), (dir_ / "killed.log").string());
    const auto epochs = [&] {
      if (!fs::exists(dir_ / "a.db")) return int64_t{0};
      results::Store store = open("a.db");
      const auto runs = store.runs();
      return runs.empty() ? int64_t{0} : runs[0].epochs_done;
    };
    ASSERT_TRUE(wait_until([&] { return epochs() >= 2 || !child.running(); }, std::chrono::seconds(300)));
    child.signal(SIGKILL);
    child.wait();
  }
  std::string source;
  int64_t killed_at = 0;
  {
    results::Store store = open("a.db");
    const auto runs = store.runs();
    ASSERT_EQ(runs.size(), 1u);
    ASSERT_NE(runs[0].status, results::RunStatus::Finished) << "finished before it could be killed";
    source = runs[0].record.run_key;
    killed_at = runs[0].epochs_done;
  }
  std::string output;
  ASSERT_EQ(run(args("run", "twin", "Narrow ResNet", 6, {"--dry-run"}), output), 0) << output;
  EXPECT_NE(output.find("would resume smoke / ResNet 1x4d seed 0 (run " + source + ")"), std::string::npos) << output;
  ASSERT_EQ(run(args("run", "twin", "Narrow ResNet", 6), output), 0) << output;
  EXPECT_NE(output.find("resuming it, then adopting it"), std::string::npos) << output;
  EXPECT_NE(output.find("resuming, " + std::to_string(killed_at) + " epochs stored"), std::string::npos) << output;

  results::Store store = open("a.db");
  const auto smoke = store.find_run(source);
  ASSERT_TRUE(smoke);
  EXPECT_EQ(smoke->status, results::RunStatus::Finished);
  EXPECT_EQ(smoke->epochs_done, 6);
  const auto twins = store.runs({"twin", std::nullopt, std::nullopt});
  ASSERT_EQ(twins.size(), 1u);
  EXPECT_EQ(twins[0].adopted_from, source);
  EXPECT_EQ(history_without_timing(store, twins[0].record.run_key), history_without_timing(store, source));
}

}  // namespace
}  // namespace ablate
