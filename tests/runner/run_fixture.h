#pragma once
// The fixture of the `ablate run` end-to-end tests: a scratch folder per test case, the smoke experiment
// started as a real process into a database there (checkpoints beside it), and readers of what it stored.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "results/store.h"
#include "tests/support/child_process.h"
#include "tests/support/run_command.h"
#include "tests/support/run_history.h"
#include "tests/support/temp_path.h"

namespace ablate::testing {

namespace fs = std::filesystem;

// One variant, one seed, small and deterministic: about a second an epoch on 2 cores.
inline const std::vector<std::string> kSmallRun = {"--only", "ResNet 1x4d", "--seeds", "0",
                                                   "--set", "data.synthetic_train_size=1000",
                                                   "--set", "train.deterministic=true"};

class RunCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ablate::testing::unique_temp_path("run_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // argv for `ablate run smoke` into database `db` with checkpoints in `checkpoints` (default: beside the
  // database, "<db>.ckpt") plus `extra`.
  std::vector<std::string> argv(const std::string& db, const std::vector<std::string>& extra,
                                const std::string& checkpoints = "") const {
    std::vector<std::string> args = {ABLATE_EXECUTABLE, "run", "smoke", "--db", (dir_ / db).string(),
                                     "--checkpoints", (dir_ / (checkpoints.empty() ? db + ".ckpt" : checkpoints)).string(),
                                     "--dir", std::string(ABLATE_SOURCE_DIR) + "/experiments"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  int run_to_end(const std::string& db, const std::vector<std::string>& extra, std::string* output = nullptr,
                 const std::string& checkpoints = "") {
    ChildProcess child(argv(db, extra, checkpoints), (dir_ / (db + ".log")).string());
    const int status = child.wait();
    if (output) *output = child.output();
    return status;
  }

  results::Store open(const std::string& db) const { return results::Store::open((dir_ / db).string()); }

  int64_t epochs_done(const std::string& db) const {
    if (!fs::exists(dir_ / db)) return 0;
    results::Store store = open(db);
    int64_t most = 0;
    for (const auto& run : store.runs()) most = std::max(most, run.epochs_done);
    return most;
  }

  fs::path dir_;
};

}  // namespace ablate::testing
