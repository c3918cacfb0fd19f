#pragma once
// The arguments every command that reads an experiment file shares, declared once so that `show`,
// `table`, `plot` and `report` spell and explain them the same way.

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace ablate::runner {

struct ExperimentOptions {
  std::string name;     // experiments/NAME.yaml or a path
  std::string profile;  // "" = the experiment's own settings
  std::string dir;      // experiments directory; "" = config::experiments_dir() default
  std::vector<std::string> sets;  // --set path=value overrides
};

// Adds NAME (required), --profile, --dir and --set to `cmd`, bound to `options`.
// --set help of the commands that read stored runs: their overrides must match the ones trained with.
inline constexpr const char* kTrainedOverridesHelp =
    "The same overrides the runs were trained with, e.g. --set train.epochs=2";

inline void add_experiment_options(CLI::App* cmd, ExperimentOptions& options, const std::string& set_help) {
  cmd->add_option("name", options.name, "Experiment: a YAML file path or the name of experiments/NAME.yaml")
      ->required();
  cmd->add_option("--profile", options.profile, "Profile of the experiment (e.g. cpu, quick)");
  cmd->add_option("--dir", options.dir, "Experiments directory for NAME");
  // One value per --set, so `--set a=1 NAME` never swallows NAME.
  cmd->add_option("--set", options.sets, set_help)->allow_extra_args(false);
}

}  // namespace ablate::runner
