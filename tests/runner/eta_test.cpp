// The epoch ETA of the live progress bar, fed the progress reports a CUDA run sends (every 50 steps):
// it must not grow from one epoch to the next when every epoch runs at the same speed.
#include "runner/eta.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace ablate::runner {
namespace {

// 500 steps an epoch at 10 ms a step, reported every 50 steps, with 2 s of evaluation and checkpointing
// between epochs. Returns the ETA at every report of epochs 1..3 (NaN where unknown).
std::vector<std::vector<double>> etas_of_three_epochs() {
  constexpr int64_t kSteps = 500, kEvery = 50;
  constexpr double kStepSeconds = 0.01, kBetweenEpochs = 2.0;
  EtaEstimator estimator;
  std::vector<std::vector<double>> etas;
  double now = 100.0;
  for (int64_t epoch = 1; epoch <= 3; ++epoch) {
    etas.emplace_back();
    for (int64_t step = kEvery; step <= kSteps; step += kEvery) {
      const double at = now + static_cast<double>(step) * kStepSeconds;
      const auto eta = estimator.update(epoch, step, kSteps, at);
      etas.back().push_back(eta ? *eta : std::nan(""));
    }
    now += static_cast<double>(kSteps) * kStepSeconds + kBetweenEpochs;
  }
  return etas;
}

TEST(EtaEstimator, DoesNotGrowAcrossEpochsWhenReportsAreSparse) {
  const auto etas = etas_of_three_epochs();
  // Half-way through (step 250) 2.5 s are left, in every epoch.
  for (size_t epoch = 0; epoch < 3; ++epoch) EXPECT_NEAR(etas[epoch][4], 2.5, 1e-9) << "epoch " << epoch + 1;
  // The last report of every epoch says nothing is left.
  for (size_t epoch = 0; epoch < 3; ++epoch) EXPECT_NEAR(etas[epoch].back(), 0.0, 1e-9);
}

TEST(EtaEstimator, FirstReportOfAnEpochUsesThePreviousEpochsRate) {
  const auto etas = etas_of_three_epochs();
  EXPECT_TRUE(std::isnan(etas[0][0])) << "no rate before the second report of the run";
  EXPECT_NEAR(etas[0][1], 4.0, 1e-9);  // step 100: 400 steps left
  // Epoch 2, step 50: measured within the epoch there is no rate yet; the previous one stands in,
  // without the 2 s spent between the epochs.
  EXPECT_NEAR(etas[1][0], 4.5, 1e-9);
}

TEST(EtaEstimator, EveryStepReportsOnTheCpu) {
  EtaEstimator estimator;
  EXPECT_FALSE(estimator.update(1, 1, 10, 0.0));
  EXPECT_NEAR(*estimator.update(1, 2, 10, 0.5), 4.0, 1e-9);  // 0.5 s a step, 8 steps left
  EXPECT_NEAR(*estimator.update(1, 10, 10, 4.5), 0.0, 1e-9);
  EXPECT_NEAR(*estimator.update(2, 1, 10, 60.0), 4.5, 1e-9) << "a new epoch starts from the last rate";
}

}  // namespace
}  // namespace ablate::runner
