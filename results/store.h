#pragma once
// The results store: one SQLite file (default results/ablate.db) that several runner processes write at
// once and that tables, plots and any SQLite client read. The trainer's only door to SQL.
//
// Life of a run (the runner drives it, one Store per process or thread; a Store is not thread-safe):
//   claim_run(record)   -> New | Resumable(last complete epoch) | Finished | RunningElsewhere
//   log_epoch(key, e, m) once per finished epoch: all metrics of the epoch commit together or not at all
//   heartbeat(key)       while an epoch runs, every few seconds (log_epoch bumps it too)
//   finish(key) | fail(key, message, log) | mark_killed(key)
// or, instead of training, adopt(key, source): a run with the same training key already finished (in
// any experiment), so its metrics become this run's, marked with where they came from.
// A run whose heartbeat is older than StoreOptions::stale_after, or whose holder process on this host is
// gone, is no longer running: the next claim_run resumes it. Its old holder's next write throws
// LostRunError: the old holder leaves the run alone.
//
// Epochs are numbered from 1 (epoch 1 = after one pass over the training data); 0 means "none yet".
// Metric names used by the trainer: train_loss, train_top1_err, val_loss, val_top1_err, val_top5_err, lr,
// images_per_sec, epoch_seconds (errors in percent). Any other name is stored the same way.
// Non-finite values: +-inf round-trip; NaN is stored as SQL NULL and read back as NaN.
//
// Crash safety: every write is one short BEGIN IMMEDIATE transaction in WAL mode with synchronous=FULL,
// so a SIGKILL (or power loss) at any moment leaves every returned-from log_epoch durable and never a
// partial epoch. Errors are StoreError naming the database path.
//
// Files: store.cpp opens (and names), store_writes.cpp writes, store_queries.cpp reads; store_state.h is
// what they share.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "results/provenance.h"
#include "results/store_error.h"

namespace ablate::results {

class Connection;

// The default database, relative to the working directory, as every command's --db defaults to.
inline constexpr const char* kDefaultDatabasePath = "results/ablate.db";

enum class RunStatus { Queued, Running, Finished, Failed, Killed };
// "queued" | "running" | "finished" | "failed" | "killed", the strings stored in runs.status.
const char* to_string(RunStatus status);
// Throws StoreError naming `text` and the accepted values.
RunStatus parse_run_status(const std::string& text);

// Everything the store records about a run when it is claimed. Strings are stored verbatim (any bytes
// of valid UTF-8, quotes and semicolons included).
struct RunRecord {
  std::string run_key;      // required: hash of the canonical config, seed included (unique)
  std::string group_key;    // required: same hash without the seed; seeds of one setting share it
  // Hash of what the training computes, without the experiment and variant names (RunSpec::training_key);
  // "" = unknown, never adopted nor lent.
  std::string training_key;
  std::string experiment;   // required: experiment name (an `experiments` row is created on demand)
  std::string profile;      // "" = the experiment's base settings
  std::string variant;      // variant name as written in the YAML
  int64_t seed = 0;
  std::string config_json = "{}";  // resolved config (RunSpec::canonical)
  std::string paper_json = "{}";   // the paper's reference values for the variant, for tables
  std::string labels_json = "{}";  // free-form grouping labels from the YAML
  int64_t epochs_planned = 0;
  int64_t params = 0;  // analytic parameter count of the model
  int64_t macs = 0;    // multiply-adds of one forward pass at the run's image size
  // The split the val_* metrics are measured on: "val" (carved from train, data.val_size > 0) or
  // "test" (the official test split); "" when unknown.
  std::string eval_split;
  // Given weights evaluated once (`ablate eval`), nothing trained: its only epoch (1) holds the val_*
  // metrics. Column runs.evaluation_only.
  bool evaluation_only = false;
  Provenance provenance;
};

// What the runner should do with a run after claim_run.
enum class ClaimStatus {
  New,               // no such run before: it is now running, held by this Store; train from epoch 1
  Resumable,         // existed unfinished (queued, failed, killed, stale or this Store's own): it is now
                     // running, held by this Store; continue after last_complete_epoch
  Finished,          // already finished: skip (nothing changed)
  RunningElsewhere,  // another live process holds it (fresh heartbeat): skip (nothing changed)
};
const char* to_string(ClaimStatus status);

struct ClaimResult {
  ClaimStatus status = ClaimStatus::New;
  int64_t last_complete_epoch = 0;  // highest epoch with metrics; 0 when none
  // The status before this claim (Queued for a run that did not exist): tells a resumed failed run
  // from a resumed killed or abandoned one.
  RunStatus previous_status = RunStatus::Queued;
  // RunningElsewhere: who holds it ("host:pid:token") and how old its heartbeat is.
  std::string holder;
  double heartbeat_age_seconds = 0;
};

// A run as stored, for listings (`ablate runs`) and tables.
struct RunInfo {
  RunRecord record;
  RunStatus status = RunStatus::Queued;
  std::string error;       // fail() message (one line); "" otherwise
  std::string error_log;   // file with the failure's full text (stack trace); "" when none
  std::string claimed_by;  // "host:pid:token" of the last claimer
  // "" for a run trained in this database; else the run key of the trained run (same training key) whose
  // metrics and provenance this run adopted instead of training (Store::adopt).
  std::string adopted_from;
  // UTC, ISO 8601 with milliseconds ("2026-11-26T21:29:26.123Z"); "" when not set yet.
  std::string created_at, started_at, ended_at, heartbeat_at;
  int64_t epochs_done = 0;    // highest epoch with metrics
  int64_t epochs_stored = 0;  // epochs with metrics: less than epochs_done when the history has gaps
  // Running, but abandoned: heartbeat older than StoreOptions::stale_after, or its holder process on
  // this host is gone. The next claim_run resumes it.
  bool stale = false;
};

struct RunQuery {
  std::string experiment;               // "" = every experiment
  std::optional<std::string> profile;   // unset = every profile ("" is the base profile)
  std::optional<RunStatus> status;      // unset = every status
};

struct CurvePoint {
  int64_t epoch = 0;
  double value = 0;
};

struct EpochMetrics {
  int64_t epoch = 0;                     // 0 when the run has no metrics yet
  std::map<std::string, double> values;  // every metric logged for that epoch
};

struct StoreOptions {
  // How long a writer waits for the write lock before giving up with StoreError.
  std::chrono::milliseconds busy_timeout{30000};
  // A running run whose heartbeat is older than this counts as abandoned (resumable).
  std::chrono::milliseconds stale_after{120000};
  // For the commands that only read (runs, table, plot, report, a dry run): the file must exist and is
  // never written, so it may sit in a read-only folder; an older schema is migrated in a private
  // in-memory copy instead of in the file. Writing through such a Store throws StoreError.
  bool read_only = false;
  // Wall clock for timestamps and staleness; tests inject their own.
  std::function<std::chrono::system_clock::time_point()> clock = [] {
    return std::chrono::system_clock::now();
  };
};

class Store {
 public:
  // Opens (or creates, with its parent directories) the database at `path` (":memory:" for a private
  // in-memory one), switches it to WAL and migrates it to the current schema under an exclusive lock.
  // Throws StoreError naming the path for an empty path, an unwritable location, a file that is not a
  // database or is corrupt or damaged, or a schema newer than this build understands.
  static Store open(const std::string& path, StoreOptions options = {});

  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;
  ~Store();

