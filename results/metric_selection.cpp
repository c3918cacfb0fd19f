#include "results/metric_selection.h"

#include <algorithm>
#include <stdexcept>

namespace ablate::results {

bool lower_is_better(const std::string& metric) {
  const bool error = metric.size() >= 4 && metric.compare(metric.size() - 4, 4, "_err") == 0;
  return error || metric.find("loss") != std::string::npos;
}

std::optional<double> pick_value(const std::vector<CurvePoint>& curve, const std::string& metric, EpochPick pick) {
  if (curve.empty()) return std::nullopt;
  double value = curve.back().value;
  if (pick == EpochPick::Best) {
    const bool lower = lower_is_better(metric);
    for (const CurvePoint& point : curve) value = lower ? std::min(value, point.value) : std::max(value, point.value);
  }
  return value;
}

const char* eval_split(const config::RunSpec& run) { return run.data.val_size > 0 ? "val" : "test"; }

void check_epoch_pick(const std::vector<config::RunSpec>& runs, EpochPick pick, bool allow_test_selection) {
  if (pick != EpochPick::Best || allow_test_selection) return;
  const auto on_test = std::find_if(runs.begin(), runs.end(),
                                    [](const config::RunSpec& run) { return run.data.val_size == 0; });
  if (on_test == runs.end()) return;
  throw std::invalid_argument(
      "--epoch best: variant '" + on_test->variant +
      "' is evaluated on the test split (data.val_size is 0), so picking its best epoch selects on the test "
      "set; train with a validation split carved from the training data (data.val_size > 0, e.g. --set "
      "data.val_size=5000) to pick epochs fairly, or pass --allow-test-selection to show it anyway (the footer "
      "then says so)");
}

}  // namespace ablate::results
