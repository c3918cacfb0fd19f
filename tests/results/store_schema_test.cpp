// The SQLite layer and the schema: bound values, transactions that roll back, forward migrations,
// refusal of newer or foreign databases, and one-line errors for unusable paths.
#include <gtest/gtest.h>

#include <fstream>

#include "results/schema.h"
#include "results/sqlite.h"
#include "results/store.h"
#include "tests/results/store_test_support.h"

namespace ablate::results {
namespace {

using testing::make_record;
using testing::ScratchDir;

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const StoreError& error) {
    return error.what();
  }
  return "";
}

TEST(Sqlite, BoundValuesRoundTripAndNamedParametersAreChecked) {
  Connection connection(":memory:", OpenMode::ReadWriteCreate);
  connection.exec("CREATE TABLE t (i INTEGER, d REAL, s TEXT)");
  const std::string text = std::string("a'b\";c\0d é", 11);
  Statement insert = connection.prepare("INSERT INTO t VALUES (:i, :d, :s)");
  insert.bind(":i", int64_t{1} << 40).bind(":d", 0.1).bind(":s", text);
  insert.run();
  EXPECT_THROW(insert.bind(":nope", 1), StoreError);

  Statement select = connection.prepare("SELECT i, d, s FROM t");
  ASSERT_TRUE(select.step());
  EXPECT_EQ(select.column_int64(0), int64_t{1} << 40);
  EXPECT_EQ(select.column_double(1), 0.1);
  EXPECT_EQ(select.column_text(2), text) << "embedded NUL and quotes survive";
  EXPECT_FALSE(select.step());
}

TEST(Sqlite, ErrorsNameTheDatabaseAndTheStatement) {
  Connection connection(":memory:", OpenMode::ReadWriteCreate);
  const std::string message = error_of([&] { connection.prepare("SELECT * FROM missing_table"); });
  EXPECT_NE(message.find(":memory:"), std::string::npos) << message;
  EXPECT_NE(message.find("missing_table"), std::string::npos) << message;
}

