#pragma once
// Where each run of an `ablate slurm` job stands, read from the shard databases of its folder: what
// `ablate slurm status` prints and what a resubmission uses to submit only the tasks with work left.
// Torch-free: the planned runs come from the frozen experiment, their states from SQLite.

#include <cstdint>
#include <string>
#include <vector>

#include "core/config/experiment.h"
#include "runner/slurm/job_folder.h"
#include "runner/slurm/job_settings.h"

namespace ablate::runner::slurm {

enum class RunState {
  not_started,  // no row in its shard database yet (or only queued)
  running,      // held by a live process (fresh heartbeat)
  interrupted,  // killed (scancel, time limit) or abandoned (stale heartbeat): the next submission resumes it
  failed,       // stored as failed, with its error; rerun only with --retry-failed
  finished,
};
const char* to_string(RunState state);

struct RunProgress {
  std::string variant;
  int64_t seed = 0;
  std::string run_key;
  int64_t epochs_planned = 0;
  RunState state = RunState::not_started;
  int64_t epochs_done = 0;
  std::string error;  // failed runs: the stored message
};

struct ShardProgress {
  int64_t task = 0;
  bool database_exists = false;
  std::vector<RunProgress> runs;  // in the order the task trains them

  // True when the task still has something to train: a run not finished (nor failed, unless
  // `retry_failed`).
  bool has_work(bool retry_failed) const;
};

// The planned runs of every task of the job (frozen experiment + settings), each with its stored state.
// Shard databases are read, never created: a missing one means its task has not started.
std::vector<ShardProgress> read_progress(const JobFolder& folder, const config::Experiment& experiment,
                                         const JobSettings& settings);

}  // namespace ablate::runner::slurm
