// `ablate runs` and `ablate merge` through the real executable, and the one-line error with exit status 2
// for unusable databases (unwritable location, corrupt file, newer schema, missing file).
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

#include "results/sqlite.h"
#include "results/store.h"
#include "tests/results/store_test_support.h"
#include "tests/support/run_command.h"

namespace ablate {
namespace {

using results::testing::make_record;
using results::testing::ScratchDir;
using testing::ablate_command;
using testing::run_command;

std::string quoted(const std::string& path) { return "'" + path + "'"; }

// Exit status 2 and exactly one line `ablate: error: ...` that names `path`.
void expect_one_line_error(const testing::CommandResult& result, const std::string& path) {
  EXPECT_EQ(result.status, 2) << result.output;
  EXPECT_EQ(result.output.rfind("ablate: error: ", 0), 0u) << result.output;
  EXPECT_EQ(std::count(result.output.begin(), result.output.end(), '\n'), 1) << result.output;
  EXPECT_NE(result.output.find(path), std::string::npos) << result.output;
}

const std::string kVariant = "ResNeXt-29 \"8×64d\"; it's";

void fill(const std::string& db) {
  results::Store store = results::Store::open(db);
  results::RunRecord done = make_record("aaaa1111bbbb2222", "g1", 0, "cardinality", "cpu");
  done.variant = kVariant;
  store.claim_run(done);
  store.log_epoch(done.run_key, 1, {{"val_top1_err", 31.5}, {"train_loss", 1.25}});
  store.log_epoch(done.run_key, 2, {{"val_top1_err", 20.25}, {"train_loss", 0.5}, {"val_top5_err", 3.0}});
  store.finish(done.run_key);
  store.claim_run(make_record("cccc3333", "g2", 1, "cardinality", "cpu"));
  store.fail("cccc3333", "NaN loss at epoch 1");
  store.claim_run(make_record("dddd4444", "g3", 0, "depth", "quick"));
}

TEST(RunsCommand, ListsRunsWithStatusEpochsLastMetricsAndError) {
  ScratchDir dir;
  const std::string db = dir.file("r.db");
  fill(db);
  const auto all = run_command(ablate_command("runs --db " + quoted(db)));
  ASSERT_EQ(all.status, 0) << all.output;
  EXPECT_NE(all.output.find("EXPERIMENT"), std::string::npos) << all.output;
  EXPECT_NE(all.output.find(kVariant), std::string::npos) << all.output;
  EXPECT_NE(all.output.find("finished"), std::string::npos);
  EXPECT_NE(all.output.find("2/3"), std::string::npos);
  EXPECT_NE(all.output.find("20.25"), std::string::npos);
  EXPECT_NE(all.output.find("NaN loss at epoch 1"), std::string::npos);
  EXPECT_NE(all.output.find("depth"), std::string::npos);

  const auto failed = run_command(ablate_command("runs cardinality --status failed --db " + quoted(db)));
  ASSERT_EQ(failed.status, 0) << failed.output;
  EXPECT_NE(failed.output.find("cccc3333"), std::string::npos) << failed.output;
  EXPECT_EQ(failed.output.find("aaaa1111"), std::string::npos) << failed.output;

  const auto json = run_command(ablate_command("runs cardinality --format json --db " + quoted(db)));
  ASSERT_EQ(json.status, 0) << json.output;
  const auto list = nlohmann::json::parse(json.output);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["run_key"], "aaaa1111bbbb2222");
  EXPECT_EQ(list[0]["variant"], kVariant);
  EXPECT_EQ(list[0]["status"], "finished");
  EXPECT_EQ(list[0]["epochs_done"], 2);
  EXPECT_EQ(list[0]["last_metrics"]["val_top1_err"], 20.25);
  EXPECT_EQ(list[1]["error"], "NaN loss at epoch 1");

  const auto none = run_command(ablate_command("runs no-such-experiment --db " + quoted(db)));
  EXPECT_EQ(none.status, 0);
  EXPECT_NE(none.output.find("no runs"), std::string::npos);
  EXPECT_EQ(run_command(ablate_command("runs --status bogus --db " + quoted(db))).status, 2);
}

TEST(MergeCommand, MergesShardsIntoOneCheckedDatabase) {
  ScratchDir dir;
  const std::string a = dir.file("a.db"), b = dir.file("b.db"), out = dir.file("merged/all.db");
  fill(a);
  {
    results::Store store = results::Store::open(b);
    store.claim_run(make_record("eeee5555", "g9", 0, "width", "cpu"));
    store.log_epoch("eeee5555", 1, {{"val_top1_err", 9.0}});
    store.finish("eeee5555");
  }
  const auto merged = run_command(ablate_command("merge " + quoted(out) + " " + quoted(a) + " " + quoted(b)));
  ASSERT_EQ(merged.status, 0) << merged.output;
  EXPECT_NE(merged.output.find("4 runs added"), std::string::npos) << merged.output;
  EXPECT_NE(merged.output.find("integrity_check ok"), std::string::npos) << merged.output;
  results::Store store = results::Store::open(out);
  EXPECT_EQ(store.runs().size(), 4u);
  EXPECT_EQ(store.find_run("eeee5555")->status, results::RunStatus::Finished);
}

TEST(StoreErrors, UnusableDatabasesGiveOneLineAndExitStatusTwo) {
  ScratchDir dir;
  const std::string corrupt = dir.file("corrupt.db");
  std::ofstream(corrupt) << std::string(10000, '\x5a');
  const std::string plain_file = dir.file("plain-file");
  std::ofstream(plain_file) << "a file, so nothing can be created below it\n";
  const std::string unwritable = plain_file + "/results/out.db";
  const std::string missing = dir.file("missing.db");
  const std::string future = dir.file("future.db");
  {
    results::Store store = results::Store::open(future);
    store.connection().exec("PRAGMA user_version = 1000");
  }
  const std::string good = dir.file("good.db");
  fill(good);

  expect_one_line_error(run_command(ablate_command("runs --db " + quoted(corrupt))), corrupt);
  expect_one_line_error(run_command(ablate_command("runs --db " + quoted(missing))), missing);
  expect_one_line_error(run_command(ablate_command("runs --db " + quoted(future))), future);
  expect_one_line_error(run_command(ablate_command("runs --db " + quoted(dir.path().string()))),
                        dir.path().string());
  expect_one_line_error(run_command(ablate_command("merge " + quoted(unwritable) + " " + quoted(good))),
                        unwritable);
  expect_one_line_error(run_command(ablate_command("merge " + quoted(dir.file("o.db")) + " " + quoted(corrupt))),
                        corrupt);
  EXPECT_FALSE(std::filesystem::exists(missing)) << "listing never creates a database";
}

}  // namespace
}  // namespace ablate
