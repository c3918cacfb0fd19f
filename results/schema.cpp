#include "results/schema.h"

#include <fmt/format.h>

#include "results/sqlite.h"
#include "results/training_keys.h"

namespace ablate::results {

namespace {

// Version 1: the tables. Timestamps are ISO 8601 UTC text (readable, and SQLite's julianday() parses
// them). Metrics are keyed (run_id, name, epoch) without a rowid: curves and final/best lookups read one
// contiguous range of the primary key.
const std::vector<std::string> kVersion1 = {
    R"sql(CREATE TABLE experiments (
  name        TEXT PRIMARY KEY NOT NULL,
  title       TEXT NOT NULL DEFAULT '',
  source_path TEXT NOT NULL DEFAULT '',
  source_text TEXT NOT NULL DEFAULT '',
  created_at  TEXT NOT NULL
))sql",
    R"sql(CREATE TABLE runs (
  id             INTEGER PRIMARY KEY,
  run_key        TEXT NOT NULL UNIQUE,
  group_key      TEXT NOT NULL,
  experiment     TEXT NOT NULL REFERENCES experiments(name) ON UPDATE CASCADE,
  profile        TEXT NOT NULL DEFAULT '',
  variant        TEXT NOT NULL DEFAULT '',
  seed           INTEGER NOT NULL DEFAULT 0,
  config_json    TEXT NOT NULL DEFAULT '{}',
  paper_json     TEXT NOT NULL DEFAULT '{}',
  labels_json    TEXT NOT NULL DEFAULT '{}',
  status         TEXT NOT NULL DEFAULT 'queued'
                 CHECK (status IN ('queued', 'running', 'finished', 'failed', 'killed')),
  error          TEXT NOT NULL DEFAULT '',
  claimed_by     TEXT NOT NULL DEFAULT '',
  created_at     TEXT NOT NULL,
  started_at     TEXT,
  ended_at       TEXT,
  heartbeat_at   TEXT,
  host           TEXT NOT NULL DEFAULT '',
  git_commit     TEXT NOT NULL DEFAULT '',
  git_dirty      INTEGER NOT NULL DEFAULT 0 CHECK (git_dirty IN (0, 1)),
  torch_version  TEXT NOT NULL DEFAULT '',
  device         TEXT NOT NULL DEFAULT '',
  command_line   TEXT NOT NULL DEFAULT '',
  dataset_digest TEXT NOT NULL DEFAULT '',
  params         INTEGER NOT NULL DEFAULT 0,
  macs           INTEGER NOT NULL DEFAULT 0,
  epochs_planned INTEGER NOT NULL DEFAULT 0
))sql",
    R"sql(CREATE TABLE metrics (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  epoch  INTEGER NOT NULL CHECK (epoch >= 1),
  name   TEXT NOT NULL,
  value  REAL,
  PRIMARY KEY (run_id, name, epoch)
) WITHOUT ROWID)sql",
};

// Version 2: indexes for the listing and aggregation queries, and the views people read.
const std::vector<std::string> kVersion2 = {
    "CREATE INDEX runs_by_experiment ON runs(experiment, profile, status)",
    "CREATE INDEX runs_by_group ON runs(group_key)",
    R"sql(CREATE VIEW run_summary AS
SELECT r.id AS run_id, r.run_key, r.group_key, r.experiment, r.profile, r.variant, r.seed, r.status,
  (SELECT MAX(m.epoch) FROM metrics m WHERE m.run_id = r.id) AS epochs_done,
  r.epochs_planned,
  (SELECT m.value FROM metrics m WHERE m.run_id = r.id AND m.name = 'val_top1_err'
     ORDER BY m.epoch DESC LIMIT 1) AS final_val_top1_err,
  (SELECT MIN(m.value) FROM metrics m WHERE m.run_id = r.id AND m.name = 'val_top1_err')
     AS best_val_top1_err,
  (SELECT m.value FROM metrics m WHERE m.run_id = r.id AND m.name = 'val_top5_err'
     ORDER BY m.epoch DESC LIMIT 1) AS final_val_top5_err,
  (SELECT MIN(m.value) FROM metrics m WHERE m.run_id = r.id AND m.name = 'val_top5_err')
     AS best_val_top5_err,
  (SELECT SUM(m.value) FROM metrics m WHERE m.run_id = r.id AND m.name = 'epoch_seconds') AS wall_seconds,
  (SELECT AVG(m.value) FROM metrics m WHERE m.run_id = r.id AND m.name = 'images_per_sec')
     AS images_per_sec,
  r.params, r.macs, r.started_at, r.ended_at, r.error
FROM runs r)sql",
    R"sql(CREATE VIEW metric_history AS
