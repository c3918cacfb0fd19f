#pragma once
// A sweep: the runs an `ablate run` invocation owns, trained one after another into the results store
// (or the evaluation-only run of `ablate eval`, evaluated).
// Finished runs are skipped, runs whose training another experiment (or variant) already did are adopted
// (runner/run_reuse.h; off with --no-reuse), interrupted ones resume from their last complete epoch, a run that fails
// (exception, divergence) is stored as failed (one-line message, full text in <checkpoints>/<run
// key>/failure.log) and the sweep goes on, and a run another process took over is left to it.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "core/config/experiment.h"
#include "core/config/run_spec.h"
#include "runner/run_selection.h"

namespace ablate::runner {

struct SweepOptions {
  std::string experiment;       // name in the experiments directory, or a path
  std::string experiments_dir;  // "" = config::experiments_dir() default
  std::string profile;          // "" = the experiment's base settings
  RunSelection selection;
  std::string db;               // results database
  std::string checkpoint_root = "results/checkpoints";
  bool retry_failed = false;       // false: a run stored as failed is reported and skipped
  // true: adopt a finished run with the same training key, or finish an interrupted one and adopt it
  // (runner/run_reuse.h). false (`--no-reuse`): train every run here, an adopted one included.
  bool reuse = true;
  bool dry_run = false;            // print the plan (with each run's stored status) and train nothing
  bool keep_checkpoints = false;   // false: a finished run keeps only its final checkpoint
  bool quiet = false;
  std::vector<std::string> arguments;  // the invocation, recorded with every run
  // Data-parallel (runner/replicas.h): train every run on this many local processes (`--nproc`), which
  // ablate starts itself (runner/replica_launcher.h). 0: as the environment says (a torchrun or srun
  // launch makes this process one rank of a group), else one process.
  int64_t processes = 0;
  // How long a rank waits in a collective for the others before giving up (`--collective-timeout`).
  std::chrono::milliseconds collective_timeout{std::chrono::minutes(5)};
};

// Exit status: 0 when every owned run is finished (now or before), 1 when any failed, 130 when stopped
// by SIGINT/SIGTERM (the running run is then stored as killed and resumes on the next invocation).
// Bad configuration, an unusable database and empty or misplaced --db/--checkpoints paths throw before
// anything trains (the caller prints one line, exit 2).
// Data-parallel: every rank runs the same sweep; rank 0 decides and stores, the others follow (see
// replicas.h). A broken group (a rank died or hung) ends the sweep with status 1, the run stored killed
// with the reason naming the rank, resumable by the next invocation.
int run_sweep(const SweepOptions& options);

// The part of run_sweep after planning, for commands that plan their own runs (`ablate eval`): `runs` of
// `experiment` (read from `path`), one after another, with the same claims, skips, failure handling and exit
// status. An evaluation-only run (config::evaluation_spec) is evaluated (train::Trainer::evaluate_only)
// instead of trained. options.experiment names it in messages; options.selection is not used.
int run_planned(const SweepOptions& options, const config::Experiment& experiment, const std::string& path,
                const std::vector<config::RunSpec>& runs);

}  // namespace ablate::runner
