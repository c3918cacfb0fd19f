// Training-step throughput on the CPU with channels_last on and off, for the CPU-scale nets of the
// `cpu`/`quick` profiles: cifar stem with stride 2, base 16, blocks [3,3,3], 1x16d and 8x4d, 1x28x28
// input (Fashion-MNIST), batch 128. One step = forward + cross-entropy + backward + SGD (the trainer's own
// make_sgd / cross_entropy / to_channels_last). The two layouts are measured in alternating rounds so a
// change in machine load hits both alike; the median round is reported, with the NHWC/NCHW ratio that
// decides TrainSpec.channels_last's CPU default.
//
// Usage: train_step_bench [steps per round = 8] [rounds = 3] [threads = 0 (all cores)]

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include <torch/torch.h>

#include "core/config/run_spec.h"
#include "core/models/resnet.h"
#include "core/train/device.h"
#include "core/train/loss_metrics.h"
#include "core/train/optimizer.h"

namespace {

using ablate::models::ResNetOptions;

ResNetOptions cpu_scale_net(int64_t cardinality, int64_t width) {
  return ResNetOptions()
      .stem(ablate::models::Stem::cifar)
      .stem_stride(2)
      .base_channels(16)
      .stem_channels(16)
      .blocks({3, 3, 3})
      .cardinality(cardinality)
      .bottleneck_width(width)
      .input_channels(1)
      .num_classes(10);
}

struct Setup {
  ablate::models::ResNet model{nullptr};
  std::unique_ptr<torch::optim::SGD> optimizer;
  torch::Tensor images, labels;
};

Setup make_setup(const ResNetOptions& options, bool channels_last) {
  torch::manual_seed(0);
  Setup setup;
  setup.model = ablate::models::ResNet(options);
  if (channels_last) ablate::train::to_channels_last(*setup.model);
  ablate::config::TrainSpec train;
  train.nesterov = true;
  train.weight_decay_on_bn_and_bias = false;
  setup.optimizer = ablate::train::make_sgd(*setup.model, train);
  setup.images = torch::randn({128, 1, 28, 28});
  if (channels_last) setup.images = setup.images.contiguous(torch::MemoryFormat::ChannelsLast);
  setup.labels = torch::randint(10, {128}, torch::kLong);
  return setup;
}

void step(Setup& setup) {
  const torch::Tensor loss = ablate::train::cross_entropy(setup.model->forward(setup.images), setup.labels);
  setup.optimizer->zero_grad();
  loss.backward();
  setup.optimizer->step();
}

double images_per_second(Setup& setup, int steps) {
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < steps; ++i) step(setup);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return 128.0 * steps / seconds;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const int steps = argc > 1 ? std::atoi(argv[1]) : 8;
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 3;
  const int threads = argc > 3 ? std::atoi(argv[3]) : 0;
  if (steps < 1 || rounds < 1 || threads < 0) {
    std::fprintf(stderr, "usage: train_step_bench [steps >= 1] [rounds >= 1] [threads >= 0]\n");
    return 2;
  }
  torch::set_num_threads(threads == 0 ? static_cast<int>(std::max(1u, std::thread::hardware_concurrency())) : threads);
  std::printf("train step, CPU, LibTorch %s, %d intra-op threads, batch 128 x 1x28x28, %d steps x %d rounds (median)\n",
              TORCH_VERSION, torch::get_num_threads(), steps, rounds);
  std::printf("%-8s %14s %14s %10s\n", "net", "NCHW img/s", "NHWC img/s", "NHWC/NCHW");
  const std::pair<const char*, ResNetOptions> nets[] = {{"1x16d", cpu_scale_net(1, 16)}, {"8x4d", cpu_scale_net(8, 4)}};
  for (const auto& [name, options] : nets) {
    Setup contiguous = make_setup(options, false);
    Setup channels_last = make_setup(options, true);
    for (int i = 0; i < 2; ++i) {  // warm-up: allocator, oneDNN primitive caches
      step(contiguous);
      step(channels_last);
    }
    std::vector<double> nchw, nhwc;
    for (int round = 0; round < rounds; ++round) {
      nchw.push_back(images_per_second(contiguous, steps));
      nhwc.push_back(images_per_second(channels_last, steps));
    }
    const double a = median(nchw), b = median(nhwc);
    std::printf("%-8s %14.1f %14.1f %10.2f\n", name, a, b, b / a);
    std::fflush(stdout);
  }
  return 0;
}
