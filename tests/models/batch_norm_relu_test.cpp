// The fused BatchNorm + ReLU against LibTorch's BatchNorm2d followed by ReLU.
#include "core/models/batch_norm_relu.h"

#include <mutex>
#include <set>
#include <thread>

#include <ATen/Parallel.h>
#include <gtest/gtest.h>
#include <torch/torch.h>

namespace ablate::models {
namespace {

struct Pass {
  torch::Tensor y, dx, d_residual, d_weight, d_bias, running_mean, running_var, batches;
};

// One forward and backward through a fresh BatchNorm2d whose affine parameters and running statistics are
// far from their 0/1 defaults; `fused` chooses batch_norm_relu or the module followed by relu.
Pass run(const torch::Tensor& input, const torch::Tensor& upstream, bool fused, const torch::Tensor& shortcut = {}) {
  torch::manual_seed(5);
  torch::nn::BatchNorm2d bn(torch::nn::BatchNorm2dOptions(input.size(1)).momentum(0.2));
  {
    torch::NoGradGuard no_grad;
    bn->weight.uniform_(0.5, 1.5);
    bn->bias.uniform_(-0.3, 0.3);
    bn->running_mean.uniform_(-1, 1);
    bn->running_var.uniform_(0.5, 2);
  }
  bn->train();
  const torch::Tensor x = input.detach().clone(torch::MemoryFormat::Preserve).requires_grad_(true);
  torch::Tensor residual;
  if (shortcut.defined()) residual = shortcut.detach().clone(torch::MemoryFormat::Preserve).requires_grad_(true);
  if (fused) {
    EXPECT_TRUE(batch_norm_relu_is_fused(*bn, x, residual));
  }
  torch::Tensor y;
  if (fused) {
    y = batch_norm_relu(*bn, x, residual);
  } else {
    y = bn->forward(x);
    y = (residual.defined() ? y + residual : y).relu();
  }
  y.backward(upstream);
  return {y.detach(), x.grad(), residual.defined() ? residual.grad() : torch::Tensor(), bn->weight.grad(),
          bn->bias.grad(), bn->running_mean.clone(), bn->running_var.clone(), bn->num_batches_tracked.clone()};
}

void expect_close(const torch::Tensor& got, const torch::Tensor& expected, const char* what) {
  ASSERT_EQ(got.sizes(), expected.sizes()) << what;
  EXPECT_TRUE(torch::allclose(got, expected, /*rtol=*/1e-4, /*atol=*/1e-5))
      << what << ": max difference " << (got - expected).abs().max().item<double>();
}

void expect_same_as_modules(int64_t threads, bool with_residual) {
  const int previous = torch::get_num_threads();
  torch::set_num_threads(static_cast<int>(threads));
  torch::manual_seed(1);
  // A mean far from 0 (as after a convolution) and more rows than one block of the kernels.
  const torch::Tensor x = (torch::randn({16, 24, 7, 9}) * 2 + 0.7).contiguous(torch::MemoryFormat::ChannelsLast);
  const torch::Tensor upstream = torch::randn({16, 24, 7, 9}).contiguous(torch::MemoryFormat::ChannelsLast);
  const torch::Tensor shortcut =
      with_residual ? torch::randn({16, 24, 7, 9}).contiguous(torch::MemoryFormat::ChannelsLast) : torch::Tensor();
  const Pass fused = run(x, upstream, true, shortcut);
  const Pass plain = run(x, upstream, false, shortcut);
  torch::set_num_threads(previous);
  expect_close(fused.y, plain.y, "output");
  EXPECT_TRUE(fused.y.is_contiguous(torch::MemoryFormat::ChannelsLast));
  EXPECT_GT((fused.y == 0).sum().item<int64_t>(), 0) << "the ReLU must have clamped something";
  expect_close(fused.dx, plain.dx, "input gradient");
  if (with_residual) expect_close(fused.d_residual, plain.d_residual, "residual gradient");
  expect_close(fused.d_weight, plain.d_weight, "weight gradient");
  expect_close(fused.d_bias, plain.d_bias, "bias gradient");
  expect_close(fused.running_mean, plain.running_mean, "running mean");
  expect_close(fused.running_var, plain.running_var, "running variance (unbiased)");
  EXPECT_EQ(fused.batches.item<int64_t>(), 1);
  EXPECT_EQ(plain.batches.item<int64_t>(), 1);
}

TEST(BatchNormReLU, EqualsBatchNormThenReLUOneThread) { expect_same_as_modules(1, false); }

TEST(BatchNormReLU, EqualsBatchNormThenReLUTwoThreads) { expect_same_as_modules(2, false); }

TEST(BatchNormReLU, WithAResidualEqualsBatchNormPlusShortcutThenReLU) {
  expect_same_as_modules(1, true);
  expect_same_as_modules(2, true);
}

// at::parallel_for, which the fused kernels use, is a header template (`#pragma omp parallel` in Debian's
// OpenMP LibTorch): a translation unit compiled without -fopenmp runs it on the calling thread alone, which
// once made these kernels slower than LibTorch's own at two threads. Every target that links LibTorch gets
// the flag (CMakeLists.txt); this test's translation unit is built the same way as the kernels'.
TEST(BatchNormReLU, IntraOpThreadsReachTheProjectsOwnKernels) {
  const int previous = torch::get_num_threads();
  torch::set_num_threads(2);
  std::mutex mutex;
  std::set<std::thread::id> threads;
  at::parallel_for(0, 2, 1, [&](int64_t, int64_t) {
    const std::lock_guard<std::mutex> lock(mutex);
    threads.insert(std::this_thread::get_id());
  });
  torch::set_num_threads(previous);
  EXPECT_EQ(threads.size(), 2u) << "at::parallel_for ran on one thread: built without OpenMP?";
}

TEST(BatchNormReLU, GradientArrivingInAnotherLayoutIsHandled) {
  torch::manual_seed(2);
  const torch::Tensor x = torch::randn({4, 8, 5, 5}).contiguous(torch::MemoryFormat::ChannelsLast);
  const torch::Tensor upstream = torch::randn({4, 8, 5, 5});  // NCHW
  expect_close(run(x, upstream, true).dx, run(x, upstream, false).dx, "input gradient");
}

TEST(BatchNormReLU, FallsBackToTheModuleWhereItDoesNotApply) {
  torch::nn::BatchNorm2d bn(8);
  const torch::Tensor nchw = torch::randn({4, 8, 5, 5});
  const torch::Tensor nhwc = nchw.contiguous(torch::MemoryFormat::ChannelsLast);
  EXPECT_FALSE(batch_norm_relu_is_fused(*bn, nchw));
  EXPECT_TRUE(batch_norm_relu_is_fused(*bn, nhwc));
  EXPECT_FALSE(batch_norm_relu_is_fused(*bn, nhwc.to(torch::kDouble)));
  EXPECT_FALSE(batch_norm_relu_is_fused(*bn, nhwc, nchw)) << "a residual in another layout";
  EXPECT_TRUE(batch_norm_relu_is_fused(*bn, nhwc, nhwc));
  bn->eval();
  EXPECT_FALSE(batch_norm_relu_is_fused(*bn, nhwc));
  torch::NoGradGuard no_grad;
  EXPECT_TRUE(torch::equal(batch_norm_relu(*bn, nhwc), bn->forward(nhwc).relu()));
  EXPECT_TRUE(torch::equal(batch_norm_relu(*bn, nhwc, nchw), (bn->forward(nhwc) + nchw).relu()));
}

}  // namespace
}  // namespace ablate::models