SELECT r.run_key, r.experiment, r.profile, r.variant, r.seed, m.epoch, m.name, m.value
FROM metrics m JOIN runs r ON r.id = m.run_id)sql",
};

// Version 3: what a number in a table needs to be trusted.
//  - eval_split: the split the val_* metrics were measured on, 'val' (carved from train by
//    data.val_size) or 'test' (the official test split, when data.val_size is 0); '' when unknown.
//    Runs stored before are filled in from their resolved config.
//  - tree_commit, tree_dirty: the git state of the source tree when the run started, beside
//    git_commit/git_dirty, which now come from the build (the code that actually ran).
//  - error_log: the file holding the full text (stack trace) of a failure whose one-line message is in
//    `error`.
//  run_summary gains eval_split.
const std::vector<std::string> kVersion3 = {
    "ALTER TABLE runs ADD COLUMN eval_split TEXT NOT NULL DEFAULT '' CHECK (eval_split IN ('', 'val', 'test'))",
    "ALTER TABLE runs ADD COLUMN tree_commit TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE runs ADD COLUMN tree_dirty INTEGER NOT NULL DEFAULT 0 CHECK (tree_dirty IN (0, 1))",
    "ALTER TABLE runs ADD COLUMN error_log TEXT NOT NULL DEFAULT ''",
    R"sql(UPDATE runs SET eval_split =
  CASE WHEN json_extract(config_json, '$.data.val_size') > 0 THEN 'val' ELSE 'test' END
WHERE json_valid(config_json) AND json_type(config_json, '$.data.val_size') = 'integer')sql",
    "DROP VIEW run_summary",
    R"sql(CREATE VIEW run_summary AS
SELECT r.id AS run_id, r.run_key, r.group_key, r.experiment, r.profile, r.variant, r.seed, r.status,
  (SELECT MAX(m.epoch) FROM metrics m WHERE m.run_id = r.id) AS epochs_done,
  r.epochs_planned, r.eval_split,
  (SELECT m.value FROM metrics m WHERE m.run_id = r.id AND m.name = 'val_top1_err'
     ORDER BY m.epoch DESC LIMIT 1) AS final_val_top1_err,
  (SELECT MIN(m.value) FROM metrics m WHERE m.run_id = r.id AND m.name = 'val_top1_err')
     AS best_val_top1_err,
  (SELECT m.value FROM metrics m WHERE m.run_id = r.id AND m.name = 'val_top5_err'
     ORDER BY m.epoch DESC LIMIT 1) AS final_val_top5_err,
  (SELECT MIN(m.value) FROM metrics m WHERE m.run_id = r.id AND m.name = 'val_top5_err')
     AS best_val_top5_err,
  (SELECT SUM(m.value) FROM metrics m WHERE m.run_id = r.id AND m.name = 'epoch_seconds') AS wall_seconds,
  (SELECT AVG(m.value) FROM metrics m WHERE m.run_id = r.id AND m.name = 'images_per_sec')
     AS images_per_sec,
  r.params, r.macs, r.started_at, r.ended_at, r.error
FROM runs r)sql",
};

// Version 4: the precision each run trained in, as its trainer set it up on its device ("fp32" on the CPU;
// "fp32, tf32 off" or "bf16 autocast, tf32 off" on CUDA); '' for runs stored before.
const std::vector<std::string> kVersion4 = {
    "ALTER TABLE runs ADD COLUMN precision TEXT NOT NULL DEFAULT ''",
};

// Version 5: evaluation-only runs (`ablate eval`: given weights evaluated, nothing trained), marked so that
// listings, tables and SQL over run_summary never take them for trained runs. Every run stored before was
// trained. run_summary gains evaluation_only.
const std::vector<std::string> kVersion5 = {
    "ALTER TABLE runs ADD COLUMN evaluation_only INTEGER NOT NULL DEFAULT 0 CHECK (evaluation_only IN (0, 1))",
    "DROP VIEW run_summary",
    R"sql(CREATE VIEW run_summary AS
SELECT r.id AS run_id, r.run_key, r.group_key, r.experiment, r.profile, r.variant, r.seed, r.status,
  (SELECT MAX(m.epoch) FROM metrics m WHERE m.run_id = r.id) AS epochs_done,
  r.epochs_planned, r.eval_split, r.evaluation_only,
  (SELECT m.value FROM metrics m WHERE m.run_id = r.id AND m.name = 'val_top1_err'
     ORDER BY m.epoch DESC LIMIT 1) AS final_val_top1_err,
  (SELECT MIN(m.value) FROM metrics m WHERE m.run_id = r.id AND m.name = 'val_top1_err')
     AS best_val_top1_err,
  (SELECT m.value FROM metrics m WHERE m.run_id = r.id AND m.name = 'val_top5_err'
     ORDER BY m.epoch DESC LIMIT 1) AS final_val_top5_err,
  (SELECT MIN(m.value) FROM metrics m WHERE m.run_id = r.id AND m.name = 'val_top5_err')
     AS best_val_top5_err,
  (SELECT SUM(m.value) FROM metrics m WHERE m.run_id = r.id AND m.name = 'epoch_seconds') AS wall_seconds,
  (SELECT AVG(m.value) FROM metrics m WHERE m.run_id = r.id AND m.name = 'images_per_sec')
     AS images_per_sec,
  r.params, r.macs, r.started_at, r.ended_at, r.error
FROM runs r)sql",
};