  const std::string& path() const;
  // "host:pid:token": identifies this Store as the holder of the runs it claims.
  const std::string& owner() const;

  // Writes (store_writes.cpp).

  // Creates the experiment row or updates its title and source (file path and text of its YAML).
  void register_experiment(const std::string& name, const std::string& title,
                           const std::string& source_path = "", const std::string& source_text = "");

  // Idempotent by run_key (see ClaimStatus). New and Resumable leave the run `running`, held by this
  // Store, with a fresh heartbeat; Resumable also refreshes provenance and descriptive fields and
  // clears the error. Throws StoreError when run_key, group_key or experiment is empty.
  ClaimResult claim_run(const RunRecord& record);

  // Stores all metrics of one epoch (epoch >= 1) in one transaction and bumps the heartbeat. Logging an
  // epoch again replaces its values (a resumed run replays the epoch it was killed in). Throws
  // StoreError when the run does not exist, LostRunError when this Store no longer holds it (another
  // one claimed it since, or it was marked killed).
  void log_epoch(const std::string& run_key, int64_t epoch, const std::map<std::string, double>& metrics);

  // Refreshes the heartbeat. Returns false (and changes nothing) when this Store no longer holds the run.
  bool heartbeat(const std::string& run_key);

  // Ends a run held by this Store (LostRunError otherwise): finished, or failed with `message` (one
  // line) and the file holding its full text (`error_log`, "" for none). finish() refuses (StoreError) a
  // run whose stored history has a gap: a finished run has the metrics of every epoch 1..last.
  void finish(const std::string& run_key);
  void fail(const std::string& run_key, const std::string& message, const std::string& error_log = "");
  // Marks a running run killed (Ctrl-C, or an operator cleaning up), whoever holds it; a no-op for a
  // run that is not running. `reason` (e.g. "rank 1 of 2 was killed by signal 9 (SIGKILL)") goes to the
  // error column; "" leaves it empty. A killed run resumes on the next claim. Throws StoreError for an
  // unknown run.
  void mark_killed(const std::string& run_key, const std::string& reason = "");

  // Adoption: ends a run held by this Store (LostRunError otherwise) as `source_run_key`'s twin: the
  // source must be finished and have this run's non-empty training key (StoreError otherwise). This run
  // gets the source's metric history (its own is dropped) and the provenance of the training (commit,
  // host, device, precision, dataset digest, LibTorch version, start and end times), its status becomes
  // finished and adopted_from names the trained run (the source's own source when the source was
  // adopted too), all in one transaction.
  void adopt(const std::string& run_key, const std::string& source_run_key);
  // Undoes an adoption so the run can be trained here (`ablate run --no-reuse`): a finished adopted run
  // loses its adopted metrics and becomes queued. Returns false (and changes nothing) for any other run.
  bool drop_adoption(const std::string& run_key);

  // Queries (store_queries.cpp). Runs come in claim order (creation order).

  // Every run with this training key (none for ""), in claim order.
  std::vector<RunInfo> runs_with_training_key(const std::string& training_key) const;

  std::optional<RunInfo> find_run(const std::string& run_key) const;
  std::vector<RunInfo> runs(const RunQuery& query = {}) const;
  std::vector<CurvePoint> curve(const std::string& run_key, const std::string& metric) const;  // by epoch
  EpochMetrics last_metrics(const std::string& run_key) const;
  // The epochs that have metrics, ascending (empty for an unknown run).
  std::vector<int64_t> epochs(const std::string& run_key) const;

  // The underlying connection, for the merge tool and tests.
  Connection& connection();

 private:
  struct State;  // store_state.h
  explicit Store(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// "1-4, 7": the epochs of 1..last missing from `stored` (ascending, as Store::epochs returns them); ""
// when the history is complete.
std::string missing_epochs(const std::vector<int64_t>& stored, int64_t last);

// "2026-11-26T21:29:26.123Z" for a time point (UTC, milliseconds).
std::string format_utc(std::chrono::system_clock::time_point time);

}  // namespace ablate::results
