#pragma once
// The two batch scripts of an `ablate slurm` job, as text. Every path in them is absolute and every value
// is shell-quoted, so they run the same from any node and any directory.
//
// array.sbatch: one array task per shard. Task i `exec`s `ablate run FROZEN --shard i/N` into its own
// database shards/shard-i.db; the exec makes ablate the batch shell itself, so Slurm's early warning
// (`--signal=B:TERM@120`: SIGTERM to the batch shell two minutes before the time limit) and scancel's
// SIGTERM reach ablate, which ends the run at a step boundary with its last epoch checkpointed and the run
// stored as killed, resumable by the next submission. With --gpus-per-run G > 1 each task asks for G
// tasks and G GPUs of one node and `exec`s `srun --kill-on-bad-exit=1 ablate run ...`: srun starts the G
// ranks of every run (ablate reads their srun environment, rank r on cuda:SLURM_LOCALID), forwards the
// SIGTERM to them, and ends the others when one dies.
// collect.sbatch: submitted with --dependency=afterany:ARRAY, so it runs however the tasks end
// (finished, failed, cancelled, timed out): `ablate slurm collect JOB` merges the shards into the user's
// database and writes the report.

#include <cstdint>
#include <string>
#include <vector>

#include "runner/slurm/job_folder.h"
#include "runner/slurm/job_settings.h"

namespace ablate::runner::slurm {

// Seconds before the time limit at which Slurm sends the batch shell SIGTERM.
inline constexpr int kEarlySignalSeconds = 120;

// The one place that decides what --gpus-per-run can do: 0 (CPU), 1 (one GPU per array task), or G > 1
// (each run data-parallel over G GPUs of one node, one srun task per GPU). Throws std::invalid_argument
// for a negative count.
void check_gpus_per_run(int64_t gpus);

// "0-3,5,7-8" for {0,1,2,3,5,7,8}: Slurm's --array syntax. `tasks` ascending, unique, non-empty.
std::string array_ranges(const std::vector<int64_t>& tasks);

// The scripts for submitting array tasks `tasks` (ascending) of the job in `folder`.
std::string array_script(const JobFolder& folder, const JobSettings& settings, const std::vector<int64_t>& tasks);
std::string collect_script(const JobFolder& folder, const JobSettings& settings);

}  // namespace ablate::runner::slurm
