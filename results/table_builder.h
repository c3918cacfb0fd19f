#pragma once
// Paper-style tables of an experiment: rows, grouping and paper values from its YAML (config::Experiment
// and the RunSpecs it expands to), reproduced values and progress from the results store.
//
// Results layout (`ablate table`), paper Table 3/4 style:
//   model | setting (CxWd) | params | MACs | per metric: [paper] | reproduced mean ± stat (n) | [delta]
// Rows follow the variants' file order, grouped by the `table.group_by` label (groups in order of first
// appearance). Paper and delta columns appear only for metrics some variant has a paper value for.
// A setting whose planned seeds have not all finished shows its progress ("2/3 seeds, epoch 4/10")
// instead of a number; the best finished value of each group is marked.
//
// Architecture layout (`--layout architecture`), paper Table 1 style: one column per variant with its
// stage templates, then params and MACs. Needs no runs.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/config/experiment.h"
#include "core/config/run_spec.h"
#include "results/metric_selection.h"
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
};

// The store's name for a table metric: top1_err -> val_top1_err (errors are measured on the evaluation
// split, see eval_split); names that already start with "val_" or "train_" are used as they are.
std::string store_metric(const std::string& metric);
// Column caption: "top-1 err (%)", "top-5 err (%)", else the metric name.
std::string metric_caption(const std::string& metric);

// One setting (variant) of the experiment with everything its row needs; plain data, so the layout is
// testable without a store.
struct SettingResult {
  std::string variant;
  std::string group;    // value of the group_by label; "" when the table is not grouped
  std::string setting;  // "32x4d"
  std::string row;      // value of the table's `row` label, else the variant name (shortcut layout key)
  bool shortcut = true; // model.shortcut
  int64_t params = 0;
  int64_t macs = 0;
  std::map<std::string, double> paper;               // metric -> the paper's value
  std::map<std::string, std::vector<double>> values;  // metric -> values of the finished seeds
  std::string eval_split;  // "val" or "test": what the val_* metrics were measured on (store, else config)
  Progress progress;       // seeds_total = seeds planned by the experiment
  // An evaluation-only run (`ablate eval`) of the setting listed before it: variant and row end in
  // ", evaluated: FILE", values hold its one evaluation.
  bool evaluation_only = false;
  bool complete() const { return progress.seeds_finished >= progress.seeds_total && progress.seeds_total > 0; }
};

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
// Params and MACs are those of the variant with shortcuts.
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

}  // namespace ablate::results
