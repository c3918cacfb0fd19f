// The trainer over core/data's real loader and synthetic dataset, as the runner wires them.
#include "core/train/run_data.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "core/train/trainer.h"
#include "train_test_support.h"

namespace ablate::train {
namespace {

config::RunSpec synthetic_spec(const std::string& run_key) {
  config::RunSpec spec = testing::tiny_run_spec(run_key);
  spec.data.dataset = "synthetic";
  spec.data.synthetic_train_size = 384;
  spec.data.synthetic_test_size = 128;
  spec.data.synthetic_image_size = 8;
  spec.data.synthetic_channels = 1;
  spec.data.synthetic_classes = 4;
  spec.data.synthetic_noise = 0.5;
  spec.data.crop_padding = 1;  // augmentation drawn per epoch: resume must reproduce it too
  spec.train.batch_size = 32;
  spec.train.eval_batch_size = 64;
  return spec;
}

TEST(RunData, TrainerLearnsAndResumesBitIdenticallyOverTheRealLoader) {
  const auto root = testing::fresh_directory("run-data");
  TrainerOptions options;
  options.checkpoint_root = root;

  const config::RunSpec reference_spec = synthetic_spec("reference");
  Trainer reference(reference_spec, options);
  RunData reference_data(reference_spec, reference.runtime());
  EXPECT_EQ(reference_data.train().num_batches(), 12);
  testing::RecordingSink reference_sink;
  const TrainResult uninterrupted = reference.run(reference_data.train(), &reference_data.eval(), reference_sink);
  ASSERT_EQ(uninterrupted.history.size(), 3u);
  EXPECT_LT(uninterrupted.history.back().at(metric::val_top1_err), 25.0);  // chance: 75%

  const config::RunSpec spec = synthetic_spec("interrupted");
  {
    Trainer first(spec, options);
    RunData data(spec, first.runtime());
    testing::RecordingSink sink;
    sink.stop_when = [](testing::RecordingSink& s) { return s.epochs.size() == 2; };
    EXPECT_EQ(first.run(data.train(), &data.eval(), sink).outcome, RunOutcome::stopped);
  }
  Trainer second(spec, options);
  RunData data(spec, second.runtime());
  testing::RecordingSink sink;
  const TrainResult resumed = second.run(data.train(), &data.eval(), sink);
  EXPECT_EQ(resumed.resumed_from_epoch, 2);
  ASSERT_EQ(resumed.history.size(), 3u);
  for (const char* name : {metric::train_loss, metric::train_top1_err, metric::val_loss, metric::val_top1_err}) {
    EXPECT_EQ(resumed.history.back().at(name), uninterrupted.history.back().at(name)) << name;
  }
}

TEST(RunData, RejectsAModelThatDoesNotFitTheData) {
  config::RunSpec spec = synthetic_spec("mismatch");
  spec.model.options.num_classes(10);
  try {
    RunData data(spec, configure_runtime(spec.train));
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("model.num_classes: 10"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace ablate::train
