// `ablate runs` and `ablate merge` through the real executable, the one-line error with exit status 2
// for unusable databases and paths (unwritable location, corrupt file, newer schema, missing file, empty
// path, dropped table), merges that leave the output alone when an input fails, and reading a database
// in a folder nobody may write to.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>

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

using testing::quoted;

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
  EXPECT_FALSE(std::filesystem::exists(db + "-wal")) << "a reader tidies up like a writer";
  EXPECT_FALSE(std::filesystem::exists(db + "-shm"));
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

  const std::string damaged = dir.file("damaged.db");
  fill(damaged);
  {
    results::Store store = results::Store::open(damaged);
    store.connection().exec("PRAGMA foreign_keys = OFF; DROP VIEW run_summary; DROP VIEW metric_history; DROP TABLE runs");
  }
  const auto dropped = run_command(ablate_command("runs --db " + quoted(damaged)));
  expect_one_line_error(dropped, damaged);
  EXPECT_NE(dropped.output.find("table 'runs' is missing"), std::string::npos) << dropped.output;
  EXPECT_LT(dropped.output.size(), 250u) << "no page of SQL";
  expect_one_line_error(run_command(ablate_command("runs --status bogus --db " + quoted(good))), "bogus");
}

const std::string kExperiments = std::string("--dir '") + ABLATE_SOURCE_DIR + "/experiments'";

// Paths that would silently mean something else: "" is SQLite's temporary database (results gone at
// exit) or the current folder (checkpoints strewn there); a file where the checkpoint folder should be
// would fail every run one by one; a missing database is not an empty table.
TEST(StoreErrors, PathsThatWouldMeanSomethingElseAreRefusedUpFront) {
  ScratchDir dir;
  const std::string small = "run smoke --profile one-seed --only 'ResNet 1x4d' " + kExperiments + " ";
  const auto no_db = run_command("cd " + quoted(dir.path().string()) + " && " + ablate_command(small + "--db ''"));
  expect_one_line_error(no_db, "--db");
  const auto no_checkpoints = run_command("cd " + quoted(dir.path().string()) + " && " +
                                          ablate_command(small + "--db r.db --checkpoints ''"));
  expect_one_line_error(no_checkpoints, "--checkpoints");
  const std::string file = dir.file("a-file");
  std::ofstream(file) << "not a folder\n";
  expect_one_line_error(run_command(ablate_command(small + "--db " + quoted(dir.file("r.db")) + " --checkpoints " +
                                                   quoted(file))),
                        file);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1) << "nothing but a-file";

  const std::string missing = dir.file("missing.db");
  for (const std::string& command : {"table smoke " + kExperiments, "report smoke " + kExperiments, std::string("runs")}) {
    const auto r = run_command(ablate_command(command + " --db " + quoted(missing)));
    expect_one_line_error(r, missing);
    EXPECT_NE(r.output.find("does not exist"), std::string::npos) << command << ": " << r.output;
  }
  EXPECT_FALSE(std::filesystem::exists(missing));
  expect_one_line_error(run_command(ablate_command("table smoke " + kExperiments + " --db ''")), "empty");
}

TEST(StoreErrors, EpochsShowGapsInAStoredHistory) {
  ScratchDir dir;
  const std::string db = dir.file("gap.db");
  {
    results::Store store = results::Store::open(db);
    results::RunRecord record = make_record("gappy", "g", 0, "smoke", "");
    record.epochs_planned = 8;
    store.claim_run(record);
    for (int64_t epoch = 5; epoch <= 6; ++epoch) store.log_epoch("gappy", epoch, {{"val_top1_err", 10.0}});
    store.mark_killed("gappy");
  }
  const auto listing = run_command(ablate_command("runs --db " + quoted(db)));
  ASSERT_EQ(listing.status, 0) << listing.output;
  EXPECT_NE(listing.output.find("6/8, 1-4 missing"), std::string::npos) << listing.output;
  const auto json = nlohmann::json::parse(run_command(ablate_command("runs --format json --db " + quoted(db))).output);
  EXPECT_EQ(json[0]["epochs_stored"], 2);
  EXPECT_EQ(json[0]["epochs_missing"], "1-4");
}

// An input that breaks a foreign key half-way through the merge (a hand-edited shard) must not leave the
// first input's runs in the output: the output is untouched, or not created at all.
TEST(MergeCommand, ABadSecondInputLeavesTheOutputAsItWas) {
  ScratchDir dir;
  const std::string a = dir.file("a.db"), b = dir.file("b.db");
  fill(a);
  {
    results::Store store = results::Store::open(b);
    store.claim_run(make_record("ffff6666", "g9", 0, "orphaned", "cpu"));
    store.connection().exec("PRAGMA foreign_keys = OFF; DELETE FROM experiments WHERE name = 'orphaned'");
  }
  const std::string fresh = dir.file("fresh.db");
  const auto failed = run_command(ablate_command("merge " + quoted(fresh) + " " + quoted(a) + " " + quoted(b)));
  expect_one_line_error(failed, b);
  EXPECT_FALSE(std::filesystem::exists(fresh)) << failed.output;

  const std::string existing = dir.file("existing.db");
  {
    results::Store store = results::Store::open(existing);
    store.claim_run(make_record("0000aaaa", "g0", 0, "width", "cpu"));
    store.finish("0000aaaa");
  }
  expect_one_line_error(run_command(ablate_command("merge " + quoted(existing) + " " + quoted(a) + " " + quoted(b))),
                        b);
  results::Store store = results::Store::open(existing);
  EXPECT_EQ(store.runs().size(), 1u) << "none of a's runs went in";
}

// Runs `command_line` as the unprivileged user `nobody` when the tests run as root (a read-only folder
// does not stop root), as is otherwise. Empty optional: nobody cannot reach the executable here.
std::optional<testing::CommandResult> run_unprivileged(const std::string& command_line) {
  if (::geteuid() != 0) return run_command(command_line);
  const std::string as_nobody = "setpriv --reuid=65534 --regid=65534 --clear-groups ";
  if (run_command(as_nobody + "test -x '" + std::string(ABLATE_EXECUTABLE) + "' -a -r '" + ABLATE_SOURCE_DIR +
                  "/experiments/smoke.yaml'")
          .status != 0) {
    return std::nullopt;
  }
  return run_command(as_nobody + command_line);
}

TEST(StoreErrors, ReadCommandsWorkOnADatabaseInAReadOnlyFolder) {
  ScratchDir dir;
  const std::filesystem::path folder = dir.path() / "shipped";
  std::filesystem::create_directories(folder);
  const std::string db = (folder / "results.db").string();
  fill(db);
  ::chmod(dir.path().c_str(), 0755);
  ::chmod(db.c_str(), 0644);
  ::chmod(folder.c_str(), 0555);
  struct Writable {
    std::filesystem::path folder;
    ~Writable() { ::chmod(folder.c_str(), 0755); }
  } restore{folder};

  const auto runs = run_unprivileged(ablate_command("runs --db " + quoted(db)));
  if (!runs) GTEST_SKIP() << "user nobody cannot run " << ABLATE_EXECUTABLE;
  EXPECT_EQ(runs->status, 0) << runs->output;
  EXPECT_NE(runs->output.find("20.25"), std::string::npos) << runs->output;
  for (const std::string& command : {"table smoke " + kExperiments, "run smoke --dry-run " + kExperiments}) {
    const auto r = run_unprivileged(ablate_command(command + " --db " + quoted(db)));
    EXPECT_EQ(r->status, 0) << command << ": " << r->output;
  }
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(folder), {}), 1) << "no -wal or -shm left behind";
}

}  // namespace
}  // namespace ablate
