// `ablate table NAME [--profile P] [--format text|md|latex|csv] [--metric M]... [--stat std|sem|ci95]
//  [--epoch final|best] [--layout results|architecture] [--db PATH]`: the experiment's paper-style table.
// Read-only: a missing database gives the table of an experiment with no runs yet (progress 0/N), and
// nothing is created.
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "core/config/expand.h"
#include "core/config/experiment.h"
#include "results/store.h"
#include "results/table_builder.h"
#include "results/table_render.h"
#include "runner/commands/commands.h"
#include "runner/commands/experiment_options.h"

namespace ablate::runner {

namespace {

struct TableArgs : ExperimentOptions {
  std::string format = "text";
  std::vector<std::string> metrics;
  std::string stat = "std";
  std::string epoch = "final";
  std::string layout = "results";
  std::string db = results::kDefaultDatabasePath;
};

// The store to read: the database when it exists, else an empty in-memory one (nothing ran yet).
results::Store open_for_reading(const std::string& db) {
  if (db != ":memory:" && !std::filesystem::exists(db)) return results::Store::open(":memory:");
  results::StoreOptions options;
  options.create_if_missing = false;
  return results::Store::open(db, options);
}

int run_table(const TableArgs& args) {
  const config::Experiment experiment = config::load_experiment(config::find_experiment(args.name, args.dir));
  const results::TableFormat format = results::parse_table_format(args.format);
  results::Table table;
  if (args.layout == "architecture") {
    table = results::architecture_table(results::table_title(experiment, args.profile) + ": architectures",
                                        config::expand(experiment, args.profile, args.sets));
  } else {
    results::ResultsTableOptions options;
    options.metrics = args.metrics;
    options.stat = results::parse_stat(args.stat);
    options.epoch = args.epoch == "best" ? results::EpochPick::Best : results::EpochPick::Final;
    const results::Store store = open_for_reading(args.db);
    table = results::build_results_table(experiment, args.profile, store, options, args.sets);
  }
  std::cout << results::render_table(table, format);
  return 0;
}

}  // namespace

void add_table_command(CLI::App& app, int& status) {
  auto args = std::make_shared<TableArgs>();
  CLI::App* cmd = app.add_subcommand(
      "table", "Print an experiment's paper-style table: paper value, reproduced mean +- spread (n), delta");
  add_experiment_options(cmd, *args, kTrainedOverridesHelp);
  cmd->add_option("--format", args->format, "Output format")->check(CLI::IsMember({"text", "md", "markdown", "latex", "csv"}));
  cmd->add_option("--metric", args->metrics,
                  "Metric column(s): top1_err, top5_err, or a stored name such as train_loss (repeatable; "
                  "default: the experiment's table hints)");
  cmd->add_option("--stat", args->stat, "Spread after the mean")->check(CLI::IsMember({"std", "sem", "ci95"}));
  cmd->add_option("--epoch", args->epoch, "Which epoch of each run")->check(CLI::IsMember({"final", "best"}));
  cmd->add_option("--layout", args->layout, "results: reproduced numbers; architecture: stage templates (Table 1)")
      ->check(CLI::IsMember({"results", "architecture"}));
  cmd->add_option("--db", args->db, "Results database")->capture_default_str();
  cmd->callback([args, &status] { status = run_table(*args); });
}

}  // namespace ablate::runner
