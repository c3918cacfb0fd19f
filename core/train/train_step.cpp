#include "core/train/train_step.h"

#include <c10/core/InferenceMode.h>

#include "core/models/resnet_folded.h"

namespace ablate::train {

torch::Tensor to_training_input(const torch::Tensor& images, const RuntimeSettings& runtime) {
  torch::Tensor on_device = images.to(runtime.device, torch::kFloat, /*non_blocking=*/true);
  return runtime.channels_last ? channels_last_strides(on_device) : on_device;
}

namespace {

torch::Tensor labels_on(const torch::Tensor& labels, const RuntimeSettings& runtime) {
  return labels.to(runtime.device, torch::kLong, /*non_blocking=*/true);
}

// Optimizer::zero_grad of LibTorch 1.13 zeroes in place; an undefined gradient lets backward's
// accumulation take the fresh gradient tensor over instead of adding it into zeros.
void release_gradients(torch::optim::Optimizer& optimizer) {
  for (auto& group : optimizer.param_groups()) {
    for (auto& parameter : group.params()) parameter.mutable_grad().reset();
  }
}

}  // namespace

TrainStep::TrainStep(torch::nn::AnyModule& model, torch::optim::Optimizer& optimizer, const RuntimeSettings& runtime,
                     double label_smoothing)
    : model_(model), optimizer_(optimizer), runtime_(runtime), label_smoothing_(label_smoothing) {}

void TrainStep::operator()(const Batch& batch, EpochMeter& meter, int64_t step) {
  const torch::Tensor images = to_training_input(batch.images, runtime_);
  const torch::Tensor labels = labels_on(batch.labels, runtime_);
  torch::Tensor logits, loss;
  {
    AutocastGuard autocast(runtime_.bf16_autocast);
    logits = model_.forward(images);
    loss = cross_entropy(logits, labels, label_smoothing_);
  }
  loss.backward();
  optimizer_.step();
  release_gradients(optimizer_);
  meter.add(loss, logits.detach(), labels, step);
}

EvalStep::EvalStep(torch::nn::AnyModule& model, const RuntimeSettings& runtime) : model_(model), runtime_(runtime) {
  model_.ptr()->eval();
  if (const auto* resnet = dynamic_cast<const models::ResNetImpl*>(model_.ptr().get())) {
    folded_ = std::make_unique<models::FoldedResNet>(*resnet);
  }
}

EvalStep::~EvalStep() = default;

void EvalStep::operator()(const Batch& batch, EpochMeter& meter, int64_t step) {
  c10::InferenceMode inference;
  const torch::Tensor images = to_training_input(batch.images, runtime_);
  const torch::Tensor labels = labels_on(batch.labels, runtime_);
  torch::Tensor logits, loss;
  {
    AutocastGuard autocast(runtime_.bf16_autocast);
    logits = folded_ ? folded_->forward(images) : model_.forward(images);
    loss = cross_entropy(logits, labels);
  }
  meter.add(loss, logits, labels, step);
}

}  // namespace ablate::train
