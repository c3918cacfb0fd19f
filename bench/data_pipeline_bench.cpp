// The data pipeline's throughput alone, and its share of a training step of a small ResNeXt, on
// Fashion-MNIST (the installed Debian package). Target on a 2-core CPU: the pipeline <= 3% of a step.
// Prints figures; never fails on a slow machine (exit 1 only when the dataset cannot be loaded).
//
//   build/bench/data_pipeline_bench [steps=20] [threads=cores]

#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <thread>

#include "core/config/run_spec.h"
#include "core/data/batch_loader.h"
#include "core/data/datasets.h"
#include "core/models/resnet.h"

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

struct PipelineFigures {
  double images_per_second;
  double seconds_per_batch;
  double begin_epoch_seconds;
};

// One full epoch through the loader, batches materialised as the trainer would receive them.
PipelineFigures time_pipeline(const ablate::data::Split& split, const ablate::data::LoaderOptions& options) {
  ablate::data::BatchLoader loader(split, 128, 0, options);
  ablate::data::Batch batch;
  loader.next(batch);  // warm-up: first-touch allocations
  auto start = Clock::now();
  loader.begin_epoch(1);
  const double begin_epoch_seconds = seconds_since(start);
  start = Clock::now();
  int64_t images = 0, batches = 0;
  double checksum = 0;
  while (loader.next(batch)) {
    images += batch.size();
    ++batches;
    checksum += batch.images.data_ptr<float>()[0];  // keep the work observable
  }
  const double elapsed = seconds_since(start) + begin_epoch_seconds;
  if (checksum == 12345.678) std::puts("");
  return {images / elapsed, elapsed / batches, begin_epoch_seconds};
}

}  // namespace

int main(int argc, char** argv) {
  const int steps = argc > 1 ? std::max(1, std::atoi(argv[1])) : 20;
  torch::manual_seed(0);
  // Threads = cores, as the trainer runs on CPU (LibTorch's default can be 1 in a restricted cgroup).
  const int threads = argc > 2 ? std::max(1, std::atoi(argv[2]))
                               : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  torch::set_num_threads(threads);
  std::printf("data_pipeline_bench: LibTorch %s, %d intra-op threads\n", TORCH_VERSION, torch::get_num_threads());

  ablate::config::DataSpec spec;  // fashion-mnist from its default root (or $ABLATE_DATA)
  ablate::data::Datasets data;
  auto start = Clock::now();
  try {
    data = ablate::data::load_datasets(spec, 0);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "data_pipeline_bench: cannot load fashion-mnist: %s\n", e.what());
    return 1;
  }
  const double load_seconds = seconds_since(start);
  std::printf("load (inflate + checks + sha256 + statistics): %.2f s\n  %s\n", load_seconds,
              ablate::data::describe(data).c_str());

  // The setters mutate and return the options (TORCH_ARG style), so each variant is its own copy.
  ablate::data::LoaderOptions base = ablate::data::train_loader_options(data, spec);
  base.channels_last(true);
  ablate::data::LoaderOptions with_augmentation = base;
  with_augmentation.crop_padding(4).horizontal_flip(true);
  const PipelineFigures plain = time_pipeline(data.train, base);
  const PipelineFigures augmented = time_pipeline(data.train, with_augmentation);
  std::printf("pipeline, batch 128, shuffle, channels_last:\n");
  std::printf("  no augmentation      : %9.0f images/s  %7.3f ms/batch  (begin_epoch %.1f ms)\n",
              plain.images_per_second, plain.seconds_per_batch * 1e3, plain.begin_epoch_seconds * 1e3);
  std::printf("  crop pad 4 + flip    : %9.0f images/s  %7.3f ms/batch  (begin_epoch %.1f ms)\n",
              augmented.images_per_second, augmented.seconds_per_batch * 1e3, augmented.begin_epoch_seconds * 1e3);

  // The training step the pipeline feeds: ResNeXt with a cifar stem of stride 2, 3 stages x 3 blocks,
  // base channels 16, C x d = 8x4, on 1x28x28 inputs; forward + backward + SGD step.
  const auto options = ablate::models::ResNetOptions()
                           .stem(ablate::models::Stem::cifar)
                           .stem_stride(2)
                           .base_channels(16)
                           .stem_channels(16)
                           .blocks({3, 3, 3})
                           .cardinality(8)
                           .bottleneck_width(4)
                           .input_channels(1)
                           .num_classes(10);
  ablate::models::ResNet model(options);
  {
    torch::NoGradGuard no_grad;  // conv weights in channels_last, like the inputs (the C++ Module has no to(format))
    for (auto& p : model->parameters()) {
      if (p.dim() == 4) p.set_data(p.contiguous(torch::MemoryFormat::ChannelsLast));
    }
  }
  model->train();
  torch::optim::SGD optimizer(model->parameters(),
                              torch::optim::SGDOptions(0.1).momentum(0.9).weight_decay(1e-4));
  ablate::data::BatchLoader loader(data.train, 128, 0, with_augmentation);
  ablate::data::Batch batch;
  const auto step = [&] {
    if (!loader.next(batch)) {
      loader.begin_epoch(loader.epoch() + 1);
      loader.next(batch);
    }
    optimizer.zero_grad();
    const torch::Tensor loss = torch::nn::functional::cross_entropy(model->forward(batch.images), batch.labels);
    loss.backward();
    optimizer.step();
    return loss.item<double>();
  };
  for (int i = 0; i < 3; ++i) step();  // warm-up
  start = Clock::now();
  double last_loss = 0;
  for (int i = 0; i < steps; ++i) last_loss = step();
  const double step_seconds = seconds_since(start) / steps;  // includes its own pipeline share
  const double share_plain = plain.seconds_per_batch / step_seconds;
  const double share_augmented = augmented.seconds_per_batch / step_seconds;
  std::printf("training step (ResNeXt 3x[3] blocks, 8x4d, base 16, stem stride 2, batch 128, fwd+bwd+SGD, %d steps):\n",
              steps);
  std::printf("  %.1f ms/step, %.0f images/s (loss %.3f)\n", step_seconds * 1e3, 128 / step_seconds, last_loss);
  std::printf("pipeline share of a step: %.2f%% without augmentation, %.2f%% with crop+flip (target <= 3%%)\n",
              share_plain * 100, share_augmented * 100);
  return 0;
}
