#include "core/train/trainer.h"

#include <chrono>
#include <fstream>
#include <regex>
#include <thread>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "core/models/state_dict.h"
#include "core/models/state_dict_file.h"
#include "core/train/checkpoint.h"
#include "train_test_support.h"

namespace ablate::train {
namespace {

namespace fs = std::filesystem;
using testing::RecordingSink;
using testing::TensorBatchSource;

struct Sources {
  TensorBatchSource train, val;
};
Sources tiny_sources() {
  // 4 classes, 8x8: 256 training images in batches of 32, 128 validation images.
  return {TensorBatchSource(testing::make_synthetic(256, 4, 8, 0.8, /*seed=*/11), 32, /*shuffle=*/true, 5),
          TensorBatchSource(testing::make_synthetic(128, 4, 8, 0.8, /*seed=*/12), 64, /*shuffle=*/false, 0)};
}

TrainerOptions options_in(const fs::path& root) {
  TrainerOptions options;
  options.checkpoint_root = root;
  return options;
}

const char* const kReproducible[] = {metric::train_loss, metric::train_top1_err, metric::val_loss,
                                     metric::val_top1_err, metric::val_top5_err, metric::lr};

TEST(Trainer, ReportsEveryMetricAndLearnsSyntheticData) {
  const fs::path root = testing::fresh_directory("learns");
  config::RunSpec spec = testing::tiny_run_spec("learns");
  spec.train.epochs = 4;
  Sources sources = tiny_sources();
  RecordingSink sink;
  Trainer trainer(spec, options_in(root));
  const TrainResult result = trainer.run(sources.train, &sources.val, sink);

  EXPECT_EQ(result.outcome, RunOutcome::finished);
  EXPECT_EQ(result.epochs_completed, 4);
  EXPECT_EQ(sink.epochs, (std::vector<int64_t>{1, 2, 3, 4}));
  ASSERT_EQ(result.history.size(), 4u);
  for (const auto& metrics : sink.history) {
    for (const char* name : {metric::train_loss, metric::train_top1_err, metric::val_loss, metric::val_top1_err,
                             metric::val_top5_err, metric::lr, metric::images_per_sec, metric::epoch_seconds}) {
      ASSERT_TRUE(metrics.count(name)) << name;
      EXPECT_TRUE(std::isfinite(metrics.at(name))) << name;
    }
    EXPECT_EQ(metrics.size(), 8u);
    EXPECT_GT(metrics.at(metric::images_per_sec), 0);
  }
  // Chance is 75% top-1 error on 4 classes; top-5 of 4 classes always hits.
  EXPECT_LT(sink.history.back().at(metric::val_top1_err), 25.0);
  EXPECT_LT(sink.history.back().at(metric::train_loss), sink.history.front().at(metric::train_loss));
  EXPECT_EQ(sink.history.back().at(metric::val_top5_err), 0.0);
  // Warm-up epoch 1 ends at the full lr (8 steps per epoch); cosine then decays it.
  EXPECT_DOUBLE_EQ(sink.history[0].at(metric::lr), 0.05);
  EXPECT_LT(sink.history[3].at(metric::lr), sink.history[1].at(metric::lr));
  // Automatic progress: at most every 0.5 s, and always at an epoch's last step (8 steps per epoch).
  EXPECT_GE(sink.progress_calls, 4);
  EXPECT_LE(sink.progress_calls, 4 * 8);
  EXPECT_EQ(sink.last_progress_step, 8);
  // A finished run keeps only its final checkpoint.
  EXPECT_EQ(CheckpointStore(trainer.checkpoint_directory(), spec.run_key).epochs_on_disk(), std::vector<int64_t>{4});
  EXPECT_EQ(trainer.checkpoint_directory(), root / "learns");
}

TEST(Trainer, ReportsProgressEveryNStepsWhenAskedAndOtherwiseByTime) {
  config::RunSpec spec = testing::tiny_run_spec("progress");
  spec.train.epochs = 2;
  for (const int64_t every : {int64_t{3}, int64_t{0}}) {
    Sources sources = tiny_sources();
    RecordingSink sink;
    int64_t steps_polled = 0;
    // A slow sink: 0.15 s per poll makes the automatic 0.5 s interval fall every fourth step or so.
    sink.stop_when = [&](RecordingSink&) {
      ++steps_polled;
      if (every == 0) std::this_thread::sleep_for(std::chrono::milliseconds(150));
      return false;
    };
    TrainerOptions options = options_in(testing::fresh_directory("progress"));
    options.progress_every = every;
    options.resume = false;
    Trainer(spec, options).run(sources.train, nullptr, sink);
    if (every == 3) {
      EXPECT_EQ(sink.progress_calls, 2 * 3);  // steps 3, 6 and the last (8) of each epoch
    } else {
      EXPECT_GE(sink.progress_calls, 2 * 2);  // 8 steps of >= 0.15 s: at least one report before the last
      EXPECT_LT(sink.progress_calls, 2 * 8);
    }
    EXPECT_EQ(sink.last_progress_step, 8);
    EXPECT_GT(steps_polled, 0);
  }
}

// The weights of a trained model, evaluated alone (ablate eval), give the val metrics the run reported for
// them; a run with model.init_from starts from those weights.
TEST(Trainer, EvaluateOnlyReproducesTheRunsEvaluationAndInitFromStartsFromTheWeights) {
  const fs::path root = testing::fresh_directory("evaluate_only");
  const config::RunSpec spec = testing::tiny_run_spec("trained");
  Sources sources = tiny_sources();
  RecordingSink trained_sink;
  Trainer trainer(spec, options_in(root));
  trainer.run(sources.train, &sources.val, trained_sink);
  const std::string weights = (root / "weights.pt").string();
  models::write_state_dict_file(weights, models::state_dict(*trainer.model().ptr()), "");

  config::RunSpec evaluation = spec;
  evaluation.run_key = "evaluation";
  evaluation.evaluated_weights = {weights, models::read_state_dict_file(weights).sha256};
  RecordingSink sink;
  Trainer evaluator(evaluation, options_in(root));
  const TrainResult result = evaluator.evaluate_only(sources.val, sink);
  EXPECT_EQ(result.outcome, RunOutcome::finished);
  EXPECT_EQ(result.epochs_completed, 1);
  ASSERT_EQ(sink.epochs, std::vector<int64_t>{1});
  const EpochMetrics& measured = trained_sink.history.back();
  for (const char* name : {metric::val_loss, metric::val_top1_err, metric::val_top5_err}) {
    EXPECT_EQ(sink.history[0].at(name), measured.at(name)) << name;
  }
  EXPECT_EQ(sink.history[0].count(metric::train_loss), 0u);
  EXPECT_TRUE(sink.history[0].count(metric::epoch_seconds));
  EXPECT_FALSE(fs::exists(root / "evaluation")) << "an evaluation writes no checkpoint";

  // model.init_from: the first epoch trains from the weights, far below a fresh start's first epoch loss.
  config::RunSpec fine_tune = spec;
  fine_tune.run_key = "fine-tune";
  fine_tune.model.init_from = evaluation.evaluated_weights;
  RecordingSink tuned;
  Trainer(fine_tune, options_in(root)).run(sources.train, &sources.val, tuned);
  EXPECT_LT(tuned.history[0].at(metric::train_loss), 0.8 * trained_sink.history[0].at(metric::train_loss));
  // A changed file is refused against the digest the run was planned with.
  fine_tune.run_key = "changed";
  fine_tune.model.init_from.sha256 = std::string(64, '0');
  RecordingSink refused;
  EXPECT_THROW(Trainer(fine_tune, options_in(root)).run(sources.train, &sources.val, refused), std::runtime_error);
}

TEST(Trainer, ResumedRunEndsBitIdenticalToAnUninterruptedOne) {
  const fs::path root = testing::fresh_directory("resume");
  // Uninterrupted reference.
  config::RunSpec reference_spec = testing::tiny_run_spec("uninterrupted");
  Sources reference_sources = tiny_sources();
  RecordingSink reference_sink;
  Trainer reference(reference_spec, options_in(root));
  const TrainResult uninterrupted = reference.run(reference_sources.train, &reference_sources.val, reference_sink);
  ASSERT_EQ(uninterrupted.epochs_completed, 3);

  // Same run, stopped three steps into epoch 2 (a partial epoch that must leave no trace)...
  config::RunSpec spec = testing::tiny_run_spec("interrupted");
  {
    Sources sources = tiny_sources();
    RecordingSink sink;
    sink.stop_when = [](RecordingSink& s) { return s.epochs.size() == 1 && ++s.polls > 3; };
    TrainerOptions options = options_in(root);
    options.keep_all_checkpoints = true;
    Trainer first(spec, options);
    const TrainResult stopped = first.run(sources.train, &sources.val, sink);
    EXPECT_EQ(stopped.outcome, RunOutcome::stopped);
    EXPECT_EQ(stopped.epochs_completed, 1);
    EXPECT_EQ(CheckpointStore(first.checkpoint_directory(), spec.run_key).epochs_on_disk(), std::vector<int64_t>{1});
  }
  // ...then resumed by a fresh Trainer with fresh sources, as a new process would.
  torch::manual_seed(12345);  // whatever the generator held before must not matter
  Sources sources = tiny_sources();
  RecordingSink sink;
  Trainer second(spec, options_in(root));
  const TrainResult resumed = second.run(sources.train, &sources.val, sink);
  EXPECT_EQ(resumed.outcome, RunOutcome::finished);
  EXPECT_EQ(resumed.resumed_from_epoch, 1);
  EXPECT_EQ(sink.epochs, (std::vector<int64_t>{2, 3}));
  // The restored epoch's metrics reach the sink (a store lacking them records them from here).
  ASSERT_EQ(sink.restored.size(), 1u);
  for (const char* name : kReproducible) EXPECT_EQ(sink.restored[0].at(name), uninterrupted.history[0].at(name)) << name;
  ASSERT_EQ(resumed.history.size(), 3u);
  for (size_t epoch = 0; epoch < 3; ++epoch) {
    for (const char* name : kReproducible) {
      EXPECT_EQ(resumed.history[epoch].at(name), uninterrupted.history[epoch].at(name))
          << name << " at epoch " << epoch + 1;
    }
  }
  const auto reference_parameters = reference.model().ptr()->named_parameters();
  for (const auto& item : second.model().ptr()->named_parameters()) {
    EXPECT_TRUE(torch::equal(item.value(), reference_parameters[item.key()])) << item.key();
  }
}

TEST(Trainer, HugeLearningRateDivergesWithEpochAndStep) {
  const fs::path root = testing::fresh_directory("diverge");
  config::RunSpec spec = testing::tiny_run_spec("diverge");
  spec.train.lr = 1e12;
  spec.train.schedule.warmup_epochs = 0;
  Sources sources = tiny_sources();
  RecordingSink sink;
  Trainer trainer(spec, options_in(root));
  try {
    trainer.run(sources.train, &sources.val, sink);
    FAIL() << "expected DivergedError";
  } catch (const DivergedError& error) {
    EXPECT_TRUE(std::regex_match(error.what(), std::regex("diverged at epoch 1, step [0-9]+: loss is -?(nan|inf)")))
        << error.what();
    EXPECT_EQ(error.epoch(), 1);
    EXPECT_GE(error.step(), 1);
  }
  EXPECT_TRUE(sink.epochs.empty());
  EXPECT_TRUE(CheckpointStore(trainer.checkpoint_directory(), spec.run_key).epochs_on_disk().empty());
}

TEST(Trainer, RestartsWhenTheOnlyCheckpointIsCorrupt) {
  const fs::path root = testing::fresh_directory("corrupt");
  config::RunSpec spec = testing::tiny_run_spec("corrupt");
  spec.train.epochs = 1;
  spec.train.schedule.warmup_epochs = 0;
  fs::create_directories(root / "corrupt");
  { std::ofstream(root / "corrupt" / "epoch-1.pt") << "truncated"; }
  Sources sources = tiny_sources();
  RecordingSink sink;
  const TrainResult result = Trainer(spec, options_in(root)).run(sources.train, &sources.val, sink);
  EXPECT_EQ(result.resumed_from_epoch, 0);
  EXPECT_EQ(sink.epochs, std::vector<int64_t>{1});
  ASSERT_EQ(sink.warnings.size(), 1u);
  EXPECT_NE(sink.warnings[0].find("starting the run over"), std::string::npos) << sink.warnings[0];
}

TEST(Trainer, RejectsBadSettingsBeforeTraining) {
  config::RunSpec spec = testing::tiny_run_spec("bad");
  if (!torch::cuda::is_available()) {
    spec.train.device = config::parse_device("cuda:1");
    EXPECT_THROW(Trainer{spec}, std::invalid_argument);
    spec.train.device = config::parse_device("cpu");
  }
  spec.train.schedule.kind = config::ScheduleKind::step;
  spec.train.schedule.step_size = 0;
  EXPECT_THROW(Trainer{spec}, std::invalid_argument);
}

// A "bf16" run key must never hold fp32 numbers: on the CPU bf16 is refused before the first step (it
// used to warn and train in fp32).
TEST(Trainer, RefusesBf16WhereItCannotRun) {
  config::RunSpec spec = testing::tiny_run_spec("bf16-cpu");
  spec.train.precision = config::Precision::bf16;
  spec.train.device = config::parse_device("cpu");
  try {
    Trainer trainer(spec);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("train.precision: bf16 needs a CUDA GPU"), std::string::npos) << message;
    EXPECT_NE(message.find("train.device cpu"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace ablate::train
