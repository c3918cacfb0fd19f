#pragma once
// Talking to Slurm through its client commands (sbatch, squeue), run without a shell.

#include <string>
#include <vector>

namespace ablate::runner::slurm {

// The sbatch on PATH. Throws std::runtime_error saying what --submit needs when there is none.
std::string require_sbatch();

// Submits `script` with `options` before it (e.g. "--dependency=afterany:12") and returns the job id.
// Throws std::runtime_error with sbatch's own message when it refuses.
std::string submit(const std::string& sbatch, const std::string& script, const std::vector<std::string>& options);

// Which of `job_ids` (array or plain job ids) squeue still lists for this user. Throws std::runtime_error
// when squeue cannot be asked.
std::vector<std::string> still_queued(const std::vector<std::string>& job_ids);

}  // namespace ablate::runner::slurm
