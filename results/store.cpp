#include "results/store.h"

#include <fmt/format.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <random>

#include "results/schema.h"
#include "results/sqlite.h"

namespace ablate::results {

namespace fs = std::filesystem;
using Clock = std::chrono::system_clock;

// ---------------------------------------------------------------------------------------------------
// Names and times

const char* to_string(RunStatus status) {
  switch (status) {
    case RunStatus::Queued: return "queued";
    case RunStatus::Running: return "running";
    case RunStatus::Finished: return "finished";
    case RunStatus::Failed: return "failed";
    case RunStatus::Killed: return "killed";
  }
  return "?";
}

RunStatus parse_run_status(const std::string& text) {
  for (RunStatus status : {RunStatus::Queued, RunStatus::Running, RunStatus::Finished, RunStatus::Failed,
                           RunStatus::Killed}) {
    if (text == to_string(status)) return status;
  }
  throw StoreError(fmt::format("unknown run status '{}' (expected queued, running, finished, failed or killed)",
                               text));
}

const char* to_string(ClaimStatus status) {
  switch (status) {
    case ClaimStatus::New: return "new";
    case ClaimStatus::Resumable: return "resumable";
    case ClaimStatus::Finished: return "finished";
    case ClaimStatus::RunningElsewhere: return "running elsewhere";
  }
  return "?";
}

std::string format_utc(Clock::time_point time) {
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(millis >= 0 ? millis / 1000 : (millis - 999) / 1000);
  const int fraction = static_cast<int>(millis - static_cast<int64_t>(seconds) * 1000);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}.{:03d}Z", parts.tm_year + 1900, parts.tm_mon + 1,
                     parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec, fraction);
}

namespace {

// Inverse of format_utc; nullopt for anything else (a hand-edited row must not crash a claim).
std::optional<Clock::time_point> parse_utc(const std::string& text) {
  std::tm parts{};
  int millis = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ", &parts.tm_year, &parts.tm_mon, &parts.tm_mday,
                  &parts.tm_hour, &parts.tm_min, &parts.tm_sec, &millis) != 7) {
    return std::nullopt;
  }
  parts.tm_year -= 1900;
  parts.tm_mon -= 1;
  const std::time_t seconds = timegm(&parts);
  return Clock::from_time_t(seconds) + std::chrono::milliseconds(millis);
}

// Owner ids are "host:pid:token"; the token tells apart two Stores of one process.
std::string make_owner() {
  std::random_device entropy;
  return fmt::format("{}:{}:{:08x}", host_name(), static_cast<long>(getpid()), entropy());
}

