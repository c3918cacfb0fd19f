// The results store's writes: experiments, claims, epochs, heartbeats and the end states of runs. Each
// is one short IMMEDIATE transaction (see store.h for the crash-safety contract).
#include <fmt/format.h>

#include "results/sqlite.h"
#include "results/store.h"
#include "results/store_state.h"

namespace ablate::results {

namespace {

void require_field(const std::string& value, const char* field, const std::string& run_key) {
  if (value.empty()) throw StoreError(fmt::format("run '{}': {} must not be empty", run_key, field));
}

// Binds the descriptive and provenance fields of `record` to the same-named :parameters.
void bind_record(Statement& statement, const RunRecord& record) {
  const Provenance& provenance = record.provenance;
  statement.bind(":group_key", record.group_key)
      .bind(":training_key", record.training_key)
      .bind(":profile", record.profile)
      .bind(":variant", record.variant)
      .bind(":seed", record.seed)
      .bind(":config_json", record.config_json)
      .bind(":paper_json", record.paper_json)
      .bind(":labels_json", record.labels_json)
      .bind(":epochs_planned", record.epochs_planned)
      .bind(":params", record.params)
      .bind(":macs", record.macs)
      .bind(":eval_split", record.eval_split)
      .bind(":evaluation_only", record.evaluation_only ? 1 : 0)
      .bind(":host", provenance.host)
      .bind(":git_commit", provenance.git_commit)
      .bind(":git_dirty", provenance.git_dirty ? 1 : 0)
      .bind(":tree_commit", provenance.tree_commit)
      .bind(":tree_dirty", provenance.tree_dirty ? 1 : 0)
      .bind(":torch_version", provenance.torch_version)
      .bind(":device", provenance.device)
      .bind(":command_line", provenance.command_line)
      .bind(":dataset_digest", provenance.dataset_digest)
      .bind(":precision", provenance.precision);
}

constexpr const char* kInsertRun =
    "INSERT INTO runs (run_key, group_key, training_key, experiment, profile, variant, seed, config_json, paper_json, "
    "labels_json, epochs_planned, params, macs, eval_split, evaluation_only, host, git_commit, git_dirty, "
    "tree_commit, tree_dirty, torch_version, device, command_line, dataset_digest, precision, status, claimed_by, "
    "created_at, started_at, heartbeat_at) "
    "VALUES (:run_key, :group_key, :training_key, :experiment, :profile, :variant, :seed, :config_json, :paper_json, "
    ":labels_json, :epochs_planned, :params, :macs, :eval_split, :evaluation_only, :host, :git_commit, :git_dirty, "
    ":tree_commit, :tree_dirty, :torch_version, :device, :command_line, :dataset_digest, :precision, 'running', "
    ":claimed_by, :now, :now, :now)";

constexpr const char* kReclaimRun =
    "UPDATE runs SET group_key = :group_key, training_key = :training_key, adopted_from = '', profile = :profile, "
    "variant = :variant, seed = :seed, "
    "config_json = :config_json, paper_json = :paper_json, labels_json = :labels_json, "
    "epochs_planned = :epochs_planned, params = :params, macs = :macs, eval_split = :eval_split, "
    "evaluation_only = :evaluation_only, host = :host, "
    "git_commit = :git_commit, git_dirty = :git_dirty, tree_commit = :tree_commit, tree_dirty = :tree_dirty, "
    "torch_version = :torch_version, device = :device, command_line = :command_line, "
    "dataset_digest = :dataset_digest, precision = :precision, status = 'running', error = '', error_log = '', "
    "claimed_by = :claimed_by, "
    "started_at = COALESCE(started_at, :now), ended_at = NULL, heartbeat_at = :now WHERE id = :id";

}  // namespace

void Store::register_experiment(const std::string& name, const std::string& title, const std::string& source_path,
                                const std::string& source_text) {
  if (name.empty()) throw StoreError("experiment name must not be empty");
  Transaction transaction(state_->connection);
  auto statement = state_->connection.statement(
      "INSERT INTO experiments (name, title, source_path, source_text, created_at) VALUES (?, ?, ?, ?, ?) "
      "ON CONFLICT (name) DO UPDATE SET title = excluded.title, source_path = excluded.source_path, "
      "source_text = excluded.source_text");
  statement->bind(1, name).bind(2, title).bind(3, source_path).bind(4, source_text).bind(5, state_->now());
  statement->run();
  transaction.commit();
}

ClaimResult Store::claim_run(const RunRecord& record) {
  require_field(record.run_key, "run_key", record.run_key);
  require_field(record.group_key, "group_key", record.run_key);
  require_field(record.experiment, "experiment", record.run_key);
  State& state = *state_;
  const std::string now = state.now();

  Transaction transaction(state.connection);
  state.ensure_experiment(record.experiment);
  ClaimResult result;
  int64_t run_id = 0;
  RunStatus status = RunStatus::Queued;
  {
    auto statement =
        state.connection.statement("SELECT id, status, claimed_by, heartbeat_at FROM runs WHERE run_key = ?");
    statement->bind(1, record.run_key);
    if (statement->step()) {
      run_id = statement->column_int64(0);
      status = parse_run_status(statement->column_text(1));
      result.holder = statement->column_text(2);
      result.heartbeat_age_seconds = state.heartbeat_age(statement->column_text(3));
    }
  }

  if (run_id == 0) {
    auto statement = state.connection.statement(kInsertRun);
    bind_record(*statement, record);
    statement->bind(":run_key", record.run_key)
        .bind(":experiment", record.experiment)
        .bind(":claimed_by", state.owner)
        .bind(":now", now);
    statement->run();
    transaction.commit();
    result = ClaimResult{};
    result.holder = state.owner;
    return result;
  }

  result.last_complete_epoch = state.last_epoch(run_id);
  result.previous_status = status;
  if (status == RunStatus::Finished) {
    result.status = ClaimStatus::Finished;
    return result;  // nothing written: the transaction rolls back
  }
  if (status == RunStatus::Running && result.holder != state.owner &&
      !state.is_abandoned(result.holder, result.heartbeat_age_seconds)) {
    result.status = ClaimStatus::RunningElsewhere;
    return result;
  }

  auto statement = state.connection.statement(kReclaimRun);
  bind_record(*statement, record);
  statement->bind(":claimed_by", state.owner).bind(":now", now).bind(":id", run_id);
  statement->run();
  transaction.commit();
  result.status = (status == RunStatus::Queued && result.last_complete_epoch == 0) ? ClaimStatus::New
                                                                                   : ClaimStatus::Resumable;
  result.holder = state.owner;
  result.heartbeat_age_seconds = 0;
  return result;
}

void Store::log_epoch(const std::string& run_key, int64_t epoch, const std::map<std::string, double>& metrics) {
  State& state = *state_;
  if (epoch < 1) {
    throw StoreError(fmt::format("run '{}': epoch {} logged, epochs start at 1", run_key, epoch));
  }
  if (metrics.empty()) throw StoreError(fmt::format("run '{}': epoch {} logged without metrics", run_key, epoch));
  for (const auto& [name, value] : metrics) {
    (void)value;
    if (name.empty()) throw StoreError(fmt::format("run '{}': epoch {} has a metric without a name", run_key, epoch));
  }
  Transaction transaction(state.connection);
  const State::RunRow row = state.require_run(run_key);
  state.require_held(run_key, row);
  {
    // A replayed epoch (resume after a kill between log_epoch and the checkpoint) replaces the old one.
    auto erase = state.connection.statement("DELETE FROM metrics WHERE run_id = ? AND epoch = ?");
    erase->bind(1, row.id).bind(2, epoch);
    erase->run();
  }
  auto insert = state.connection.statement("INSERT INTO metrics (run_id, epoch, name, value) VALUES (?, ?, ?, ?)");
  for (const auto& [name, value] : metrics) {
    insert->bind(1, row.id).bind(2, epoch).bind(3, name).bind(4, value);
    insert->run();
    insert->reset();
  }
  auto beat = state.connection.statement("UPDATE runs SET heartbeat_at = ? WHERE id = ?");
  beat->bind(1, state.now()).bind(2, row.id);
  beat->run();
  transaction.commit();
}

bool Store::heartbeat(const std::string& run_key) {
  State& state = *state_;
  Transaction transaction(state.connection);
  auto statement = state.connection.statement(
      "UPDATE runs SET heartbeat_at = ? WHERE run_key = ? AND claimed_by = ? AND status = 'running'");
  statement->bind(1, state.now()).bind(2, run_key).bind(3, state.owner);
  statement->run();
  const bool held = state.connection.changes() > 0;
  transaction.commit();
  return held;
}

void Store::finish(const std::string& run_key) {
  State& state = *state_;
  Transaction transaction(state.connection);
  const State::RunRow row = state.require_run(run_key);
  state.require_held(run_key, row);
  const std::vector<int64_t> stored = epochs(run_key);
  const std::string missing = missing_epochs(stored, stored.empty() ? 0 : stored.back());
  if (!missing.empty()) {
    throw StoreError(fmt::format("results database '{}': run '{}' cannot be finished: epoch(s) {} have no metrics",
                                 state.connection.path(), run_key, missing));
  }
  auto statement = state.connection.statement(
      "UPDATE runs SET status = 'finished', error = '', error_log = '', ended_at = ?1, heartbeat_at = ?1 "
      "WHERE id = ?2");
  statement->bind(1, state.now()).bind(2, row.id);
  statement->run();
  transaction.commit();
}

void Store::fail(const std::string& run_key, const std::string& message, const std::string& error_log) {
  State& state = *state_;
  Transaction transaction(state.connection);
  const State::RunRow row = state.require_run(run_key);
  state.require_held(run_key, row);
  auto statement = state.connection.statement(
      "UPDATE runs SET status = 'failed', error = ?1, error_log = ?2, ended_at = ?3, heartbeat_at = ?3 WHERE id = ?4");
  statement->bind(1, message).bind(2, error_log).bind(3, state.now()).bind(4, row.id);
  statement->run();
  transaction.commit();
}

void Store::adopt(const std::string& run_key, const std::string& source_run_key) {
  State& state = *state_;
  Transaction transaction(state.connection);
  const State::RunRow row = state.require_run(run_key);
  state.require_held(run_key, row);
  const State::RunRow source = state.require_run(source_run_key);
  std::string training_key, source_training_key, origin;
  {
    auto keys = state.connection.statement(
        "SELECT (SELECT training_key FROM runs WHERE id = ?1), training_key, "
        "CASE adopted_from WHEN '' THEN run_key ELSE adopted_from END FROM runs WHERE id = ?2");
    keys->bind(1, row.id).bind(2, source.id);
    keys->step();
    training_key = keys->column_text(0);
    source_training_key = keys->column_text(1);
    origin = keys->column_text(2);
  }
  if (source.status != RunStatus::Finished || training_key.empty() || training_key != source_training_key ||
      source.id == row.id) {
    throw StoreError(fmt::format("results database '{}': run '{}' (training key '{}') cannot adopt run '{}' ({}, "
                                 "training key '{}'): only a finished run with the same training key",
                                 state.connection.path(), run_key, training_key, source_run_key,
                                 to_string(source.status), source_training_key));
  }
  auto drop = state.connection.statement("DELETE FROM metrics WHERE run_id = ?");
  drop->bind(1, row.id);
  drop->run();
  auto copy = state.connection.statement(
      "INSERT INTO metrics (run_id, epoch, name, value) SELECT ?1, epoch, name, value FROM metrics WHERE run_id = ?2");
  copy->bind(1, row.id).bind(2, source.id);
  copy->run();
  auto mark = state.connection.statement(
      "UPDATE runs SET (host, git_commit, git_dirty, tree_commit, tree_dirty, torch_version, device, dataset_digest, "
      "precision, eval_split, started_at, ended_at) = (SELECT host, git_commit, git_dirty, tree_commit, tree_dirty, "
      "torch_version, device, dataset_digest, precision, eval_split, started_at, ended_at FROM runs WHERE id = ?1), "
      "status = 'finished', error = '', error_log = '', adopted_from = ?2, heartbeat_at = ?3 WHERE id = ?4");
  mark->bind(1, source.id).bind(2, origin).bind(3, state.now()).bind(4, row.id);
  mark->run();
  transaction.commit();
}

bool Store::drop_adoption(const std::string& run_key) {
  State& state = *state_;
  Transaction transaction(state.connection);
  auto find = state.connection.statement(
      "SELECT id FROM runs WHERE run_key = ? AND status = 'finished' AND adopted_from != ''");
  find->bind(1, run_key);
  if (!find->step()) return false;
  const int64_t id = find->column_int64(0);
  auto drop = state.connection.statement("DELETE FROM metrics WHERE run_id = ?");
  drop->bind(1, id);
  drop->run();
  auto reset = state.connection.statement(
      "UPDATE runs SET status = 'queued', adopted_from = '', started_at = NULL, ended_at = NULL WHERE id = ?");
  reset->bind(1, id);
  reset->run();
  transaction.commit();
  return true;
}

void Store::mark_killed(const std::string& run_key, const std::string& reason) {
  State& state = *state_;
  Transaction transaction(state.connection);
  const State::RunRow row = state.require_run(run_key);
  if (row.status == RunStatus::Running) {
    auto statement =
        state.connection.statement("UPDATE runs SET status = 'killed', error = ?, ended_at = ? WHERE id = ?");
    statement->bind(1, reason).bind(2, state.now()).bind(3, row.id);
    statement->run();
  }
  transaction.commit();
}

}  // namespace ablate::results
