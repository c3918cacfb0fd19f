// Opening the results store, its names and times, and the state its writes and queries share.
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
#include "results/store_state.h"

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

// ---------------------------------------------------------------------------------------------------
// Rows

const char* const kRunColumns =
    "r.run_key, r.group_key, r.experiment, r.profile, r.variant, r.seed, r.config_json, r.paper_json, "
    "r.labels_json, r.epochs_planned, r.params, r.macs, r.eval_split, r.host, r.git_commit, r.git_dirty, "
    "r.tree_commit, r.tree_dirty, r.torch_version, r.device, r.command_line, r.dataset_digest, r.status, r.error, "
    "r.error_log, r.claimed_by, r.created_at, r.started_at, r.ended_at, r.heartbeat_at, "
    "(SELECT MAX(m.epoch) FROM metrics m WHERE m.run_id = r.id), "
    "(SELECT COUNT(DISTINCT m.epoch) FROM metrics m WHERE m.run_id = r.id), r.precision, r.evaluation_only, "
    "r.training_key, r.adopted_from";

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
  record.eval_split = row.column_text(column++);
  Provenance& provenance = record.provenance;
  provenance.host = row.column_text(column++);
  provenance.git_commit = row.column_text(column++);
  provenance.git_dirty = row.column_int64(column++) != 0;
  provenance.tree_commit = row.column_text(column++);
  provenance.tree_dirty = row.column_int64(column++) != 0;
  provenance.torch_version = row.column_text(column++);
  provenance.device = row.column_text(column++);
  provenance.command_line = row.column_text(column++);
  provenance.dataset_digest = row.column_text(column++);
  info.status = parse_run_status(row.column_text(column++));
  info.error = row.column_text(column++);
  info.error_log = row.column_text(column++);
  info.claimed_by = row.column_text(column++);
  info.created_at = row.column_text(column++);
  info.started_at = row.column_text(column++);
  info.ended_at = row.column_text(column++);
  info.heartbeat_at = row.column_text(column++);
  info.epochs_done = row.column_int64(column++);
  info.epochs_stored = row.column_int64(column++);
  provenance.precision = row.column_text(column++);
  record.evaluation_only = row.column_int64(column++) != 0;
  record.training_key = row.column_text(column++);
  info.adopted_from = row.column_text(column++);
  return info;
}

// ---------------------------------------------------------------------------------------------------
// State

namespace {

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

}  // namespace

Store::State::State(std::unique_ptr<Connection> connection_in, StoreOptions options_in)
    : connection_owner(std::move(connection_in)),
      connection(*connection_owner),
      options(std::move(options_in)),
      owner(make_owner()) {}

std::string Store::State::now() const { return format_utc(options.clock()); }

bool Store::State::is_abandoned(const std::string& holder, double heartbeat_age_seconds) const {
  return heartbeat_age_seconds >= std::chrono::duration<double>(options.stale_after).count() ||
         holder_is_gone(holder);
}

double Store::State::heartbeat_age(const std::string& heartbeat_at) const {
  const auto heartbeat = parse_utc(heartbeat_at);
  return heartbeat ? std::chrono::duration<double>(options.clock() - *heartbeat).count() : INFINITY;
}

RunInfo Store::State::with_staleness(RunInfo info) const {
  info.stale = info.status == RunStatus::Running && info.claimed_by != owner &&
               is_abandoned(info.claimed_by, heartbeat_age(info.heartbeat_at));
  return info;
}

Store::State::RunRow Store::State::require_run(const std::string& run_key) {
  auto statement = connection.statement("SELECT id, status, claimed_by FROM runs WHERE run_key = ?");
  statement->bind(1, run_key);
  if (!statement->step()) {
    throw StoreError(fmt::format("results database '{}': no run with key '{}'", connection.path(), run_key));
  }
  return {statement->column_int64(0), parse_run_status(statement->column_text(1)), statement->column_text(2)};
}

void Store::State::require_held(const std::string& run_key, const RunRow& row) const {
  if (row.claimed_by != owner) {
    throw LostRunError(fmt::format(
        "results database '{}': run '{}' is held by {}, not by this process ({}): it was taken over after "
        "its heartbeat went stale",
        connection.path(), run_key, row.claimed_by.empty() ? "nobody" : row.claimed_by, owner));
  }
  if (row.status != RunStatus::Running) {
    throw LostRunError(fmt::format("results database '{}': run '{}' is {}, not running", connection.path(),
                                   run_key, to_string(row.status)));
  }
}

int64_t Store::State::last_epoch(int64_t run_id) {
  auto statement = connection.statement("SELECT MAX(epoch) FROM metrics WHERE run_id = ?");
  statement->bind(1, run_id);
  statement->step();
  return statement->column_int64(0);
}

