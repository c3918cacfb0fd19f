// `ablate eval NAME --variant V --weights FILE [--profile P] [--seed S] [--set k=v]... [--device D] [--db PATH]
// [--checkpoints DIR]`:
// evaluates given weights (a state_dict file: `ablate export`'s, or Python's torch.save(model.state_dict()),
// torchvision's published weights included) with one variant's settings: its model, its evaluation split
// and evaluation transform (for imagenet: resize to 256/224 of the crop, centre crop, normalise), through
// the trainer's own evaluation. The result is stored as an evaluation-only run ("eval only" in `ablate runs`,
// an "evaluated: FILE" row under the variant in `ablate table`). The run key covers the variant's settings
// and the file's SHA-256: evaluating the same bytes again is skipped; a failed evaluation is retried. No
// checkpoint is written; a failure's full text goes to DIR/<run key>/failure.log as for `ablate run`.
#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/config/experiment.h"
#include "core/config/weights_source.h"
#include "results/store.h"
#include "runner/commands/commands.h"
#include "runner/commands/experiment_options.h"
#include "runner/run_selection.h"
#include "runner/stored_results.h"
#include "runner/sweep.h"

namespace ablate::runner {

namespace {

struct EvalArgs : ExperimentOptions {
  std::string variant;
  std::string weights;
  std::optional<int64_t> seed;
  int64_t seed_value = 0;  // --seed as parsed; `seed` is set when it was given
  std::string device;
  std::string db = results::kDefaultDatabasePath;
  std::string checkpoints = "results/checkpoints";
  bool quiet = false;
};

// The stored evaluation in one line, whether this invocation or an earlier one made it.
void print_result(const std::string& db, const config::RunSpec& evaluation) {
  const results::Store store = open_stored_results(db);
  const results::EpochMetrics last = store.last_metrics(evaluation.run_key);
  const auto value = [&](const char* name) {
    const auto found = last.values.find(name);
    return found == last.values.end() ? std::nan("") : found->second;
  };
  if (last.epoch == 0) return;
  fmt::print("{} evaluated with {}: top-1 error {:.3f}%, top-5 error {:.3f}%, loss {:.4f} (run {})\n",
             evaluation.variant, evaluation.evaluated_weights.path, value("val_top1_err"), value("val_top5_err"),
             value("val_loss"), evaluation.run_key);
}

int run_eval(const EvalArgs& args, const std::vector<std::string>& arguments) {
  const std::string path = config::find_experiment(args.name, args.dir);
  const config::Experiment experiment = config::load_experiment(path);
  std::vector<std::string> sets = args.sets;
  if (!args.device.empty()) sets.push_back("train.device=" + args.device);
  const config::RunSpec planned = select_one_run(experiment, args.profile, sets, args.variant, args.seed);
  const config::RunSpec evaluation = config::evaluation_spec(planned, config::weights_source(args.weights));

  SweepOptions options;
  options.experiment = args.name;
  options.profile = args.profile;
  options.db = args.db;
  options.checkpoint_root = args.checkpoints;
  options.retry_failed = true;  // an evaluation that failed (e.g. weights of another model) loses nothing by rerunning
  options.quiet = args.quiet;
  options.arguments = arguments;
  const int status = run_planned(options, experiment, path, {evaluation});
  if (status == 0) print_result(args.db, evaluation);
  return status;
}

}  // namespace

void add_eval_command(CLI::App& app, int& status, const std::vector<std::string>& arguments) {
  auto args = std::make_shared<EvalArgs>();
  CLI::App* cmd = app.add_subcommand(
      "eval", "Evaluate given weights (a state_dict file) with a variant's settings and store an evaluation-only run");
  add_experiment_options(cmd, *args, "Override a setting: path=value (repeatable), e.g. --set data.root=/data/imagenet");
  cmd->add_option("--variant", args->variant, "The variant whose model, data and evaluation to use")->required();
  cmd->add_option("--weights", args->weights,
                  "The weights: a torch.save file of a state_dict (ablate export's, or torchvision's)")
      ->required();
  CLI::Option* seed = cmd->add_option(
      "--seed", args->seed_value, "Seed of the variant's settings (default: its first; the weights replace the seeded "
                                  "initialisation)");
  cmd->add_option("--device", args->device, "auto | cpu | cuda | cuda:N (default: as configured)");
  cmd->add_option("--db", args->db, "Results database")->capture_default_str();
  cmd->add_option("--checkpoints", args->checkpoints,
                  "Checkpoint directory, as for run: an evaluation writes no checkpoint, a failed one its failure.log "
                  "in DIR/<run key>/")
      ->capture_default_str();
  cmd->add_flag("--quiet,-q", args->quiet, "Only problems and the final tally");
  cmd->callback([args, seed, &status, arguments] {
    if (seed->count() > 0) args->seed = args->seed_value;
    status = run_eval(*args, arguments);
  });
}

}  // namespace ablate::runner