TEST(Sqlite, TransactionRollsBackUnlessCommitted) {
  Connection connection(":memory:", OpenMode::ReadWriteCreate);
  connection.exec("CREATE TABLE t (x INTEGER)");
  {
    Transaction transaction(connection);
    connection.exec("INSERT INTO t VALUES (1)");
  }
  EXPECT_EQ(connection.query_int64("SELECT count(*) FROM t"), 0);
  EXPECT_FALSE(connection.in_transaction());
  try {
    Transaction transaction(connection);
    connection.exec("INSERT INTO t VALUES (2)");
    throw std::runtime_error("trainer crashed mid-epoch");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(connection.query_int64("SELECT count(*) FROM t"), 0);
  {
    Transaction transaction(connection);
    connection.exec("INSERT INTO t VALUES (3)");
    transaction.commit();
  }
  EXPECT_EQ(connection.query_int64("SELECT count(*) FROM t"), 1);
}

TEST(Sqlite, CachedStatementsAreResetWhenTheLeaseEnds) {
  Connection connection(":memory:", OpenMode::ReadWriteCreate);
  connection.exec("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2), (3)");
  {
    auto statement = connection.statement("SELECT x FROM t ORDER BY x");
    ASSERT_TRUE(statement->step());  // left mid-way
  }
  auto again = connection.statement("SELECT x FROM t ORDER BY x");
  ASSERT_TRUE(again->step());
  EXPECT_EQ(again->column_int64(0), 1) << "the reused statement starts from the beginning";
}

TEST(Schema, FreshStoreIsAtTheCurrentVersionInWalMode) {
  ScratchDir dir;
  Store store = Store::open(dir.file("nested/deeper/ablate.db"));
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "nested/deeper/ablate.db"));
  EXPECT_EQ(schema_version(store.connection()), current_schema_version());
  EXPECT_EQ(store.connection().query_text("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(store.connection().query_int64("PRAGMA foreign_keys"), 1);
  EXPECT_EQ(store.connection().query_int64("PRAGMA synchronous"), 2) << "FULL";
  EXPECT_EQ(store.connection().query_int64("PRAGMA busy_timeout"), 30000);
}

TEST(Schema, MigratesAnOldDatabaseForwardKeepingItsData) {
  ScratchDir dir;
  const std::string path = dir.file("old.db");
  {
    Connection old(path, OpenMode::ReadWriteCreate);
    EXPECT_EQ(migrate(old, 1), 0);
    EXPECT_EQ(schema_version(old), 1);
    old.exec(
        "INSERT INTO experiments (name, created_at) VALUES ('depth', '2026-01-01T00:00:00.000Z');"
        "INSERT INTO runs (run_key, group_key, experiment, status, created_at) "
        "  VALUES ('r', 'g', 'depth', 'finished', '2026-01-01T00:00:00.000Z');"
        "INSERT INTO metrics VALUES (1, 1, 'val_top1_err', 12.5), (1, 2, 'val_top1_err', 11.0)");
    EXPECT_THROW(old.query_int64("SELECT count(*) FROM run_summary"), StoreError) << "views come in v2";
  }
  Store store = Store::open(path);
  EXPECT_EQ(schema_version(store.connection()), current_schema_version());
  EXPECT_EQ(store.connection().query_int64("SELECT epochs_done FROM run_summary WHERE run_key = 'r'"), 2);
  const auto curve = store.curve("r", "val_top1_err");
  ASSERT_EQ(curve.size(), 2u);
  EXPECT_DOUBLE_EQ(curve[1].value, 11.0);
  EXPECT_EQ(store.find_run("r")->status, RunStatus::Finished);
  // Version 4 records each run's precision; runs stored before it have none (shown as "-").
  EXPECT_EQ(store.find_run("r")->record.provenance.precision, "");
  // Version 5 marks evaluation-only runs; every run stored before was trained.
  EXPECT_FALSE(store.find_run("r")->record.evaluation_only);
  EXPECT_EQ(store.connection().query_int64("SELECT evaluation_only FROM run_summary WHERE run_key = 'r'"), 0);
  // Reopening an up-to-date store changes nothing.
  EXPECT_EQ(migrate(store.connection()), current_schema_version());
}

// Version 3 names the evaluation split of every run; runs stored before get it from their config.
TEST(Schema, Version3FillsInTheEvaluationSplitOfOlderRuns) {
  ScratchDir dir;
  const std::string path = dir.file("v2.db");
  {
    Connection old(path, OpenMode::ReadWriteCreate);
    EXPECT_EQ(migrate(old, 2), 0);
    old.exec(
        "INSERT INTO experiments (name, created_at) VALUES ('depth', '2026-01-01T00:00:00.000Z');"
        "INSERT INTO runs (run_key, group_key, experiment, status, config_json, git_commit, created_at) VALUES "
        "  ('on-test', 'g', 'depth', 'finished', '{\"data\": {\"val_size\": 0}}', 'abc', '2026-01-01T00:00:00.000Z'),"
        "  ('on-val', 'g', 'depth', 'finished', '{\"data\": {\"val_size\": 5000}}', 'abc', '2026-01-01T00:00:00.000Z'),"
        "  ('no-config', 'g', 'depth', 'failed', '{}', '', '2026-01-01T00:00:00.000Z');"
        "INSERT INTO metrics VALUES (1, 1, 'val_top1_err', 12.5)");
  }
  Store store = Store::open(path);
  EXPECT_EQ(schema_version(store.connection()), current_schema_version());  // through 3 and on
  EXPECT_EQ(store.find_run("on-test")->record.eval_split, "test");
  EXPECT_EQ(store.find_run("on-test")->record.provenance.precision, "") << "version 4: not recorded then";
  EXPECT_EQ(store.find_run("on-val")->record.eval_split, "val");
  EXPECT_EQ(store.find_run("no-config")->record.eval_split, "") << "unknown stays unknown";
  EXPECT_EQ(store.find_run("on-test")->record.provenance.git_commit, "abc");
  EXPECT_EQ(store.find_run("on-test")->record.provenance.tree_commit, "");
  EXPECT_EQ(store.find_run("no-config")->error_log, "");
  EXPECT_EQ(store.connection().query_text("SELECT eval_split FROM run_summary WHERE run_key = 'on-val'"), "val");
  EXPECT_EQ(store.connection().query_int64("SELECT epochs_done FROM run_summary WHERE run_key = 'on-test'"), 1);
}

TEST(Schema, ReadOnlyOpeningNeverWritesAndUpgradesAnOlderStoreInMemory) {
  ScratchDir dir;
  const std::string path = dir.file("v1.db");
  {
    Connection old(path, OpenMode::ReadWriteCreate);
    migrate(old, 1);
    old.exec(
        "INSERT INTO experiments (name, created_at) VALUES ('depth', '2026-01-01T00:00:00.000Z');"
        "INSERT INTO runs (run_key, group_key, experiment, status, created_at) "
        "  VALUES ('r', 'g', 'depth', 'finished', '2026-01-01T00:00:00.000Z');"
        "INSERT INTO metrics VALUES (1, 1, 'val_top1_err', 12.5)");
  }
  StoreOptions read_only;
  read_only.read_only = true;
  {
    Store store = Store::open(path, read_only);
    EXPECT_EQ(store.path(), path);
    EXPECT_EQ(store.runs().size(), 1u);
    EXPECT_EQ(store.curve("r", "val_top1_err").size(), 1u);
    EXPECT_THROW(store.claim_run(make_record("new")), StoreError);
  }
  Connection check(path, OpenMode::ReadOnly);
  EXPECT_EQ(schema_version(check), 1) << "the file was not migrated";

  EXPECT_THROW(Store::open(dir.file("missing.db"), read_only), StoreError);
  EXPECT_FALSE(std::filesystem::exists(dir.file("missing.db")));
}

TEST(Schema, ADroppedTableIsOneLineNamingIt) {
  ScratchDir dir;
  const std::string path = dir.file("damaged.db");
  {
    Store store = Store::open(path);
    store.claim_run(make_record("k"));
    store.connection().exec("PRAGMA foreign_keys = OFF; DROP VIEW run_summary; DROP VIEW metric_history; DROP TABLE runs");
  }
  StoreOptions read_only;
  read_only.read_only = true;
  for (const StoreOptions& options : {StoreOptions{}, read_only}) {
    const std::string message = error_of([&] { Store::open(path, options); });
    EXPECT_NE(message.find("table 'runs' is missing"), std::string::npos) << message;
    EXPECT_NE(message.find(path), std::string::npos) << message;
    EXPECT_LT(message.size(), 250u) << message;
  }
}

TEST(Sqlite, ErrorsShowAShortPrefixOfALongStatement) {
  Connection connection(":memory:", OpenMode::ReadWriteCreate);
  const std::string long_select = "SELECT " + std::string(600, 'x') + " FROM missing_table";
  const std::string message = error_of([&] { connection.prepare(long_select); });
  EXPECT_NE(message.find("missing_table"), std::string::npos) << message;
  EXPECT_LT(message.size(), 250u) << message;
}

// Version 5 marks evaluation-only runs (ablate eval); every run stored before was trained.
TEST(Schema, Version5MarksEvaluationOnlyRunsAndOlderRunsCountAsTrained) {
  ScratchDir dir;
  const std::string path = dir.file("v4.db");
  {
    Connection old(path, OpenMode::ReadWriteCreate);
    EXPECT_EQ(migrate(old, 4), 0);
    old.exec(
        "INSERT INTO experiments (name, created_at) VALUES ('depth', '2026-01-01T00:00:00.000Z');"
        "INSERT INTO runs (run_key, group_key, experiment, status, created_at) "
        "  VALUES ('trained', 'g', 'depth', 'finished', '2026-01-01T00:00:00.000Z')");
    EXPECT_THROW(old.query_int64("SELECT evaluation_only FROM runs"), StoreError) << "the column comes in v5";
  }
  Store store = Store::open(path);
  EXPECT_EQ(schema_version(store.connection()), current_schema_version());  // through 5 and on
  EXPECT_FALSE(store.find_run("trained")->record.evaluation_only);

  RunRecord evaluation = make_record("evaluated", "g2", 0, "depth");
  evaluation.evaluation_only = true;
  evaluation.epochs_planned = 1;
  ASSERT_EQ(store.claim_run(evaluation).status, ClaimStatus::New);
  store.log_epoch("evaluated", 1, {{"val_top1_err", 22.4}});
  store.finish("evaluated");
  EXPECT_TRUE(store.find_run("evaluated")->record.evaluation_only);
  EXPECT_EQ(store.connection().query_int64("SELECT evaluation_only FROM runs WHERE run_key = 'evaluated'"), 1);
  EXPECT_EQ(store.connection().query_int64("SELECT evaluation_only FROM run_summary WHERE run_key = 'evaluated'"), 1);
  EXPECT_EQ(store.connection().query_int64("SELECT evaluation_only FROM run_summary WHERE run_key = 'trained'"), 0);
  EXPECT_THROW(store.connection().exec("UPDATE runs SET evaluation_only = 2 WHERE run_key = 'evaluated'"), StoreError);
}

TEST(Schema, NewerDatabaseIsRefusedWithItsVersion) {
  ScratchDir dir;
  const std::string path = dir.file("future.db");
  {
    Store store = Store::open(path);
    store.connection().exec("PRAGMA user_version = 99");
  }
  const std::string message = error_of([&] { Store::open(path); });
  EXPECT_NE(message.find("schema version 99"), std::string::npos) << message;
  EXPECT_NE(message.find(path), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos);
}

TEST(Schema, ForeignSqliteDatabaseIsRefused) {
  ScratchDir dir;
  const std::string path = dir.file("other.db");
  {
    Connection other(path, OpenMode::ReadWriteCreate);
    other.exec("CREATE TABLE runs (whatever TEXT)");
  }
  const std::string message = error_of([&] { Store::open(path); });
  EXPECT_NE(message.find("not an ablate results store"), std::string::npos) << message;
}

TEST(Schema, UnusablePathsGiveOneLineErrorsNamingThePath) {
  ScratchDir dir;
  const std::string garbage = dir.file("garbage.db");
  std::ofstream(garbage) << std::string(8192, 'x');
  const std::string blocker = dir.file("plain-file");
  std::ofstream(blocker) << "not a directory";

  for (const std::string& path : {garbage, blocker + "/sub/ablate.db", dir.path().string()}) {
    const std::string message = error_of([&] { Store::open(path); });
    EXPECT_FALSE(message.empty()) << path;
    EXPECT_NE(message.find(path), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
  StoreOptions must_exist;
  must_exist.read_only = true;
  EXPECT_NE(error_of([&] { Store::open(dir.file("missing.db"), must_exist); }).find("does not exist"),
            std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir.file("missing.db")));
  // "" is not SQLite's temporary database here: the results would vanish at exit.
  for (const StoreOptions& options : {StoreOptions{}, must_exist}) {
    EXPECT_NE(error_of([&] { Store::open("", options); }).find("path is empty"), std::string::npos);
  }
}

TEST(Schema, ForeignKeysProtectTheHistory) {
  Store store = Store::open(":memory:");
  store.claim_run(make_record("k"));
  store.log_epoch("k", 1, {{"lr", 0.1}});
  EXPECT_THROW(store.connection().exec("INSERT INTO metrics VALUES (999, 1, 'lr', 1.0)"), StoreError);
  EXPECT_THROW(store.connection().exec("UPDATE runs SET status = 'exploded'"), StoreError);
  store.connection().exec("DELETE FROM runs WHERE run_key = 'k'");
  EXPECT_EQ(store.connection().query_int64("SELECT count(*) FROM metrics"), 0) << "metrics go with their run";
}

}  // namespace
}  // namespace ablate::results
