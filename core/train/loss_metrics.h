#pragma once
// Cross-entropy and top-k error, and an accumulator that keeps per-epoch sums on the training device so
// the loop never waits for the GPU except when someone reads a value.

#include <cstdint>
#include <functional>
#include <optional>

#include <torch/types.h>

namespace ablate::train {

// Mean cross-entropy of logits [N, K] against labels [N], computed in fp32 (or wider) whatever the
// logits' dtype. label_smoothing in [0, 1): targets are (1 - s) on the label plus s / K on every class,
// i.e. loss = (1 - s) * nll + s * mean_k(-log p_k), as torch.nn.CrossEntropyLoss(label_smoothing=s).
torch::Tensor cross_entropy(const torch::Tensor& logits, const torch::Tensor& labels, double label_smoothing = 0);

// How many of the N rows have their label among the k highest logits (k capped at K), as a 0-dim int64
// tensor on the logits' device (no host sync).
torch::Tensor topk_correct(const torch::Tensor& logits, const torch::Tensor& labels, int64_t k);

// Sums over an epoch, kept on `device`.
class EpochMeter {
 public:
  // count_top5 = false skips the top-5 count (its Values::top5_err is then NaN): the training loop reports
  // top-1 only and need not pay for a second top-k per step.
  explicit EpochMeter(torch::Device device, bool count_top5 = true);

  // `loss` is the batch's mean loss (0-dim); `step` (1-based) is remembered if this is the first
  // non-finite loss seen.
  void add(const torch::Tensor& loss, const torch::Tensor& logits, const torch::Tensor& labels, int64_t step);

  // Values on the host; each call of these syncs with the device.
  struct Values {
    int64_t samples = 0;
    double mean_loss = 0;
    double top1_err = 0;  // %
    double top5_err = 0;  // %; NaN when not counted
    // The first step whose loss was not finite, and that loss.
    std::optional<int64_t> nonfinite_step;
    double nonfinite_loss = 0;
  };
  Values read() const;

  int64_t samples() const { return samples_; }

  // Data-parallel training: replaces this replica's sums with the totals over every replica, and the first
  // non-finite step with the earliest of any replica. `sum` all-reduces a float64 tensor in place by
  // addition, `min` by minimum; combine calls them in the same order on every replica (sum, min, sum).
  using Reduce = std::function<void(torch::Tensor&)>;
  void combine(const Reduce& sum, const Reduce& min);

 private:
  bool count_top5_;
  int64_t samples_ = 0;  // known on the host: batch sizes are shapes, not data
  torch::Tensor loss_sum_, correct1_, correct5_, first_bad_step_, first_bad_loss_;
};

}  // namespace ablate::train
