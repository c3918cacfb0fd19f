#pragma once
// The time left in the running epoch, from the trainer's progress reports (every step on the CPU, every
// 50 steps on CUDA, and at the last step). The rate is measured within each epoch from its first report
// on, so the estimate never carries over time from earlier epochs or from the evaluation and checkpoint
// between them; until an epoch has a second report, the previous epoch's rate stands in. Pure
// arithmetic on the times it is given, so it is tested without a clock or a GPU.

#include <cstdint>
#include <optional>

namespace ablate::runner {

class EtaEstimator {
 public:
  // A progress report: `step` of `steps` (1-based) of `epoch`, at `now_seconds` on any steady clock.
  // Returns the estimated seconds left in the epoch; nullopt while no rate is known yet.
  std::optional<double> update(int64_t epoch, int64_t step, int64_t steps, double now_seconds);

 private:
  int64_t epoch_ = -1;
  int64_t first_step_ = 0;     // the epoch's first reported step
  double first_seconds_ = 0;   // and when it was reported
  std::optional<double> seconds_per_step_;
};

}  // namespace ablate::runner
