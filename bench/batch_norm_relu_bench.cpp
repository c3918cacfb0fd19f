// Fused BatchNorm+ReLU (core/models/batch_norm_relu) against LibTorch's batch_norm then relu_, forward and
// backward, channels_last float on the CPU, on the activation shapes of the CPU profiles' networks.
//
//   build/bench/batch_norm_relu_bench [THREADS]     (default: the machine's cores)
//
// Prints milliseconds per call and the ratio aten / fused of forward + backward (> 1: the fusion pays).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <thread>
#include <tuple>
#include <vector>

#include <torch/torch.h>

#include "core/models/batch_norm_relu.h"

namespace {
double time_ms(const std::function<void()>& step, int repeats) {
  step();
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < repeats; ++i) step();
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() / repeats;
}
}  // namespace

int main(int argc, char** argv) {
  torch::manual_seed(0);
  const int threads = argc > 1 ? std::atoi(argv[1]) : static_cast<int>(std::thread::hardware_concurrency());
  if (threads < 1) {
    std::fprintf(stderr, "batch_norm_relu_bench: THREADS must be a positive integer, got '%s'\n", argv[1]);
    return 2;
  }
  at::set_num_threads(threads);
  std::printf("threads %d\n%-22s %10s %10s %10s %10s %8s\n", at::get_num_threads(), "shape", "fwd fused", "fwd aten",
              "f+b fused", "f+b aten", "ratio");
  for (auto [n, c, hw] : std::vector<std::tuple<int, int, int>>{{128, 16, 16}, {128, 32, 16}, {128, 64, 16}, {128, 64, 8},
                                                               {128, 128, 8}, {128, 256, 4}, {64, 512, 2}}) {
    for (bool residual : {false, true}) {
      torch::nn::BatchNorm2d bn(c);
      bn->train();
      auto x = torch::randn({n, c, hw, hw}).contiguous(torch::MemoryFormat::ChannelsLast).requires_grad_();
      auto r = residual ? torch::randn({n, c, hw, hw}).contiguous(torch::MemoryFormat::ChannelsLast) : torch::Tensor();
      auto dy = torch::randn({n, c, hw, hw}).contiguous(torch::MemoryFormat::ChannelsLast);
      auto aten = [&] {
        auto y = bn->forward(x);
        if (residual) y = y + r;
        return y.relu_();
      };
      auto fused = [&] { return ablate::models::batch_norm_relu(*bn, x, r); };
      const int reps = 50;
      double ff = time_ms([&] { torch::NoGradGuard g; fused(); }, reps);
      double fa = time_ms([&] { torch::NoGradGuard g; aten(); }, reps);
      double bf = time_ms([&] { fused().backward(dy); }, reps);
      double ba = time_ms([&] { aten().backward(dy); }, reps);
      char shape[64];
      std::snprintf(shape, sizeof shape, "%dx%dx%dx%d%s", n, c, hw, hw, residual ? " +res" : "");
      std::printf("%-22s %10.3f %10.3f %10.3f %10.3f %8.2f\n", shape, ff, fa, bf, ba, ba / bf);
    }
  }
}
