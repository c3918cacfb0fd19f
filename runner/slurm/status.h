#pragma once
// `ablate slurm status JOB_FOLDER` and `ablate slurm collect JOB_FOLDER`: what a job folder's shards hold,
// and folding them into the user's results database (plus the report).

#include <string>

namespace ablate::runner::slurm {

// Prints, per array task, its runs' states (finished, running, interrupted, failed with the error, not
// started), the totals, the last submission and how much of it the user's database holds. Exit status 0.
int print_status(const std::string& job_folder);

// Merges every shard database present into the job's results database (results/merge.h: per run the
// most complete copy wins, so collecting again changes nothing) and writes the report. Exit status 0,
// also when no task has started yet (nothing to merge).
int collect(const std::string& job_folder);

}  // namespace ablate::runner::slurm
