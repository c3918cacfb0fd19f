#pragma once
// What an `ablate slurm` job is: the experiment and the settings of its runs, how they are cut into array
// tasks and how they are submitted. Stored as JOB/job.json in the job folder, so that `status`, `collect`
// and a resubmission work from the folder alone, whatever has happened to experiments/ since.

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runner/run_selection.h"

namespace ablate::runner::slurm {

struct JobSettings {
  // Identity: which runs exist and which array task trains each one. Once a folder holds work, these
  // must not change (see identity_difference).
  std::string profile;              // "" = the experiment's base settings
  std::vector<std::string> sets;    // --set path=value, in order
  std::vector<std::string> only;    // --only variant names; empty = all
  std::vector<int64_t> seeds;       // --seeds; empty = the experiment's/profile's
  int64_t tasks = 0;                // array tasks = shards

  // How it is submitted: free to change from one submission to the next.
  int64_t parallel = 0;             // array tasks running at once (%K); 0 = no limit
  int64_t gpus_per_run = 0;         // GPUs each array task asks for
  std::vector<std::string> sbatch;  // extra sbatch options, one per element ("--time=4:00:00")
  bool retry_failed = false;        // rerun runs stored as failed

  // Where things are; absolute paths, fixed when the folder is written.
  std::string experiment;   // NAME as given on the command line, for messages
  std::string source_file;  // the experiment file that was frozen
  std::string frozen_file;  // its copy, relative to the job folder
  std::string db;           // the user's results database the collect step merges into
  std::string reports;      // folder `ablate report` writes into (--out)
  std::string workdir;      // working directory of the jobs (where the command was given)
  std::string ablate;       // the executable the jobs run
};

nlohmann::json to_json(const JobSettings& settings);
// Throws std::runtime_error naming `file` and the field when a field is missing or mistyped.
JobSettings job_settings_from_json(const nlohmann::json& json, const std::string& file);

// "" when `stored` and `asked` define the same runs cut into the same tasks; otherwise a phrase naming
// the first difference, e.g. "--tasks 3 there, 2 here".
std::string identity_difference(const JobSettings& stored, const JobSettings& asked);

// The runs of array task `task` (shard task/tasks), as `ablate run --shard` selects them.
RunSelection shard_selection(const JobSettings& settings, int64_t task);

}  // namespace ablate::runner::slurm
