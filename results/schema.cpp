#include "results/schema.h"

#include <fmt/format.h>

#include "results/sqlite.h"

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

const std::vector<const std::vector<std::string>*> kMigrations = {&kVersion1, &kVersion2};

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
  if (seen >= target) return seen;

  Transaction transaction(connection, TransactionKind::Exclusive);
  // Another process may have migrated while we waited for the lock.
  const int found = schema_version(connection);
  if (found > current_schema_version()) refuse_newer(connection, found);
  if (found == 0 && connection.query_int64("SELECT count(*) FROM sqlite_schema") > 0) {
    throw StoreError(fmt::format(
        "'{}' is an SQLite database but not an ablate results store (it has tables and no schema version)",
        connection.path()));
  }
  for (int version = found + 1; version <= target; ++version) {
    for (const std::string& step : migration_steps(version)) connection.exec(step);
  }
  if (found < target) {
    // PRAGMA takes no bound parameters; `target` is our own small integer.
    connection.exec(fmt::format("PRAGMA user_version = {}", target));
  }
  transaction.commit();
  return found;
}

}  // namespace ablate::results
