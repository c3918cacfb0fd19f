#pragma once
// Which number of a run a table or figure shows: the metric's value at the final epoch or at the best
// one, and whether picking the best epoch is a fair thing to do on the split the run was evaluated on.
// The one definition of "lower is better" and of best-epoch picking for tables (table_builder) and
// figures (plots/figure_builder).

#include <optional>
#include <string>
#include <vector>

#include "core/config/run_spec.h"
#include "results/store.h"

namespace ablate::results {

// Which epoch of a run a statistic reads.
enum class EpochPick {
  Final,  // the highest epoch that has the metric
  Best,   // the lowest value over epochs for errors and losses, the highest otherwise
};

// Errors ("..._err") and losses (any name containing "loss") are better when smaller.
bool lower_is_better(const std::string& metric);

// The metric's value at the final or best epoch of `curve` (epochs ascending); nullopt when empty.
std::optional<double> pick_value(const std::vector<CurvePoint>& curve, const std::string& metric, EpochPick pick);

// The split a run's val_* metrics are measured on: "val" when data.val_size carves one from the
// training data, else "test" (the official test split).
const char* eval_split(const config::RunSpec& run);

// Picking each run's best epoch by its evaluation metrics selects a model on those metrics: on the test
// split that is test-set selection, and the numbers are optimistic. Throws std::invalid_argument saying
// to set data.val_size when `pick` is Best, some of `runs` evaluate on the test split and the caller did
// not pass allow_test_selection (--allow-test-selection).
void check_epoch_pick(const std::vector<config::RunSpec>& runs, EpochPick pick, bool allow_test_selection);

}  // namespace ablate::results
