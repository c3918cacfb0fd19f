#include "core/train/lr_schedule.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <string>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace ablate::train {

namespace {
// M_PI is POSIX, not C++17.
constexpr double kPi = 3.14159265358979323846;

[[noreturn]] void fail(const std::string& message) { throw std::invalid_argument(message); }
}  // namespace

LrSchedule::LrSchedule(const config::ScheduleSpec& spec, double base_lr, int64_t epochs)
    : spec_(spec), base_lr_(base_lr), epochs_(epochs) {
  if (!(base_lr > 0) || !std::isfinite(base_lr)) fail(fmt::format("train.lr: expected a positive number, got {}", base_lr));
  if (epochs < 1) fail(fmt::format("train.epochs: expected at least 1, got {}", epochs));
  if (!(spec.gamma > 0)) fail(fmt::format("train.schedule.gamma: expected a positive number, got {}", spec.gamma));
  if (spec.warmup_epochs < 0) {
    fail(fmt::format("train.schedule.warmup_epochs: expected 0 or more, got {}", spec.warmup_epochs));
  }
  switch (spec.kind) {
    case config::ScheduleKind::step:
      if (spec.step_size < 1) {
        fail(fmt::format("train.schedule.step_size: expected at least 1 for kind step, got {}", spec.step_size));
      }
      break;
    case config::ScheduleKind::multistep:
      for (size_t i = 0; i < spec.milestones.size(); ++i) {
        if (spec.milestones[i] < 0 || (i > 0 && spec.milestones[i] <= spec.milestones[i - 1])) {
          fail(fmt::format("train.schedule.milestones: expected increasing epochs >= 0, got [{}]",
                           fmt::join(spec.milestones, ", ")));
        }
      }
      break;
    case config::ScheduleKind::cosine:
      if (spec.min_lr < 0 || spec.min_lr > base_lr) {
        fail(fmt::format("train.schedule.min_lr: expected 0 <= min_lr <= lr ({}), got {}", base_lr, spec.min_lr));
      }
      if (spec.warmup_epochs >= epochs) {
        fail(fmt::format("train.schedule.warmup_epochs: expected fewer than train.epochs ({}) for kind cosine, got {}",
                         epochs, spec.warmup_epochs));
      }
      break;
  }
}

double LrSchedule::decay(int64_t epoch, int64_t step, int64_t steps_per_epoch) const {
  switch (spec_.kind) {
    case config::ScheduleKind::step:
      return base_lr_ * std::pow(spec_.gamma, static_cast<double>(epoch / spec_.step_size));
    case config::ScheduleKind::multistep: {
      int64_t passed = 0;
      for (int64_t milestone : spec_.milestones) passed += milestone <= epoch ? 1 : 0;
      return base_lr_ * std::pow(spec_.gamma, static_cast<double>(passed));
    }
    case config::ScheduleKind::cosine:
      break;
  }
  const int64_t decay_epochs = epochs_ - spec_.warmup_epochs;
  const double done = static_cast<double>(epoch - spec_.warmup_epochs) +
                      static_cast<double>(step) / static_cast<double>(steps_per_epoch);
  const double t = std::max(0.0, done / static_cast<double>(decay_epochs));
  return spec_.min_lr + (base_lr_ - spec_.min_lr) * 0.5 * (1.0 + std::cos(kPi * std::min(t, 1.0)));
}

double LrSchedule::at(int64_t epoch, int64_t step, int64_t steps_per_epoch) const {
  if (steps_per_epoch < 1 || step < 0 || step >= steps_per_epoch || epoch < 0) {
    throw std::out_of_range(fmt::format("lr schedule: position epoch {} step {} of {} steps per epoch is out of range",
                                        epoch, step, steps_per_epoch));
  }
  const double lr = decay(epoch, step, steps_per_epoch);
  if (epoch >= spec_.warmup_epochs) return lr;
  const double done = static_cast<double>(epoch * steps_per_epoch + step + 1);
  return lr * done / static_cast<double>(spec_.warmup_epochs * steps_per_epoch);
}

}  // namespace ablate::train
