#include "core/train/loss_metrics.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>
#include <torch/torch.h>

namespace ablate::train {
namespace {

TEST(CrossEntropy, MatchesHandComputedValueWithAndWithoutSmoothing) {
  const torch::Tensor logits = torch::tensor({{1.0, 2.0, 3.0}});
  const torch::Tensor labels = torch::tensor({0}, torch::kLong);
  const double log_sum_exp = std::log(std::exp(1.0) + std::exp(2.0) + std::exp(3.0));
  const double nll = log_sum_exp - 1.0;
  const double mean_neg_log_p = log_sum_exp - 2.0;  // mean of (lse - x_k) over k = lse - mean(x)
  EXPECT_NEAR(cross_entropy(logits, labels).item<double>(), nll, 1e-6);
  EXPECT_NEAR(cross_entropy(logits, labels, 0.1).item<double>(), 0.9 * nll + 0.1 * mean_neg_log_p, 1e-6);
  EXPECT_NEAR(cross_entropy(logits, labels, 0.1).item<double>(), 2.3076059644, 1e-6);
}

TEST(CrossEntropy, AgreesWithLibTorchLabelSmoothing) {
  torch::manual_seed(3);
  const torch::Tensor logits = torch::randn({16, 10});
  const torch::Tensor labels = torch::randint(10, {16}, torch::kLong);
  for (double smoothing : {0.0, 0.1, 0.3}) {
    const torch::Tensor reference = torch::nn::functional::cross_entropy(
        logits, labels, torch::nn::functional::CrossEntropyFuncOptions().label_smoothing(smoothing));
    EXPECT_NEAR(cross_entropy(logits, labels, smoothing).item<double>(), reference.item<double>(), 1e-5) << smoothing;
  }
  EXPECT_THROW(cross_entropy(logits, labels, 1.0), std::invalid_argument);
}

TEST(CrossEntropy, Bf16LogitsAreScoredInFp32) {
  const torch::Tensor logits = torch::tensor({{1.0, 2.0, 3.0}}).to(torch::kBFloat16);
  EXPECT_EQ(cross_entropy(logits, torch::tensor({2}, torch::kLong)).scalar_type(), torch::kFloat);
}

// Three rows, six classes: row 0's label is the top logit, row 1's the third highest, row 2's the lowest.
torch::Tensor constructed_logits() {
  return torch::tensor({{9.0, 1.0, 2.0, 3.0, 4.0, 5.0},
                        {1.0, 9.0, 8.0, 7.0, 2.0, 3.0},
                        {6.0, 5.0, 4.0, 3.0, 2.0, 1.0}});
}
const torch::Tensor constructed_labels() { return torch::tensor({0, 3, 5}, torch::kLong); }

TEST(TopK, CountsLabelsAmongTheKHighestLogits) {
  EXPECT_EQ(topk_correct(constructed_logits(), constructed_labels(), 1).item<int64_t>(), 1);
  EXPECT_EQ(topk_correct(constructed_logits(), constructed_labels(), 2).item<int64_t>(), 1);
  EXPECT_EQ(topk_correct(constructed_logits(), constructed_labels(), 3).item<int64_t>(), 2);
  EXPECT_EQ(topk_correct(constructed_logits(), constructed_labels(), 5).item<int64_t>(), 2);
  EXPECT_EQ(topk_correct(constructed_logits(), constructed_labels(), 6).item<int64_t>(), 3);
  EXPECT_EQ(topk_correct(constructed_logits(), constructed_labels(), 50).item<int64_t>(), 3);  // capped at K
}

TEST(EpochMeter, AveragesLossAndErrorsOverSamples) {
  EpochMeter meter(torch::kCPU);
  meter.add(torch::tensor(2.0), constructed_logits(), constructed_labels(), 1);
  // A second batch of one sample, correct at top 1: 4 samples, 2 top-1 hits, 3 top-5 hits.
  meter.add(torch::tensor(1.0), torch::tensor({{0.0, 0.0, 5.0, 0.0, 0.0, 0.0}}), torch::tensor({2}, torch::kLong), 2);
  const EpochMeter::Values values = meter.read();
  EXPECT_EQ(values.samples, 4);
  EXPECT_DOUBLE_EQ(values.mean_loss, (2.0 * 3 + 1.0 * 1) / 4);
  EXPECT_DOUBLE_EQ(values.top1_err, 50.0);
  EXPECT_DOUBLE_EQ(values.top5_err, 25.0);
  EXPECT_FALSE(values.nonfinite_step.has_value());
}

TEST(EpochMeter, LatchesTheFirstNonFiniteStep) {
  EpochMeter meter(torch::kCPU);
  meter.add(torch::tensor(1.0), constructed_logits(), constructed_labels(), 1);
  meter.add(torch::tensor(std::numeric_limits<double>::infinity()), constructed_logits(), constructed_labels(), 2);
  meter.add(torch::tensor(std::nan("")), constructed_logits(), constructed_labels(), 3);
  const EpochMeter::Values values = meter.read();
  ASSERT_TRUE(values.nonfinite_step.has_value());
  EXPECT_EQ(*values.nonfinite_step, 2);
  EXPECT_TRUE(std::isinf(values.nonfinite_loss));
}

}  // namespace
}  // namespace ablate::train
