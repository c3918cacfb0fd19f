#include "core/train/lr_schedule.h"

#include <cmath>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

namespace ablate::train {
namespace {

config::ScheduleSpec schedule(const std::string& kind) {
  config::ScheduleSpec spec;
  spec.kind = config::parse_schedule_kind(kind);
  return spec;
}

TEST(LrSchedule, StepDecaysEveryStepSizeEpochs) {
  auto spec = schedule("step");
  spec.step_size = 30;
  spec.gamma = 0.1;
  const LrSchedule lr(spec, 0.1, 100);
  EXPECT_DOUBLE_EQ(lr.at(0, 0, 10), 0.1);
  EXPECT_DOUBLE_EQ(lr.at(29, 9, 10), 0.1);
  EXPECT_DOUBLE_EQ(lr.at(30, 0, 10), 0.01);
  EXPECT_DOUBLE_EQ(lr.at(59, 5, 10), 0.01);
  EXPECT_DOUBLE_EQ(lr.at(60, 0, 10), 0.001);
}

TEST(LrSchedule, MultistepDropsAtEachMilestoneEpoch) {
  auto spec = schedule("multistep");
  spec.milestones = {30, 60, 90};
  spec.gamma = 0.1;
  const LrSchedule lr(spec, 0.1, 100);
  EXPECT_DOUBLE_EQ(lr.at(29, 3, 4), 0.1);
  EXPECT_DOUBLE_EQ(lr.at(30, 0, 4), 0.01);
  EXPECT_DOUBLE_EQ(lr.at(89, 3, 4), 0.001);
  EXPECT_DOUBLE_EQ(lr.at(90, 0, 4), 1e-4);
  EXPECT_DOUBLE_EQ(lr.at(99, 3, 4), 1e-4);
}

TEST(LrSchedule, CosineDecaysPerStepToMinLr) {
  auto spec = schedule("cosine");
  spec.min_lr = 0.001;
  const LrSchedule lr(spec, 0.1, 10);
  EXPECT_DOUBLE_EQ(lr.at(0, 0, 4), 0.1);
  EXPECT_DOUBLE_EQ(lr.at(5, 0, 4), 0.001 + 0.099 * 0.5);               // halfway
  EXPECT_DOUBLE_EQ(lr.at(2, 2, 4), 0.001 + 0.0495 * (1 + std::cos(M_PI / 4)));  // t = 2.5 / 10
  EXPECT_DOUBLE_EQ(lr.at(9, 3, 4), 0.001 + 0.0495 * (1 + std::cos(M_PI * 9.75 / 10)));
  EXPECT_GT(lr.at(9, 3, 4), 0.001);
}

TEST(LrSchedule, LinearWarmupPerStepReachesLrOverWEpochs) {
  auto spec = schedule("multistep");
  spec.milestones = {3};
  spec.warmup_epochs = 2;
  const LrSchedule lr(spec, 0.1, 5);
  // 5 steps per epoch, 10 warm-up steps: step i (0-based) gets lr * (i + 1) / 10.
  EXPECT_DOUBLE_EQ(lr.at(0, 0, 5), 0.01);
  EXPECT_DOUBLE_EQ(lr.at(0, 4, 5), 0.05);  // end of warm-up epoch 0: lr * 1 / W
  EXPECT_DOUBLE_EQ(lr.at(1, 2, 5), 0.08);
  EXPECT_DOUBLE_EQ(lr.at(1, 4, 5), 0.1);   // end of warm-up
  EXPECT_DOUBLE_EQ(lr.at(2, 0, 5), 0.1);
  EXPECT_DOUBLE_EQ(lr.at(3, 0, 5), 0.01);  // the milestone still applies
}

TEST(LrSchedule, CosineStartsDecayingAfterWarmup) {
  auto spec = schedule("cosine");
  spec.warmup_epochs = 1;
  const LrSchedule lr(spec, 0.2, 5);
  EXPECT_DOUBLE_EQ(lr.at(0, 0, 4), 0.05);
  EXPECT_DOUBLE_EQ(lr.at(0, 3, 4), 0.2);
  EXPECT_DOUBLE_EQ(lr.at(1, 0, 4), 0.2);
  EXPECT_DOUBLE_EQ(lr.at(3, 0, 4), 0.1);  // 2 of the 4 decay epochs done
}

TEST(LrSchedule, RejectsBadSettingsNamingTheKey) {
  const auto message_of = [](const config::ScheduleSpec& spec, double lr, int64_t epochs) -> std::string {
    try {
      LrSchedule schedule(spec, lr, epochs);
    } catch (const std::invalid_argument& error) {
      return error.what();
    }
    return "";
  };
  EXPECT_NE(message_of(schedule("step"), 0.1, 10).find("train.schedule.step_size"), std::string::npos);
  auto unordered = schedule("multistep");
  unordered.milestones = {60, 30};
  EXPECT_NE(message_of(unordered, 0.1, 10).find("train.schedule.milestones"), std::string::npos);
  auto warm = schedule("cosine");
  warm.warmup_epochs = 10;
  EXPECT_NE(message_of(warm, 0.1, 10).find("train.schedule.warmup_epochs"), std::string::npos);
  EXPECT_NE(message_of(schedule("cosine"), -1, 10).find("train.lr"), std::string::npos);
  const LrSchedule lr(schedule("multistep"), 0.1, 10);
  EXPECT_THROW(lr.at(0, 4, 4), std::out_of_range);
}

}  // namespace
}  // namespace ablate::train
