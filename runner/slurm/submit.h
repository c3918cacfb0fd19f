#pragma once
// `ablate slurm NAME ...`: writes (or reuses) the job folder of an experiment and its two batch scripts,
// then shows them (--print) or submits them (--submit). A folder that already holds work is resubmitted:
// only array tasks with runs left to train are submitted, and those skip finished runs and resume
// interrupted ones from the checkpoints in the folder.

#include <cstdint>
#include <string>
#include <vector>

namespace ablate::runner::slurm {

struct SubmitOptions {
  std::string experiment;       // NAME or a YAML path
  std::string experiments_dir;  // "" = config::experiments_dir() default
  std::string profile;
  std::vector<std::string> sets;
  std::vector<std::string> only;
  std::vector<int64_t> seeds;
  int64_t tasks = 0;            // used when tasks_given; otherwise one task per run
  bool tasks_given = false;
  int64_t parallel = 0;         // used when parallel_given; otherwise no limit
  bool parallel_given = false;
  int64_t gpus_per_run = 0;
  std::vector<std::string> sbatch;
  bool retry_failed = false;
  std::string job_dir;          // "" = results/slurm/STEM[-PROFILE]
  std::string db;               // the user's results database
  std::string reports = "reports";
  bool submit = false;          // false: --print
};

// Exit status 0. Bad arguments, an unknown experiment, a missing sbatch, a folder of other settings or
// jobs of the folder still queued throw with a one-line message; nothing is submitted then.
int submit_job(const SubmitOptions& options);

}  // namespace ablate::runner::slurm
