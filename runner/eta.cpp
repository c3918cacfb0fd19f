#include "runner/eta.h"

namespace ablate::runner {

std::optional<double> EtaEstimator::update(int64_t epoch, int64_t step, int64_t steps, double now_seconds) {
  if (epoch != epoch_) {
    epoch_ = epoch;
    first_step_ = step;
    first_seconds_ = now_seconds;
  } else if (step > first_step_) {
    seconds_per_step_ = (now_seconds - first_seconds_) / static_cast<double>(step - first_step_);
  }
  if (!seconds_per_step_) return std::nullopt;
  return *seconds_per_step_ * static_cast<double>(steps - step);
}

}  // namespace ablate::runner
