// `ablate run NAME`: train every run of an experiment that is not finished yet.
#include <chrono>
#include <memory>

#include "results/store.h"
#include "runner/commands/commands.h"
#include "runner/sweep.h"

namespace ablate::runner {

void add_run_command(CLI::App& app, int& status, const std::vector<std::string>& arguments) {
  auto options = std::make_shared<SweepOptions>();
  auto shard = std::make_shared<std::string>("0/1");
  options->db = results::kDefaultDatabasePath;
  CLI::App* cmd = app.add_subcommand(
      "run", "Train every run (variant x seed) of an experiment: finished runs are skipped, interrupted ones "
             "resume, failed ones are recorded and the sweep goes on");
  cmd->add_option("name", options->experiment, "Experiment: a name in experiments/ or a YAML path")->required();
  cmd->add_option("--profile,-p", options->profile, "Profile of the experiment (e.g. quick, cpu, cifar)");
  // One value per occurrence, so `--set a=1 NAME` never swallows NAME.
  cmd->add_option("--set", options->selection.set_overrides, "Override a setting: path=value (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--only", options->selection.only, "Train only this variant (repeatable)")->allow_extra_args(false);
  cmd->add_option("--seeds", options->selection.seeds, "Seeds to run instead of the experiment's (e.g. 0,1,2)")
      ->delimiter(',');
  cmd->add_option("--device", options->selection.device, "auto | cpu | cuda | cuda:N (default: as configured)");
  cmd->add_option("--db", options->db, "Results database");
  cmd->add_option("--checkpoints", options->checkpoint_root, "Checkpoint directory (one folder per run key)");
  cmd->add_option("--shard", *shard, "Take the i-th of n disjoint parts of the runs: i/n, 0 <= i < n");
  cmd->add_option("--dir", options->experiments_dir, "Experiments directory");
  cmd->add_flag("--retry-failed", options->retry_failed, "Rerun runs stored as failed");
  auto no_reuse = std::make_shared<bool>(false);
  cmd->add_flag("--no-reuse", *no_reuse,
                "Train every run here, even one whose training (same training key) another experiment or "
                "variant already finished; runs adopted earlier are trained again");
  cmd->add_flag("--dry-run", options->dry_run, "Print the runs and their stored status; train nothing");
  cmd->add_flag("--keep-checkpoints", options->keep_checkpoints, "Keep every epoch's checkpoint of finished runs");
  cmd->add_flag("--quiet,-q", options->quiet, "Only problems and the final tally");
  cmd->add_option("--nproc", options->processes,
                  "Train each run data-parallel on N local processes (Gloo on CPU, NCCL on GPUs: cuda:0..N-1); "
                  "train.batch_size stays the global batch")
      ->check(CLI::PositiveNumber);
  auto timeout_seconds = std::make_shared<double>(300);
  cmd->add_option("--collective-timeout", *timeout_seconds,
                  "Seconds a data-parallel rank waits for the others in a collective before giving up (default 300)")
      ->check(CLI::PositiveNumber);
  cmd->callback([options, shard, timeout_seconds, no_reuse, &status, arguments] {
    options->reuse = !*no_reuse;
    options->collective_timeout = std::chrono::milliseconds(static_cast<int64_t>(*timeout_seconds * 1000));
    options->selection.shard = parse_shard(*shard);
    options->arguments = arguments;
    status = run_sweep(*options);
  });
}

}  // namespace ablate::runner
