#pragma once
// Paper-style tables of an experiment: rows, grouping and paper values from its YAML (config::Experiment
// and the RunSpecs it expands to), reproduced values and progress from the results store.
//
// Results layout (`ablate table`), paper Table 3/4 style:
//   model | setting (CxWd) | params | MACs | per metric: [paper] | reproduced mean ± stat (n) | [delta]
// Rows follow the variants' file order, grouped by the `table.group_by` label (groups in order of first
// appearance). Paper and delta columns appear only for metrics some variant has a paper value for.
// A setting whose planned seeds have not all finished shows its progress ("2/3 seeds, epoch 4/10")
// instead of a number. Marks come from tests over seeds (table_statistics.h): a dagger on a value that
// differs from its reference row (table.reference, else its group's first row) beyond noise, and
// "best" on a group's best value only when it beats the runner-up beyond noise. With --compare,
// each metric gets the difference to the reference, its 95% interval and the Holm-adjusted p. A setting
// whose seeds were adopted from another experiment's identical training is marked ("(adopted)",
// "(2/3 adopted)").
//
// Architecture layout (`--layout architecture`), paper Table 1 style: one column per variant with its
// stage templates, then params and MACs. Needs no runs.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/config/experiment.h"
#include "core/config/run_spec.h"
#include "results/claims.h"
#include "results/metric_selection.h"
#include "results/setting_result.h"
#include "results/significance.h"
#include "results/stats.h"
#include "results/store.h"
#include "results/table_model.h"

namespace ablate::results {

struct ResultsTableOptions {
  // Table metrics as named in `paper:` blocks (top1_err, top5_err), or any stored metric name
  // (train_loss, val_loss, ...). Empty = the experiment's table hints.
  std::vector<std::string> metrics;
  Stat stat = Stat::std;
  EpochPick epoch = EpochPick::Final;
  // Best epoch of runs evaluated on the test split: refused (check_epoch_pick) unless set; the footer
  // then says the selection was made on the test set.
  bool allow_test_selection = false;
  int decimals = 2;
  // The test behind the marks (best, differs) and the comparison columns: Welch's, or paired by seed.
  TestKind test = TestKind::welch;
  // Adds, after each metric, the difference to the row's reference, its 95% interval and the
  // Holm-adjusted p (`--compare`). The marks are shown either way.
  bool compare_columns = false;
  // The variant every other row is compared with; "" = each group's first row. build_results_table
  // takes it from the experiment's table.reference.
  std::string reference;
};

// The store's name for a table metric: top1_err -> val_top1_err (errors are measured on the evaluation
// split, see eval_split); names that already start with "val_" or "train_" are used as they are.
std::string store_metric(const std::string& metric);
// Column caption: "top-1 err (%)", "top-5 err (%)", else the metric name.
std::string metric_caption(const std::string& metric);

// `runs` = config::expand(experiment, profile): its variants (in order), seeds and resolved models.
// Each planned run is looked up in `store` by run key (whatever profile stored it: equal keys mean
// equal configs); a finished run contributes its metric at the final or best epoch (best = lowest for
// errors and losses, highest otherwise). Each evaluation-only run stored for one of the planned runs'
// settings (config::evaluated_setting) follows its setting as a row of its own. `profile` is kept for
// symmetry with the other queries.
std::vector<SettingResult> collect_settings(const config::Experiment& experiment,
                                            const std::vector<config::RunSpec>& runs, const Store& store,
                                            const std::string& profile, const std::vector<std::string>& metrics,
                                            EpochPick epoch);

// The results layout from collected settings. `metrics` must be non-empty.
Table results_table(const std::string& title, const std::vector<SettingResult>& settings,
                    const std::vector<std::string>& metrics, const ResultsTableOptions& options);

// The shortcut layout (table.layout: shortcut, paper Sec. 5.1): settings sharing a row label become one
// row, "with shortcut" and "without shortcut" side by side, each with its paper value and delta.
// Params and MACs are those of the variant with shortcuts. The without-shortcut value of a row is
// compared with its with-shortcut value (the comparison columns follow the without side).
Table shortcut_table(const std::string& title, const std::vector<SettingResult>& settings,
                     const std::vector<std::string>& metrics, const ResultsTableOptions& options);

// The architecture layout from the runs (one column per variant; seeds of a variant share a model).
Table architecture_table(const std::string& title, const std::vector<config::RunSpec>& runs);

// "Title" or "Title (profile cpu)".
std::string table_title(const config::Experiment& experiment, const std::string& profile);

// Metrics to show: options.metrics, else the experiment's table hints, else top1_err.
std::vector<std::string> table_metrics(const config::Experiment& experiment, const ResultsTableOptions& options);

// The whole results table: expand (with the same --set overrides the runs were trained with), check the
// epoch pick (check_epoch_pick), collect, lay out as the experiment's table.layout says (plain:
// results_table, shortcut: shortcut_table).
Table build_results_table(const config::Experiment& experiment, const std::string& profile, const Store& store,
                          const ResultsTableOptions& options, const std::vector<std::string>& set_overrides = {});

// The verdicts on the experiment's claims over the same runs as build_results_table (same expansion,
// epoch pick and test), whatever metrics the table shows.
Findings build_findings(const config::Experiment& experiment, const std::string& profile, const Store& store,
                        const ResultsTableOptions& options, const std::vector<std::string>& set_overrides = {});

}  // namespace ablate::results
