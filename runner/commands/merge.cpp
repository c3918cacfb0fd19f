// `ablate merge OUT.db IN.db...`: folds results databases of shards run elsewhere into one (see
// results/merge.h for the rules). Inputs are only read; the output is checked with integrity_check.
#include <fmt/format.h>

#include <memory>
#include <string>
#include <vector>

#include "results/merge.h"
#include "runner/commands/commands.h"
#include "runner/commands/merge.h"

namespace ablate::runner {

namespace {

struct MergeArgs {
  std::string output;
  std::vector<std::string> inputs;
};

}  // namespace

int run_merge(const std::string& output, const std::vector<std::string>& inputs) {
  const results::MergeReport report = results::merge_databases(output, inputs);
  fmt::print(
      "merged {} database{} into {}: {} run{} added, {} replaced by more complete copies, {} kept; "
      "{} metric rows copied; integrity_check ok\n",
      inputs.size(), inputs.size() == 1 ? "" : "s", output, report.runs_added, report.runs_added == 1 ? "" : "s",
      report.runs_replaced, report.runs_kept, report.metric_rows_copied);
  return 0;
}

void add_merge_command(CLI::App& app, int& status) {
  auto args = std::make_shared<MergeArgs>();
  CLI::App* cmd = app.add_subcommand(
      "merge", "Merge results databases (e.g. shards run on other machines) into OUT; per run key the most "
               "complete copy wins (finished first, then more epochs)");
  cmd->add_option("out", args->output, "Output database (created when missing)")->required();
  cmd->add_option("inputs", args->inputs, "Input databases (only read)")->required();
  cmd->callback([args, &status] { status = run_merge(args->output, args->inputs); });
}

}  // namespace ablate::runner