void Store::State::ensure_experiment(const std::string& name) {
  auto statement = connection.statement(
      "INSERT INTO experiments (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING");
  statement->bind(1, name).bind(2, now());
  statement->run();
}

// ---------------------------------------------------------------------------------------------------
// Opening

namespace {

bool is_corrupt(const StoreError& error) {
  const int primary = error.sqlite_code() & 0xff;
  return primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT;
}

// The writers' connection: WAL, FULL syncs, migrated in the file.
std::unique_ptr<Connection> open_for_writing(const std::string& path, const StoreOptions& options) {
  if (path != ":memory:") {
    const fs::path file(path);
    std::error_code error;
    if (!fs::exists(file, error) && file.has_parent_path()) {
      fs::create_directories(file.parent_path(), error);
      if (error) {
        throw StoreError(fmt::format("results database '{}': cannot create directory '{}': {}", path,
                                     file.parent_path().string(), error.message()));
      }
    }
  }
  auto connection = std::make_unique<Connection>(path, OpenMode::ReadWriteCreate);
  connection->set_busy_timeout(options.busy_timeout);
  connection->exec("PRAGMA foreign_keys = ON");
  // Changing the journal mode needs a lock whose busy error skips the busy handler: retry it. WAL lets
  // readers (tables, `ablate runs`) work while runners write.
  retry_while_busy(options.busy_timeout, [&] { connection->query_text("PRAGMA journal_mode = WAL"); });
  // FULL: each commit syncs the WAL, so an epoch log_epoch returned from survives even a power loss.
  // The runner writes its checkpoint after log_epoch; with NORMAL a power loss could lose the metrics
  // of an epoch whose checkpoint survived, and the resumed run would have a hole in its history. The
  // cost is one fsync per epoch (about 6 ms on this machine's disk).
  connection->exec("PRAGMA synchronous = FULL");
  migrate(*connection);
  return connection;
}

// The readers' connection: never writes the file (query_only, set by Store::open). It is opened
// read-write when SQLite can, so that, as for writers, the last connection to close removes the -wal and
// -shm files (a read-only connection would leave them behind). A WAL database in a folder nobody may
// write to cannot get its shared-memory index at all: it is then opened immutable (nobody can be writing
// there). An older schema is migrated in a private in-memory copy.
std::unique_ptr<Connection> open_for_reading(const std::string& path, const StoreOptions& options) {
  if (path == ":memory:") {
    auto connection = std::make_unique<Connection>(path, OpenMode::ReadWriteCreate);
    migrate(*connection);
    return connection;
  }
  std::error_code error;
  if (!fs::exists(path, error)) throw StoreError(fmt::format("results database '{}' does not exist", path));
  auto connection = std::make_unique<Connection>(path, OpenMode::ReadWrite);
  connection->set_busy_timeout(options.busy_timeout);
  int version = 0;
  try {
    version = schema_version(*connection);
  } catch (const StoreError& failure) {
    const int primary = failure.sqlite_code() & 0xff;
    const bool no_wal_index = primary == SQLITE_READONLY || primary == SQLITE_CANTOPEN;
    if (!no_wal_index || fs::exists(path + "-wal", error)) throw;
    connection = std::make_unique<Connection>(path, OpenMode::ReadOnlyImmutable);
    version = schema_version(*connection);
  }
  if (version >= current_schema_version()) {
    migrate(*connection);  // refuses a newer schema, checks the tables; writes nothing
    return connection;
  }
  auto copy = std::make_unique<Connection>(Connection::InMemoryCopy{}, *connection);
  migrate(*copy);
  return copy;
}

}  // namespace

Store::Store(std::unique_ptr<State> state) : state_(std::move(state)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

Store Store::open(const std::string& path, StoreOptions options) {
  if (path.empty()) {
    throw StoreError("results database path is empty: give a file (default " + std::string(kDefaultDatabasePath) +
                     ") or :memory:");
  }
  std::error_code error;
  if (fs::is_directory(path, error)) {
    throw StoreError(fmt::format("results database '{}' is a directory, expected a file", path));
  }
  std::unique_ptr<Connection> connection;
  try {
    connection = options.read_only ? open_for_reading(path, options) : open_for_writing(path, options);
    // The in-memory copy of an older store could take writes: a reader's Store must not.
    if (options.read_only) connection->exec("PRAGMA query_only = ON");
  } catch (const StoreError& failure) {
    if (is_corrupt(failure)) {
      throw StoreError(fmt::format("results database '{}' is corrupt or not an SQLite database", path),
                       failure.sqlite_code());
    }
    throw;
  }
  return Store(std::make_unique<State>(std::move(connection), std::move(options)));
}

const std::string& Store::path() const { return state_->connection.path(); }
const std::string& Store::owner() const { return state_->owner; }
Connection& Store::connection() { return state_->connection; }

}  // namespace ablate::results
