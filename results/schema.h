#pragma once
// The store's schema and its forward migrations. The version lives in `PRAGMA user_version`; each
// migration is a list of SQL steps from version N-1 to N, applied in one exclusive transaction, so
// concurrent openers see either the old schema or the new one. Names are chosen for people reading the
// file in any SQLite client (sqlite3, Datasette, pandas):
//   experiments(name, title, source_path, source_text, created_at)
//   runs(id, run_key, group_key, experiment, profile, variant, seed, config_json, paper_json, labels_json,
//        status, error, claimed_by, created_at, started_at, ended_at, heartbeat_at, host, git_commit,
//        git_dirty, torch_version, device, command_line, dataset_digest, params, macs, epochs_planned,
//        eval_split, tree_commit, tree_dirty, error_log, precision, evaluation_only,
//        training_key, adopted_from)
//   metrics(run_id, epoch, name, value)            full history; value NULL = NaN
//   run_summary (view): one row per run with final/best val errors, epochs done, wall time, images/s
//   metric_history (view): metrics joined with the run's key, experiment, variant and seed

#include <string>
#include <vector>

namespace ablate::results {

class Connection;

// The version this build writes and understands.
int current_schema_version();

// The SQL that takes a database from version `version - 1` to `version` (1-based).
const std::vector<std::string>& migration_steps(int version);

// Reads PRAGMA user_version.
int schema_version(Connection& connection);

// Brings the database to `target` (default: the current version) under an exclusive lock. A database
// newer than this build, a non-empty database that is not an ablate store, or a store missing one of its
// tables is refused with a StoreError naming the path (and both versions, or the table). Returns the
// version found before migrating.
int migrate(Connection& connection, int target = -1);

// Throws StoreError naming the path and the table when a table of the store is missing (dropped by
// hand): one clear line instead of an SQL error on the first query.
void require_tables(Connection& connection);

}  // namespace ablate::results
