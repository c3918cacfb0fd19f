#pragma once
// The steps of the data-parallel equality tests, taken alike by one process over whole batches and by
// each replica_step_worker over its share of every batch (data::replica_positions) with its gradients
// all-reduced (dist::GradientAllReduce): the trainer's own TrainStep, model and SGD, BatchNorm in eval
// mode (running statistics, so a batch's gradient does not depend on how the batch is split: per-replica
// batch statistics would make the replicas differ from one process by design).

#include <cstdint>
#include <memory>
#include <vector>

#include <torch/torch.h>

#include "core/data/replica_split.h"
#include "core/dist/gradient_all_reduce.h"
#include "core/dist/process_group.h"
#include "core/train/replica_sync.h"
#include "core/train/train_step.h"
#include "core/train/trainer.h"
#include "tests/train/train_test_support.h"

namespace ablate::dist::testing {

struct StepPlan {
  int64_t global_batch = 8;
  int64_t steps = 3;
  int64_t bucket_bytes = GradientAllReduce::kDefaultBucketBytes;
};

// The whole batch of step `step` (1-based), the same in every process.
inline train::Batch whole_batch(int64_t step, int64_t size) {
  const train::testing::SyntheticData data = train::testing::make_synthetic(size, 4, 8, 0.5, 100 + step);
  return {data.images, data.labels};
}

inline train::Batch share_of(const train::Batch& whole, const data::Replica& replica) {
  const int64_t size = whole.labels.size(0);
  const data::PositionRange part = data::replica_positions(size, size, 0, replica);
  return {whole.images.narrow(0, part.begin, part.size()), whole.labels.narrow(0, part.begin, part.size())};
}

struct StepResult {
  std::vector<torch::Tensor> parameters;
  torch::Tensor meter;  // [samples, mean loss, top-1 err, top-5 err] after combine_meter
  int64_t buckets = 0;
};

// `group` null: one process over whole batches (replica must then be {0, 1}).
inline StepResult take_steps(const StepPlan& plan, const data::Replica& replica, ProcessGroup* group) {
  at::set_num_threads(1);
  const config::RunSpec spec = train::testing::tiny_run_spec("replica-steps");
  train::RuntimeSettings runtime;
  runtime.channels_last = spec.train.channels_last;
  train::ModelAndOptimizer built = train::build_model_and_optimizer(spec, runtime);
  built.model.ptr()->eval();
  std::unique_ptr<GradientAllReduce> gradients;
  if (group) {
    gradients = std::make_unique<GradientAllReduce>(built.model.ptr()->parameters(), *group, plan.bucket_bytes);
  }
  train::TrainStep step(built.model, *built.optimizer, runtime, /*label_smoothing=*/0, gradients.get());
  train::EpochMeter meter(runtime.device);
  for (int64_t s = 1; s <= plan.steps; ++s) step(share_of(whole_batch(s, plan.global_batch), replica), meter, s);
  if (group) train::combine_meter(*group, meter);
  const train::EpochMeter::Values values = meter.read();

  StepResult result;
  for (const auto& parameter : built.model.ptr()->parameters()) result.parameters.push_back(parameter.detach().clone());
  result.meter = torch::tensor({static_cast<double>(values.samples), values.mean_loss, values.top1_err, values.top5_err},
                               torch::kDouble);
  result.buckets = gradients ? gradients->bucket_count() : 0;
  return result;
}

}  // namespace ablate::dist::testing
