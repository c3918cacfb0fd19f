#pragma once
// Learning-rate schedules as pure functions of the position in training, so a resumed run needs no
// scheduler state: the lr of (epoch, step) is the same whether or not the process restarted.
//
// Positions are 0-based: epoch in [0, epochs), step in [0, steps_per_epoch).
//  - step:      base * gamma^floor(epoch / step_size)             (changes at epoch boundaries)
//  - multistep: base * gamma^(number of milestones <= epoch)       (changes at epoch boundaries;
//               milestone 30 = the lr drops for the 31st epoch, as PyTorch's MultiStepLR stepped per epoch)
//  - cosine:    min_lr + (base - min_lr) * (1 + cos(pi * t)) / 2, per step, where t in [0, 1) is the
//               fraction of the post-warm-up epochs done before this step.
// Warm-up (warmup_epochs W > 0) multiplies the schedule above by (i + 1) / (W * steps_per_epoch) for the
// i-th step (0-based) of the first W epochs: linear per step, reaching exactly lr * (e + 1) / W at the
// last step of warm-up epoch e (the "from lr / W" of a per-epoch warm-up) and the full lr at its end.
// A cosine schedule starts its decay after the warm-up.

#include <cstdint>

#include "core/config/run_spec.h"

namespace ablate::train {

class LrSchedule {
 public:
  // Throws std::invalid_argument naming the train.schedule.* key at fault (step_size < 1 for step,
  // decreasing or negative milestones, warmup_epochs < 0 or >= epochs for cosine, gamma <= 0, min_lr < 0
  // or > lr, lr <= 0, epochs < 1).
  LrSchedule(const config::ScheduleSpec& spec, double base_lr, int64_t epochs);

  double at(int64_t epoch, int64_t step, int64_t steps_per_epoch) const;

  const config::ScheduleSpec& spec() const { return spec_; }

 private:
  double decay(int64_t epoch, int64_t step, int64_t steps_per_epoch) const;

  config::ScheduleSpec spec_;
  double base_lr_;
  int64_t epochs_;
};

}  // namespace ablate::train