// True when `owner` names a process on this host that no longer exists: its runs need not wait for
// the heartbeat to go stale. (A recycled pid only delays the takeover to the staleness limit.)
bool holder_is_gone(const std::string& owner) {
  const size_t token = owner.rfind(':');
  if (token == std::string::npos || token == 0) return false;
  const size_t pid_start = owner.rfind(':', token - 1);
  if (pid_start == std::string::npos) return false;
  if (owner.substr(0, pid_start) != host_name()) return false;
  long pid = 0;
  try {
    pid = std::stol(owner.substr(pid_start + 1, token - pid_start - 1));
  } catch (const std::exception&) {
    return false;
  }
  if (pid <= 0) return false;
  return kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

bool lower_is_better(const std::string& metric) {
  const auto ends_with = [&](const std::string& suffix) {
    return metric.size() >= suffix.size() && metric.compare(metric.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return ends_with("_err") || metric.find("loss") != std::string::npos;
}

void require_field(const std::string& value, const char* field, const std::string& run_key) {
  if (value.empty()) throw StoreError(fmt::format("run '{}': {} must not be empty", run_key, field));
}

constexpr const char* kRunColumns =
    "r.run_key, r.group_key, r.experiment, r.profile, r.variant, r.seed, r.config_json, r.paper_json, "
    "r.labels_json, r.epochs_planned, r.params, r.macs, r.host, r.git_commit, r.git_dirty, r.torch_version, "
    "r.device, r.command_line, r.dataset_digest, r.status, r.error, r.claimed_by, r.created_at, r.started_at, "
    "r.ended_at, r.heartbeat_at, (SELECT MAX(m.epoch) FROM metrics m WHERE m.run_id = r.id)";

RunInfo read_run_info(const Statement& row) {
  RunInfo info;
  RunRecord& record = info.record;
  int column = 0;
  record.run_key = row.column_text(column++);
  record.group_key = row.column_text(column++);
  record.experiment = row.column_text(column++);
  record.profile = row.column_text(column++);
  record.variant = row.column_text(column++);
  record.seed = row.column_int64(column++);
  record.config_json = row.column_text(column++);
  record.paper_json = row.column_text(column++);
  record.labels_json = row.column_text(column++);
  record.epochs_planned = row.column_int64(column++);
  record.params = row.column_int64(column++);
  record.macs = row.column_int64(column++);
  record.provenance.host = row.column_text(column++);
  record.provenance.git_commit = row.column_text(column++);
  record.provenance.git_dirty = row.column_int64(column++) != 0;
  record.provenance.torch_version = row.column_text(column++);
  record.provenance.device = row.column_text(column++);
  record.provenance.command_line = row.column_text(column++);
  record.provenance.dataset_digest = row.column_text(column++);
  info.status = parse_run_status(row.column_text(column++));
  info.error = row.column_text(column++);
  info.claimed_by = row.column_text(column++);
  info.created_at = row.column_text(column++);
  info.started_at = row.column_text(column++);
  info.ended_at = row.column_text(column++);
  info.heartbeat_at = row.column_text(column++);
  info.epochs_done = row.column_int64(column++);
  return info;
}

// Binds the descriptive and provenance fields of `record` to the same-named :parameters.
void bind_record(Statement& statement, const RunRecord& record) {
  statement.bind(":group_key", record.group_key)
      .bind(":profile", record.profile)
      .bind(":variant", record.variant)
      .bind(":seed", record.seed)
      .bind(":config_json", record.config_json)
      .bind(":paper_json", record.paper_json)
      .bind(":labels_json", record.labels_json)
      .bind(":epochs_planned", record.epochs_planned)
      .bind(":params", record.params)
      .bind(":macs", record.macs)
      .bind(":host", record.provenance.host)
      .bind(":git_commit", record.provenance.git_commit)
      .bind(":git_dirty", record.provenance.git_dirty ? 1 : 0)
      .bind(":torch_version", record.provenance.torch_version)
      .bind(":device", record.provenance.device)
      .bind(":command_line", record.provenance.command_line)
      .bind(":dataset_digest", record.provenance.dataset_digest);
}

constexpr const char* kInsertRun =
    "INSERT INTO runs (run_key, group_key, experiment, profile, variant, seed, config_json, paper_json, "
    "labels_json, epochs_planned, params, macs, host, git_commit, git_dirty, torch_version, device, "
    "command_line, dataset_digest, status, claimed_by, created_at, started_at, heartbeat_at) "
    "VALUES (:run_key, :group_key, :experiment, :profile, :variant, :seed, :config_json, :paper_json, "
    ":labels_json, :epochs_planned, :params, :macs, :host, :git_commit, :git_dirty, :torch_version, :device, "
    ":command_line, :dataset_digest, :status, :claimed_by, :now, :started_at, :heartbeat_at)";

}  // namespace

// ---------------------------------------------------------------------------------------------------
// Opening

struct Store::State {
  State(const std::string& path, OpenMode mode, StoreOptions options_in)
      : connection(path, mode), options(std::move(options_in)), owner(make_owner()) {}
  Connection connection;
  StoreOptions options;
  std::string owner;

  std::string now() const { return format_utc(options.clock()); }

  bool is_abandoned(const std::string& holder, double heartbeat_age_seconds) const {
    return heartbeat_age_seconds >= std::chrono::duration<double>(options.stale_after).count() ||
           holder_is_gone(holder);
  }

  double heartbeat_age(const std::string& heartbeat_at) const {
    const auto heartbeat = parse_utc(heartbeat_at);
    return heartbeat ? std::chrono::duration<double>(options.clock() - *heartbeat).count() : INFINITY;
  }

  RunInfo with_staleness(RunInfo info) const {
    info.stale = info.status == RunStatus::Running && info.claimed_by != owner &&
                 is_abandoned(info.claimed_by, heartbeat_age(info.heartbeat_at));
    return info;
  }

  // The row id, status and holder of a run; throws for an unknown key.
  struct RunRow {
    int64_t id;
    std::string status, claimed_by;
  };
  RunRow require_run(const std::string& run_key) {
    auto statement = connection.statement("SELECT id, status, claimed_by FROM runs WHERE run_key = ?");
    statement->bind(1, run_key);
    if (!statement->step()) {
      throw StoreError(fmt::format("results database '{}': no run with key '{}'", connection.path(), run_key));
    }
    return {statement->column_int64(0), statement->column_text(1), statement->column_text(2)};
  }

  void require_held(const std::string& run_key, const RunRow& row) {
    if (row.claimed_by != owner) {
      throw StoreError(fmt::format(
          "results database '{}': run '{}' is held by {}, not by this process ({}): it was taken over after "
          "its heartbeat went stale",
          connection.path(), run_key, row.claimed_by.empty() ? "nobody" : row.claimed_by, owner));
    }
    if (row.status != "running") {
      throw StoreError(fmt::format("results database '{}': run '{}' is {}, not running", connection.path(),
                                   run_key, row.status));
    }
  }

  int64_t last_epoch(int64_t run_id) {
    auto statement = connection.statement("SELECT MAX(epoch) FROM metrics WHERE run_id = ?");
    statement->bind(1, run_id);
    statement->step();
    return statement->column_int64(0);
  }

  void ensure_experiment(const std::string& name) {
    auto statement = connection.statement(
        "INSERT INTO experiments (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING");
    statement->bind(1, name).bind(2, now());
    statement->run();
  }
};

Store::Store(std::unique_ptr<State> state) : state_(std::move(state)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

Store Store::open(const std::string& path, StoreOptions options) {
  const bool in_memory = path == ":memory:" || path.empty();
  if (!in_memory) {
    const fs::path file(path);
    std::error_code error;
    if (fs::is_directory(file, error)) {
      throw StoreError(fmt::format("results database '{}' is a directory, expected a file", path));
    }
    const bool exists = fs::exists(file, error);
    if (!exists && !options.create_if_missing) {
      throw StoreError(fmt::format("results database '{}' does not exist", path));
    }
    if (!exists && file.has_parent_path()) {
      fs::create_directories(file.parent_path(), error);
      if (error) {
        throw StoreError(fmt::format("results database '{}': cannot create directory '{}': {}", path,
                                     file.parent_path().string(), error.message()));
      }
    }
  }
  const OpenMode mode = options.create_if_missing ? OpenMode::ReadWriteCreate : OpenMode::ReadWrite;
  auto state = std::make_unique<State>(in_memory ? ":memory:" : path, mode, std::move(options));
  try {
    configure(*state);
  } catch (const StoreError& error) {
    const int primary = error.sqlite_code() & 0xff;
    if (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT) {
      throw StoreError(fmt::format("results database '{}' is corrupt or not an SQLite database", path),
                       error.sqlite_code());
    }
    throw;
  }
  return Store(std::move(state));
}

void Store::configure(State& state) {
  Connection& connection = state.connection;
  connection.set_busy_timeout(state.options.busy_timeout);
  connection.exec("PRAGMA foreign_keys = ON");
  // Changing the journal mode needs a lock whose busy error skips the busy handler: retry it. WAL lets
  // readers (tables, `ablate runs`) work while runners write.
  retry_while_busy(state.options.busy_timeout, [&] { connection.query_text("PRAGMA journal_mode = WAL"); });
  // FULL: each commit syncs the WAL, so an epoch log_epoch returned from survives even a power loss.
  // The runner writes its checkpoint after log_epoch; with NORMAL a power loss could lose the metrics
  // of an epoch whose checkpoint survived, and the resumed run would have a hole in its history. The
  // cost is one fsync per epoch (about 6 ms on this machine's disk).
  connection.exec("PRAGMA synchronous = FULL");
  migrate(connection);
}

const std::string& Store::path() const { return state_->connection.path(); }
const std::string& Store::owner() const { return state_->owner; }
Connection& Store::connection() { return state_->connection; }

// ---------------------------------------------------------------------------------------------------
// Writing

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

bool Store::enqueue_run(const RunRecord& record) {
  require_field(record.run_key, "run_key", record.run_key);
  require_field(record.group_key, "group_key", record.run_key);
  require_field(record.experiment, "experiment", record.run_key);
  Transaction transaction(state_->connection);
  state_->ensure_experiment(record.experiment);
  auto statement = state_->connection.statement(std::string(kInsertRun) + " ON CONFLICT (run_key) DO NOTHING");
  bind_record(*statement, record);
  statement->bind(":run_key", record.run_key)
      .bind(":experiment", record.experiment)
      .bind(":status", "queued")
      .bind(":claimed_by", "")
      .bind(":now", state_->now());
  statement->run();
  const bool inserted = state_->connection.changes() > 0;
  transaction.commit();
  return inserted;
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
  std::string status;
  {
    auto statement =
        state.connection.statement("SELECT id, status, claimed_by, heartbeat_at FROM runs WHERE run_key = ?");
    statement->bind(1, record.run_key);
    if (statement->step()) {
      run_id = statement->column_int64(0);
      status = statement->column_text(1);
      result.holder = statement->column_text(2);
      result.heartbeat_age_seconds = state.heartbeat_age(statement->column_text(3));
    }
  }

  if (run_id == 0) {
    auto statement = state.connection.statement(kInsertRun);
    bind_record(*statement, record);
    statement->bind(":run_key", record.run_key)
        .bind(":experiment", record.experiment)
        .bind(":status", "running")
        .bind(":claimed_by", state.owner)
        .bind(":now", now)
        .bind(":started_at", now)
        .bind(":heartbeat_at", now);
    statement->run();
    transaction.commit();
    result = ClaimResult{};
    result.holder = state.owner;
    return result;
  }

  result.last_complete_epoch = state.last_epoch(run_id);
  result.previous_status = parse_run_status(status);
  if (status == "finished") {
    result.status = ClaimStatus::Finished;
    return result;  // nothing written: the transaction rolls back
  }
  if (status == "running" && result.holder != state.owner) {
    if (!state.is_abandoned(result.holder, result.heartbeat_age_seconds)) {
      result.status = ClaimStatus::RunningElsewhere;
      return result;
    }
  }

  auto statement = state.connection.statement(
      "UPDATE runs SET group_key = :group_key, profile = :profile, variant = :variant, seed = :seed, "
      "config_json = :config_json, paper_json = :paper_json, labels_json = :labels_json, "
      "epochs_planned = :epochs_planned, params = :params, macs = :macs, host = :host, "
      "git_commit = :git_commit, git_dirty = :git_dirty, torch_version = :torch_version, device = :device, "
      "command_line = :command_line, dataset_digest = :dataset_digest, status = 'running', error = '', "
      "claimed_by = :claimed_by, started_at = COALESCE(started_at, :now), ended_at = NULL, "
      "heartbeat_at = :now WHERE id = :id");
  bind_record(*statement, record);
  statement->bind(":claimed_by", state.owner).bind(":now", now).bind(":id", run_id);
  statement->run();
  transaction.commit();
  result.status = (status == "queued" && result.last_complete_epoch == 0) ? ClaimStatus::New
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
  auto statement = state.connection.statement(
      "UPDATE runs SET status = 'finished', error = '', ended_at = ?1, heartbeat_at = ?1 WHERE id = ?2");
  statement->bind(1, state.now()).bind(2, row.id);
  statement->run();
  transaction.commit();
}

void Store::fail(const std::string& run_key, const std::string& message) {
  State& state = *state_;
  Transaction transaction(state.connection);
  const State::RunRow row = state.require_run(run_key);
  state.require_held(run_key, row);
  auto statement = state.connection.statement(
      "UPDATE runs SET status = 'failed', error = ?1, ended_at = ?2, heartbeat_at = ?2 WHERE id = ?3");
  statement->bind(1, message).bind(2, state.now()).bind(3, row.id);
  statement->run();
  transaction.commit();
}

void Store::mark_killed(const std::string& run_key) {
  State& state = *state_;
  Transaction transaction(state.connection);
  const State::RunRow row = state.require_run(run_key);
  if (row.status == "running") {
    auto statement = state.connection.statement("UPDATE runs SET status = 'killed', ended_at = ? WHERE id = ?");
    statement->bind(1, state.now()).bind(2, row.id);
    statement->run();
  }
  transaction.commit();
}

// ---------------------------------------------------------------------------------------------------
// Reading. Each query is one SQL statement, hence one consistent snapshot even while runners write.

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

std::vector<std::string> Store::experiments() const {
  auto statement = state_->connection.statement("SELECT name FROM experiments ORDER BY rowid");
  std::vector<std::string> names;
  while (statement->step()) names.push_back(statement->column_text(0));
  return names;
}

std::vector<GroupStats> Store::group_stats(const std::string& experiment, const std::string& profile,
                                           const std::string& metric, EpochPick pick) const {
  const char* value_sql =
      pick == EpochPick::Final
          ? "(SELECT m.value FROM metrics m WHERE m.run_id = r.id AND m.name = :metric ORDER BY m.epoch DESC LIMIT 1)"
          : (lower_is_better(metric) ? "(SELECT MIN(m.value) FROM metrics m WHERE m.run_id = r.id AND m.name = :metric)"
                                     : "(SELECT MAX(m.value) FROM metrics m WHERE m.run_id = r.id AND m.name = :metric)");
  auto statement = state_->connection.statement(fmt::format(
      "SELECT r.group_key, r.variant, r.paper_json, r.labels_json, r.params, r.macs, r.epochs_planned, r.seed, "
      "r.status, (SELECT MAX(m.epoch) FROM metrics m WHERE m.run_id = r.id), "
      "EXISTS (SELECT 1 FROM metrics m WHERE m.run_id = r.id AND m.name = :metric), {} "
      "FROM runs r WHERE r.experiment = :experiment AND r.profile = :profile ORDER BY r.id",
      value_sql));
  statement->bind(":experiment", experiment).bind(":profile", profile).bind(":metric", metric);

  std::vector<GroupStats> groups;
  std::map<std::string, size_t> index_of_group;
  // (seed, value) of finished runs per group, sorted by seed afterwards.
  std::vector<std::vector<std::pair<int64_t, double>>> samples;
  while (statement->step()) {
    const std::string group_key = statement->column_text(0);
    auto [found, inserted] = index_of_group.emplace(group_key, groups.size());
    if (inserted) {
      GroupStats group;
      group.group_key = group_key;
      group.variant = statement->column_text(1);
      group.paper_json = statement->column_text(2);
      group.labels_json = statement->column_text(3);
      group.params = statement->column_int64(4);
      group.macs = statement->column_int64(5);
      group.epochs_planned = statement->column_int64(6);
      groups.push_back(std::move(group));
      samples.emplace_back();
    }
    GroupStats& group = groups[found->second];
    const std::string status = statement->column_text(8);
    const int64_t epochs_done = statement->column_int64(9);
    ++group.seeds_total;
    if (status == "finished") {
      ++group.seeds_finished;
      if (statement->column_int64(10) != 0) {
        samples[found->second].emplace_back(statement->column_int64(7), statement->column_double(11));
      }
    } else if (status == "running") {
      ++group.seeds_running;
      group.max_epoch_running = std::max(group.max_epoch_running, epochs_done);
    }
  }

  for (size_t i = 0; i < groups.size(); ++i) {
    GroupStats& group = groups[i];
    auto& pairs = samples[i];
    std::stable_sort(pairs.begin(), pairs.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [seed, value] : pairs) {
      group.seeds.push_back(seed);
      group.values.push_back(value);
    }
    group.n = static_cast<int64_t>(group.values.size());
    double sum = 0;
    for (const double value : group.values) sum += value;
    group.mean = group.n > 0 ? sum / static_cast<double>(group.n) : std::nan("");
    if (group.n >= 2) {
      double squares = 0;
      for (const double value : group.values) squares += (value - group.mean) * (value - group.mean);
      group.std = std::sqrt(squares / static_cast<double>(group.n - 1));
    } else {
      group.std = std::nan("");
    }
  }
  return groups;
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

}  // namespace ablate::results
