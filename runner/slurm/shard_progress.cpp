#include "runner/slurm/shard_progress.h"

#include <filesystem>
#include <optional>

#include "results/store.h"

namespace ablate::runner::slurm {

namespace {

RunState state_of(const results::RunInfo& info) {
  switch (info.status) {
    case results::RunStatus::Queued: return RunState::not_started;
    case results::RunStatus::Running: return info.stale ? RunState::interrupted : RunState::running;
    case results::RunStatus::Killed: return RunState::interrupted;
    case results::RunStatus::Failed: return RunState::failed;
    case results::RunStatus::Finished: return RunState::finished;
  }
  return RunState::not_started;
}

}  // namespace

const char* to_string(RunState state) {
  switch (state) {
    case RunState::not_started: return "not started";
    case RunState::running: return "running";
    case RunState::interrupted: return "interrupted";
    case RunState::failed: return "failed";
    case RunState::finished: return "finished";
  }
  return "?";
}

bool ShardProgress::has_work(bool retry_failed) const {
  for (const RunProgress& run : runs) {
    if (run.state == RunState::finished) continue;
    if (run.state == RunState::failed && !retry_failed) continue;
    return true;
  }
  return false;
}

std::vector<ShardProgress> read_progress(const JobFolder& folder, const config::Experiment& experiment,
                                         const JobSettings& settings) {
  std::vector<ShardProgress> shards;
  for (int64_t task = 0; task < settings.tasks; ++task) {
    ShardProgress shard;
    shard.task = task;
    const std::string db = folder.shard_db(task).string();
    shard.database_exists = std::filesystem::exists(db);
    std::optional<results::Store> store;
    if (shard.database_exists) {
      results::StoreOptions read_only;
      read_only.read_only = true;
      store.emplace(results::Store::open(db, read_only));
    }
    for (const config::RunSpec& spec : select_runs(experiment, settings.profile, shard_selection(settings, task))) {
      RunProgress run;
      run.variant = spec.variant;
      run.seed = spec.seed;
      run.run_key = spec.run_key;
      run.epochs_planned = spec.train.epochs;
      if (store) {
        if (const auto info = store->find_run(spec.run_key)) {
          run.state = state_of(*info);
          run.epochs_done = info->epochs_done;
          run.error = info->error;
        }
      }
      shard.runs.push_back(run);
    }
    shards.push_back(shard);
  }
  return shards;
}

}  // namespace ablate::runner::slurm
