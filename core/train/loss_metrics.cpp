#include "core/train/loss_metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <tuple>

#include <fmt/format.h>
#include <torch/nn/functional/loss.h>

namespace ablate::train {

torch::Tensor cross_entropy(const torch::Tensor& logits, const torch::Tensor& labels, double label_smoothing) {
  if (!(label_smoothing >= 0 && label_smoothing < 1)) {
    throw std::invalid_argument(fmt::format("train.label_smoothing: expected 0 <= value < 1, got {}", label_smoothing));
  }
  // bf16 logits from autocast: take the log-softmax in fp32, where the loss is accurate.
  const torch::Tensor log_probs =
      torch::log_softmax(logits.scalar_type() == torch::kDouble ? logits : logits.to(torch::kFloat), /*dim=*/1);
  // Written out rather than through CrossEntropyFuncOptions::label_smoothing so the formula is explicit and
  // identical on every LibTorch version.
  const torch::Tensor nll = -log_probs.gather(1, labels.view({-1, 1})).squeeze(1);
  if (label_smoothing == 0) return nll.mean();
  const torch::Tensor uniform = -log_probs.mean(1);
  return ((1 - label_smoothing) * nll + label_smoothing * uniform).mean();
}

torch::Tensor topk_correct(const torch::Tensor& logits, const torch::Tensor& labels, int64_t k) {
  k = std::min<int64_t>(k, logits.size(1));
  const torch::Tensor top = std::get<1>(logits.topk(k, /*dim=*/1));  // [N, k] class indices
  return top.eq(labels.view({-1, 1})).any(1).sum();
}

EpochMeter::EpochMeter(torch::Device device, bool count_top5) : count_top5_(count_top5) {
  const auto as_double = torch::TensorOptions().dtype(torch::kDouble).device(device);
  const auto as_long = torch::TensorOptions().dtype(torch::kLong).device(device);
  loss_sum_ = torch::zeros({}, as_double);
  correct1_ = torch::zeros({}, as_long);
  correct5_ = torch::zeros({}, as_long);
  first_bad_step_ = torch::full({}, -1, as_long);
  first_bad_loss_ = torch::zeros({}, as_double);
}

void EpochMeter::add(const torch::Tensor& loss, const torch::Tensor& logits, const torch::Tensor& labels, int64_t step) {
  torch::NoGradGuard no_grad;
  const int64_t n = labels.size(0);
  const torch::Tensor batch_loss = loss.detach().to(torch::kDouble);
  loss_sum_.add_(batch_loss * static_cast<double>(n));
  correct1_.add_(topk_correct(logits, labels, 1));
  if (count_top5_) correct5_.add_(topk_correct(logits, labels, 5));
  // Divergence is detected without a sync: the first bad step is latched on the device and read with the
  // other values.
  const torch::Tensor first_bad = torch::logical_and(torch::isfinite(batch_loss).logical_not(), first_bad_step_.lt(0));
  first_bad_step_ = torch::where(first_bad, torch::full_like(first_bad_step_, step), first_bad_step_);
  first_bad_loss_ = torch::where(first_bad, batch_loss, first_bad_loss_);
  samples_ += n;
}

void EpochMeter::combine(const Reduce& sum, const Reduce& min) {
  torch::NoGradGuard no_grad;
  const auto as_double = loss_sum_.options();
  torch::Tensor sums = torch::stack({torch::full({}, static_cast<double>(samples_), as_double), loss_sum_,
                                     correct1_.to(torch::kDouble), correct5_.to(torch::kDouble)});
  sum(sums);
  samples_ = static_cast<int64_t>(std::llround(sums[0].item<double>()));  // counts are exact in a double
  loss_sum_ = sums[1].clone();
  correct1_ = sums[2].round().to(torch::kLong);
  correct5_ = sums[3].round().to(torch::kLong);

  const double none = std::numeric_limits<double>::infinity();
  const torch::Tensor own_step = first_bad_step_.to(torch::kDouble);
  torch::Tensor first = torch::where(first_bad_step_.ge(0), own_step, torch::full({}, none, as_double)).reshape({1});
  min(first);
  // The loss of the earliest bad step: from the replica(s) that saw it, zero from the others.
  torch::Tensor loss = torch::where(own_step.eq(first[0]), first_bad_loss_, torch::zeros({}, as_double)).reshape({1});
  sum(loss);
  first_bad_step_ = torch::where(first[0].isinf(), torch::full({}, -1.0, as_double), first[0]).to(torch::kLong);
  first_bad_loss_ = loss[0].clone();
}

EpochMeter::Values EpochMeter::read() const {
  Values values;
  values.samples = samples_;
  if (samples_ == 0) return values;
  const double n = static_cast<double>(samples_);
  values.mean_loss = loss_sum_.item<double>() / n;
  values.top1_err = 100.0 * static_cast<double>(samples_ - correct1_.item<int64_t>()) / n;
  values.top5_err = count_top5_ ? 100.0 * static_cast<double>(samples_ - correct5_.item<int64_t>()) / n
                                : std::numeric_limits<double>::quiet_NaN();
  const int64_t bad_step = first_bad_step_.item<int64_t>();
  if (bad_step >= 0) {
    values.nonfinite_step = bad_step;
    values.nonfinite_loss = first_bad_loss_.item<double>();
  }
  return values;
}

}  // namespace ablate::train