// Version 6: reuse of identical training across experiments (runner/sweep.h).
//  - training_key: the hash of what a run's training computes (config::RunSpec::training_key); '' when
//    unknown. Runs stored before get theirs computed from their config_json (fill_training_keys, after
//    these steps), where that config still gives the run's own key.
//  - adopted_from: '' for a run trained here; else the run key of the trained run whose metrics this
//    run adopted (same training key, another experiment or variant).
const std::vector<std::string> kVersion6 = {
    "ALTER TABLE runs ADD COLUMN training_key TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE runs ADD COLUMN adopted_from TEXT NOT NULL DEFAULT ''",
    "CREATE INDEX runs_by_training_key ON runs(training_key)",
};
// The version whose migration also fills the training keys of older runs in C++ (SQL has no SHA-256).
constexpr int kTrainingKeyVersion = 6;

const std::vector<const std::vector<std::string>*> kMigrations = {&kVersion1, &kVersion2, &kVersion3, &kVersion4,
                                                                   &kVersion5, &kVersion6};

// The tables every version has; a store missing one was damaged by hand.
const char* const kTables[] = {"experiments", "runs", "metrics"};

}  // namespace

int current_schema_version() { return static_cast<int>(kMigrations.size()); }

const std::vector<std::string>& migration_steps(int version) {
  if (version < 1 || version > current_schema_version()) {
    throw StoreError(fmt::format("no schema migration to version {} (known: 1..{})", version,
                                 current_schema_version()));
  }
  return *kMigrations[static_cast<size_t>(version - 1)];
}

int schema_version(Connection& connection) {
  return static_cast<int>(connection.query_int64("PRAGMA user_version"));
}

namespace {

void refuse_newer(Connection& connection, int found) {
  throw StoreError(fmt::format(
      "results database '{}' has schema version {}, newer than this ablate understands ({}); "
      "use a newer ablate or another --db",
      connection.path(), found, current_schema_version()));
}

}  // namespace

int migrate(Connection& connection, int target) {
  if (target < 0) target = current_schema_version();
  if (target > current_schema_version()) {
    throw StoreError(fmt::format("cannot migrate '{}' to unknown schema version {}", connection.path(), target));
  }
  // Cheap check first: the usual open of an up-to-date database takes no write lock at all.
  const int seen = schema_version(connection);
  if (seen > current_schema_version()) refuse_newer(connection, seen);
  if (seen >= target) {
    if (seen > 0) require_tables(connection);
    return seen;
  }

  Transaction transaction(connection, TransactionKind::Exclusive);
  // Another process may have migrated while we waited for the lock.
  const int found = schema_version(connection);
  if (found > current_schema_version()) refuse_newer(connection, found);
  if (found == 0 && connection.query_int64("SELECT count(*) FROM sqlite_schema") > 0) {
    throw StoreError(fmt::format(
        "'{}' is an SQLite database but not an ablate results store (it has tables and no schema version)",
        connection.path()));
  }
  if (found > 0) require_tables(connection);
  for (int version = found + 1; version <= target; ++version) {
    for (const std::string& step : migration_steps(version)) connection.exec(step);
    if (version == kTrainingKeyVersion) fill_training_keys(connection);
  }
  if (found < target) {
    // PRAGMA takes no bound parameters; `target` is our own small integer.
    connection.exec(fmt::format("PRAGMA user_version = {}", target));
  }
  transaction.commit();
  return found;
}

void require_tables(Connection& connection) {
  Statement present = connection.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?");
  for (const char* table : kTables) {
    present.reset();
    present.bind(1, table);
    if (!present.step()) {
      throw StoreError(fmt::format("results database '{}' is damaged: its table '{}' is missing (schema version "
                                   "{}); restore it from a copy or use another --db",
                                   connection.path(), table, schema_version(connection)));
    }
  }
}

}  // namespace ablate::results
