// The trainer's step objects: what TrainStep leaves behind, and EvalStep's folded evaluation against
// the plain module.
#include "core/train/train_step.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <c10/core/InferenceMode.h>

#include "core/models/resnet.h"
#include "core/train/optimizer.h"
#include "core/train/trainer.h"
#include "train_test_support.h"

namespace ablate::train {
namespace {

RuntimeSettings cpu_runtime(bool channels_last) {
  RuntimeSettings runtime;
  runtime.channels_last = channels_last;
  return runtime;
}

Batch synthetic_batch(int64_t size, uint64_t seed) {
  const testing::SyntheticData data = testing::make_synthetic(size, 4, 8, 0.5, seed);
  return {data.images, data.labels};
}

TEST(TrainingInput, OneChannelImagesGetRealChannelsLastStrides) {
  // contiguous(ChannelsLast) leaves these NCHW-strided (one channel counts as channels_last contiguous),
  // and a convolution then runs NCHW; the training input must say NHWC in its strides.
  const torch::Tensor images = torch::randn({8, 1, 6, 6});
  ASSERT_EQ(images.contiguous(torch::MemoryFormat::ChannelsLast).suggest_memory_format(), torch::MemoryFormat::Contiguous);
  const torch::Tensor input = to_training_input(images, cpu_runtime(true));
  EXPECT_EQ(input.suggest_memory_format(), torch::MemoryFormat::ChannelsLast);
  EXPECT_TRUE(torch::equal(input, images));
  EXPECT_EQ(to_training_input(images, cpu_runtime(false)).suggest_memory_format(), torch::MemoryFormat::Contiguous);

  // And so do a model's one-channel stem weights.
  torch::nn::Conv2d stem(torch::nn::Conv2dOptions(1, 4, 3));
  const torch::Tensor weight = stem->weight;
  to_channels_last(*stem);
  EXPECT_EQ(stem->weight.suggest_memory_format(), torch::MemoryFormat::ChannelsLast);
  EXPECT_TRUE(stem->weight.is_same(weight)) << "converted in place: an optimiser's handles stay valid";
}

TEST(TrainStep, LearnsAFixedBatchAndReleasesGradients) {
  const config::RunSpec spec = testing::tiny_run_spec("step");
  const RuntimeSettings runtime = cpu_runtime(true);
  ModelAndOptimizer built = build_model_and_optimizer(spec, runtime);
  TrainStep step(built.model, *built.optimizer, runtime, /*label_smoothing=*/0);
  const Batch batch = synthetic_batch(32, 5);
  built.model.ptr()->train();
  EpochMeter first(runtime.device), last(runtime.device);
  step(batch, first, 1);
  for (int64_t i = 2; i < 30; ++i) {
    EpochMeter meter(runtime.device);
    step(batch, meter, i);
  }
  step(batch, last, 30);
  EXPECT_EQ(first.read().samples, 32);
  EXPECT_LT(last.read().mean_loss, 0.5 * first.read().mean_loss);
  for (const auto& parameter : built.model.ptr()->parameters()) {
    EXPECT_FALSE(parameter.grad().defined()) << "gradients are released after the optimiser step";
  }
  // The momentum buffers exist, so the optimiser did step on every parameter.
  EXPECT_EQ(built.optimizer->state().size(), built.model.ptr()->parameters().size());
}

TEST(EvalStep, FoldedEvaluationMatchesThePlainModuleInEvalMode) {
  config::RunSpec spec = testing::tiny_run_spec("eval");
  const RuntimeSettings runtime = cpu_runtime(true);
  ModelAndOptimizer built = build_model_and_optimizer(spec, runtime);
  // A few training steps move the BatchNorm statistics away from 0/1.
  TrainStep train_step(built.model, *built.optimizer, runtime, 0);
  built.model.ptr()->train();
  EpochMeter ignored(runtime.device);
  for (int64_t i = 1; i <= 5; ++i) train_step(synthetic_batch(32, 10 + i), ignored, i);

  // More images than the CPU evaluation's chunk (256), so the chunks' logits must line up with the labels.
  const Batch batch = synthetic_batch(600, 99);
  EpochMeter::Values folded;
  {
    c10::InferenceMode inference;
    EvalStep eval_step(built.model, runtime);
    EpochMeter meter(runtime.device);
    eval_step(batch, meter, 1);
    folded = meter.read();
  }
  EXPECT_FALSE(built.model.ptr()->is_training());

  torch::NoGradGuard no_grad;
  const torch::Tensor logits = built.model.forward(to_training_input(batch.images, runtime));
  EpochMeter plain(runtime.device);
  plain.add(cross_entropy(logits, batch.labels), logits, batch.labels, 1);
  const EpochMeter::Values expected = plain.read();
  EXPECT_EQ(folded.samples, 600);
  EXPECT_NEAR(folded.mean_loss, expected.mean_loss, 1e-4 * std::max(1.0, expected.mean_loss));
  EXPECT_DOUBLE_EQ(folded.top1_err, expected.top1_err);
  EXPECT_DOUBLE_EQ(folded.top5_err, expected.top5_err);
}

// Not a models::ResNet: nothing to fold. Dropout shows whether it ran in eval mode.
struct LinearWithDropoutImpl : torch::nn::Module {
  LinearWithDropoutImpl() : fc(register_module("fc", torch::nn::Linear(64, 4))),
                            dropout(register_module("dropout", torch::nn::Dropout(0.9))) {}
  torch::Tensor forward(const torch::Tensor& x) { return dropout(fc(x.flatten(1))); }
  torch::nn::Linear fc;
  torch::nn::Dropout dropout;
};
TORCH_MODULE(LinearWithDropout);

TEST(EvalStep, EvaluatesOtherModelsAsTheyAre) {
  LinearWithDropout net;
  torch::nn::AnyModule model(net);
  const RuntimeSettings runtime = cpu_runtime(false);
  const Batch batch = synthetic_batch(16, 3);
  c10::InferenceMode inference;
  EvalStep eval_step(model, runtime);
  EpochMeter meter(runtime.device);
  eval_step(batch, meter, 1);
  EXPECT_FALSE(net->is_training());
  const torch::Tensor expected = torch::nn::functional::cross_entropy(net->forward(batch.images), batch.labels);
  EXPECT_NEAR(meter.read().mean_loss, expected.item<double>(), 1e-6);  // dropout off: deterministic
}

}  // namespace
}  // namespace ablate::train
