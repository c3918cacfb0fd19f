// `ablate slurm NAME ...`: a whole experiment as a Slurm job array plus a dependent collect job (see
// runner/slurm/); `ablate slurm status JOB_FOLDER` and `ablate slurm collect JOB_FOLDER` watch and fold
// in what its tasks stored.
#include <memory>
#include <stdexcept>

#include "results/store.h"
#include "runner/commands/commands.h"
#include "runner/slurm/status.h"
#include "runner/slurm/submit.h"

namespace ablate::runner {

void add_slurm_command(CLI::App& app, int& status) {
  auto options = std::make_shared<slurm::SubmitOptions>();
  auto folder = std::make_shared<std::string>();
  options->db = results::kDefaultDatabasePath;
  CLI::App* cmd = app.add_subcommand(
      "slurm",
      "Run an experiment on a Slurm cluster: a job array (one task per shard of the runs, each with its own "
      "database in a job folder) and a dependent job that merges them into --db and writes the report. "
      "Resubmitting the same command skips finished runs and resumes interrupted ones");
  // NAME is checked in the callback: `ablate slurm status FOLDER` has none.
  cmd->add_option("name", options->experiment, "Experiment: a name in experiments/ or a YAML path");
  cmd->add_option("--profile,-p", options->profile, "Profile of the experiment (e.g. quick, cpu)");
  cmd->add_option("--set", options->sets, "Override a setting: path=value (repeatable)")->allow_extra_args(false);
  cmd->add_option("--only", options->only, "Train only this variant (repeatable)")->allow_extra_args(false);
  cmd->add_option("--seeds", options->seeds, "Seeds to run instead of the experiment's (e.g. 0,1,2)")->delimiter(',');
  CLI::Option* tasks = cmd->add_option("--tasks", options->tasks, "Array tasks (shards of the runs); default: one per run");
  CLI::Option* parallel = cmd->add_option("--parallel", options->parallel, "Array tasks running at once (%K); default: no limit");
  cmd->add_option("--gpus-per-run", options->gpus_per_run, "GPUs per run: 0 (CPU, default), 1, or G > 1 (data-parallel over G GPUs of one node, one srun task each)");
  cmd->add_option("--sbatch", options->sbatch,
                  "An sbatch option for both jobs, written with '=' (repeatable): --sbatch=--time=4:00:00 "
                  "--sbatch=--partition=gpu")
      ->allow_extra_args(false);
  cmd->add_flag("--retry-failed", options->retry_failed, "Rerun runs stored as failed");
  cmd->add_option("--job-dir", options->job_dir,
                  "Job folder on storage every node sees; default results/slurm/NAME[-PROFILE]");
  cmd->add_option("--db", options->db, "Results database the collect job merges into")->capture_default_str();
  cmd->add_option("--out", options->reports, "Folder the collect job writes the report into")->capture_default_str();
  cmd->add_option("--dir", options->experiments_dir, "Experiments directory");
  CLI::Option* submit = cmd->add_flag("--submit", options->submit, "Submit the two jobs with sbatch");
  CLI::Option* print = cmd->add_flag("--print", "Write the job folder and show its scripts; submit nothing (default)");
  submit->excludes(print);
  cmd->require_subcommand(0, 1);
  cmd->callback([cmd, options, tasks, parallel, &status] {
    if (!cmd->get_subcommands().empty()) return;  // status / collect ran
    if (options->experiment.empty()) {
      throw std::invalid_argument("ablate slurm: give an experiment NAME, or a subcommand: status JOB_FOLDER, collect JOB_FOLDER");
    }
    options->tasks_given = tasks->count() > 0;
    options->parallel_given = parallel->count() > 0;
    status = slurm::submit_job(*options);
  });

  CLI::App* status_cmd = cmd->add_subcommand(
      "status", "Where each run of a job folder stands: finished, running, interrupted, failed (with its error), "
                "not started");
  status_cmd->add_option("job_folder", *folder, "The job folder `ablate slurm --submit` printed")->required();
  status_cmd->callback([folder, &status] { status = slurm::print_status(*folder); });

  CLI::App* collect_cmd = cmd->add_subcommand(
      "collect", "Merge the shard databases of a job folder into its results database and write the report "
                 "(what the collect job runs; running it again changes nothing)");
  collect_cmd->add_option("job_folder", *folder, "The job folder `ablate slurm --submit` printed")->required();
  collect_cmd->callback([folder, &status] { status = slurm::collect(*folder); });
}

}  // namespace ablate::runner
