#pragma once
// One training step and one evaluation batch exactly as the trainer runs them, as objects of their own
// so that the side-by-side benchmark (bench/vs_eager.py, through bench/trainer_worker) times the very
// code that trains rather than a copy of it.

#include <cstdint>
#include <memory>

#include <torch/nn/modules/container/any.h>
#include <torch/optim/optimizer.h>
#include <torch/types.h>

#include "core/train/batch_source.h"
#include "core/train/device.h"
#include "core/train/loss_metrics.h"

namespace ablate::models {
class FoldedResNet;
}
namespace ablate::dist {
class GradientAllReduce;
}

namespace ablate::train {

// A batch's images on the training device, as float, in the training memory format.
torch::Tensor to_training_input(const torch::Tensor& images, const RuntimeSettings& runtime);

// Forward (bf16 autocast where the runtime says so), cross-entropy with label smoothing, backward and
// the optimiser step; the loss and the logits are added to the meter without a host sync. Gradients are
// released after each step rather than zeroed (as PyTorch's zero_grad(set_to_none=True)), so backward
// writes them fresh instead of adding into zeros.
// Data-parallel: with `replica_gradients`, the gradients are averaged over the replicas between backward
// and the step (its buckets launch during backward); a batch with no images (a replica's empty share of
// an epoch's last batch) then takes part in the average with nothing and leaves the meter as it was.
class TrainStep {
 public:
  TrainStep(torch::nn::AnyModule& model, torch::optim::Optimizer& optimizer, const RuntimeSettings& runtime,
            double label_smoothing, dist::GradientAllReduce* replica_gradients = nullptr);
  // `step` is 1-based within the epoch (the meter remembers the first non-finite one).
  void operator()(const Batch& batch, EpochMeter& meter, int64_t step);

 private:
  torch::nn::AnyModule& model_;
  torch::optim::Optimizer& optimizer_;
  const RuntimeSettings& runtime_;
  double label_smoothing_;
  dist::GradientAllReduce* replica_gradients_;
};

// Evaluation of the model as it is now: for a models::ResNet, a copy with every BatchNorm folded into its
// convolution (models::FoldedResNet), otherwise the model itself in eval mode; always under
// c10::InferenceMode, with plain cross-entropy (comparable across label smoothing settings). Build one
// per evaluation pass: the folded copy does not follow later training.
class EvalStep {
 public:
  EvalStep(torch::nn::AnyModule& model, const RuntimeSettings& runtime);
  ~EvalStep();
  // Adds the batch's loss and top-1/top-5 hits to the meter (make the meter inside the pass's
  // c10::InferenceMode scope). A batch with no images (a replica's empty share) adds nothing.
  void operator()(const Batch& batch, EpochMeter& meter, int64_t step);

 private:
  torch::nn::AnyModule& model_;
  const RuntimeSettings& runtime_;
  std::unique_ptr<models::FoldedResNet> folded_;
};

}  // namespace ablate::train
