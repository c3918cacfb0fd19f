#pragma once
// Inside the results store: what its writes (store_writes.cpp), queries (store_queries.cpp) and opening
// (store.cpp) share. Not part of the store's interface; include store.h instead.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "results/sqlite.h"
#include "results/store.h"

namespace ablate::results {

// Inverse of format_utc; nullopt for anything else (a hand-edited row must not crash a claim).
std::optional<std::chrono::system_clock::time_point> parse_utc(const std::string& text);

// The columns RunInfo is read from, with table alias `r`, in read_run_info's order.
extern const char* const kRunColumns;
RunInfo read_run_info(const Statement& row);

struct Store::State {
  State(std::unique_ptr<Connection> connection_in, StoreOptions options_in);
  std::unique_ptr<Connection> connection_owner;
  Connection& connection;
  StoreOptions options;
  std::string owner;  // "host:pid:token"

  std::string now() const;
  // Abandoned: heartbeat older than options.stale_after, or its holder process on this host is gone.
  bool is_abandoned(const std::string& holder, double heartbeat_age_seconds) const;
  double heartbeat_age(const std::string& heartbeat_at) const;  // seconds; infinity when unreadable
  RunInfo with_staleness(RunInfo info) const;

  // The row id, status and holder of a run; throws StoreError for an unknown key.
  struct RunRow {
    int64_t id = 0;
    RunStatus status = RunStatus::Queued;
    std::string claimed_by;
  };
  RunRow require_run(const std::string& run_key);
  // Throws LostRunError unless this Store holds the run and it is running.
  void require_held(const std::string& run_key, const RunRow& row) const;
  int64_t last_epoch(int64_t run_id);
  void ensure_experiment(const std::string& name);
};

}  // namespace ablate::results
