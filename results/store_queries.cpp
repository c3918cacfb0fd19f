// The results store's queries. Each is one SQL statement, hence one consistent snapshot even while
// runners write.
#include <fmt/format.h>

#include <algorithm>

#include "results/sqlite.h"
#include "results/store.h"
#include "results/store_state.h"

namespace ablate::results {

std::optional<RunInfo> Store::find_run(const std::string& run_key) const {
  auto statement =
      state_->connection.statement(fmt::format("SELECT {} FROM runs r WHERE r.run_key = ?", kRunColumns));
  statement->bind(1, run_key);
  if (!statement->step()) return std::nullopt;
  return state_->with_staleness(read_run_info(*statement));
}

std::vector<RunInfo> Store::runs(const RunQuery& query) const {
  auto statement = state_->connection.statement(fmt::format(
      "SELECT {} FROM runs r WHERE (:experiment = '' OR r.experiment = :experiment) "
      "AND (:profile IS NULL OR r.profile = :profile) AND (:status IS NULL OR r.status = :status) ORDER BY r.id",
      kRunColumns));
  statement->bind(":experiment", query.experiment);
  if (query.profile) statement->bind(":profile", *query.profile);
  if (query.status) statement->bind(":status", to_string(*query.status));
  std::vector<RunInfo> runs;
  while (statement->step()) runs.push_back(state_->with_staleness(read_run_info(*statement)));
  return runs;
}

std::vector<RunInfo> Store::runs_with_training_key(const std::string& training_key) const {
  std::vector<RunInfo> runs;
  if (training_key.empty()) return runs;
  auto statement = state_->connection.statement(
      fmt::format("SELECT {} FROM runs r WHERE r.training_key = ? ORDER BY r.id", kRunColumns));
  statement->bind(1, training_key);
  while (statement->step()) runs.push_back(state_->with_staleness(read_run_info(*statement)));
  return runs;
}

std::vector<CurvePoint> Store::curve(const std::string& run_key, const std::string& metric) const {
  auto statement = state_->connection.statement(
      "SELECT m.epoch, m.value FROM metrics m JOIN runs r ON r.id = m.run_id "
      "WHERE r.run_key = ? AND m.name = ? ORDER BY m.epoch");
  statement->bind(1, run_key).bind(2, metric);
  std::vector<CurvePoint> points;
  while (statement->step()) points.push_back({statement->column_int64(0), statement->column_double(1)});
  return points;
}

EpochMetrics Store::last_metrics(const std::string& run_key) const {
  auto statement = state_->connection.statement(
      "WITH run AS (SELECT id FROM runs WHERE run_key = ?), "
      "last AS (SELECT MAX(epoch) AS epoch FROM metrics WHERE run_id = (SELECT id FROM run)) "
      "SELECT m.epoch, m.name, m.value FROM metrics m "
      "WHERE m.run_id = (SELECT id FROM run) AND m.epoch = (SELECT epoch FROM last)");
  statement->bind(1, run_key);
  EpochMetrics last;
  while (statement->step()) {
    last.epoch = statement->column_int64(0);
    last.values[statement->column_text(1)] = statement->column_double(2);
  }
  return last;
}

std::vector<int64_t> Store::epochs(const std::string& run_key) const {
  auto statement = state_->connection.statement(
      "SELECT DISTINCT m.epoch FROM metrics m JOIN runs r ON r.id = m.run_id WHERE r.run_key = ? ORDER BY m.epoch");
  statement->bind(1, run_key);
  std::vector<int64_t> epochs;
  while (statement->step()) epochs.push_back(statement->column_int64(0));
  return epochs;
}

std::string missing_epochs(const std::vector<int64_t>& stored, int64_t last) {
  std::string missing;
  const auto add_gap = [&](int64_t from, int64_t to) {
    if (from > to) return;
    if (!missing.empty()) missing += ", ";
    missing += from == to ? std::to_string(from) : fmt::format("{}-{}", from, to);
  };
  int64_t expected = 1;
  for (const int64_t epoch : stored) {
    if (epoch > last) break;
    add_gap(expected, epoch - 1);
    expected = std::max(expected, epoch + 1);
  }
  add_gap(expected, last);
  return missing;
}

}  // namespace ablate::results
