// `ablate table NAME [--profile P] [--format text|md|latex|csv] [--metric M]... [--stat std|sem|ci95]
//  [--epoch final|best [--allow-test-selection]] [--compare [welch|paired]] [--layout results|architecture]
//  [--db PATH]`: the experiment's paper-style table, then the Findings on its claims (not in CSV, which
// is data). Reads the database only; a missing one is an error, as for runs, plot and report (the
// architecture layout needs no database).
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "core/config/expand.h"
#include "core/config/experiment.h"
#include "results/store.h"
#include "results/findings_render.h"
#include "results/table_builder.h"
#include "results/table_render.h"
#include "runner/commands/commands.h"
#include "runner/commands/experiment_options.h"
#include "runner/stored_results.h"

namespace ablate::runner {

namespace {

struct TableArgs : ExperimentOptions {
  std::string format = "text";
  std::vector<std::string> metrics;
  std::string stat = "std";
  std::string epoch = "final";
  bool allow_test_selection = false;
  std::string compare;  // "" = marks only; welch | paired = comparison columns with that test
  std::string layout = "results";
  std::string db = results::kDefaultDatabasePath;
};

int run_table(const TableArgs& args) {
  const config::Experiment experiment = config::load_experiment(config::find_experiment(args.name, args.dir));
  const results::TableFormat format = results::parse_table_format(args.format);
  results::Table table;
  std::string findings;
  if (args.layout == "architecture") {
    table = results::architecture_table(results::table_title(experiment, args.profile) + ": architectures",
                                        config::expand(experiment, args.profile, args.sets));
  } else {
    results::ResultsTableOptions options;
    options.metrics = args.metrics;
    options.stat = results::parse_stat(args.stat);
    options.epoch = args.epoch == "best" ? results::EpochPick::Best : results::EpochPick::Final;
    options.allow_test_selection = args.allow_test_selection;
    options.compare_columns = !args.compare.empty();
    if (options.compare_columns) options.test = results::parse_test_kind(args.compare);
    const results::Store store = open_stored_results(args.db, args.name);
    table = results::build_results_table(experiment, args.profile, store, options, args.sets);
    findings = results::render_findings(results::build_findings(experiment, args.profile, store, options, args.sets),
                                        format);
  }
  std::cout << results::render_table(table, format);
  if (!findings.empty()) std::cout << "\n" << findings;
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
  cmd->add_flag("--allow-test-selection", args->allow_test_selection,
                "Allow --epoch best on runs evaluated on the test split (data.val_size = 0); the footer says so");
  cmd->add_option("--compare", args->compare,
                  "Add each row's difference to its reference row, 95% CI and Holm-adjusted p; paired: pair runs "
                  "by seed (valid when every variant ran the same seeds on the same data)")
      ->expected(0, 1)
      ->default_str("welch")
      ->check(CLI::IsMember({"welch", "paired"}));
  cmd->add_option("--layout", args->layout, "results: reproduced numbers; architecture: stage templates (Table 1)")
      ->check(CLI::IsMember({"results", "architecture"}));
  cmd->add_option("--db", args->db, "Results database")->capture_default_str();
  cmd->callback([args, &status] { status = run_table(*args); });
}

}  // namespace ablate::runner
