#pragma once
// Shared fixtures of the trainer tests: a learnable synthetic dataset held in memory, a seeded in-memory
// BatchSource, a tiny ResNet spec, and a sink that records what the trainer reports.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <ATen/CPUGeneratorImpl.h>
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "core/config/run_spec.h"
#include "core/train/batch_source.h"
#include "core/train/epoch_sink.h"
#include "tests/support/temp_path.h"

namespace ablate::train::testing {

// Class c is a fixed random pattern plus Gaussian noise: separable, so a small net must learn it.
struct SyntheticData {
  torch::Tensor images, labels;
};
inline SyntheticData make_synthetic(int64_t size, int64_t classes, int64_t side, double noise, uint64_t seed,
                                    uint64_t pattern_seed = 1234) {
  auto pattern_generator = at::detail::createCPUGenerator(pattern_seed);
  const torch::Tensor patterns = torch::randn({classes, 1, side, side}, pattern_generator);
  auto generator = at::detail::createCPUGenerator(seed);
  const torch::Tensor labels = torch::randint(classes, {size}, generator, torch::kLong);
  const torch::Tensor images = patterns.index_select(0, labels) + noise * torch::randn({size, 1, side, side}, generator);
  return {images, labels};
}

// Batches in an order that is a pure function of (seed, epoch), as core/data's loader promises.
class TensorBatchSource : public BatchSource {
 public:
  TensorBatchSource(SyntheticData data, int64_t batch_size, bool shuffle, uint64_t seed)
      : data_(std::move(data)), batch_size_(batch_size), shuffle_(shuffle), seed_(seed) {}

  void begin_epoch(int64_t epoch) override {
    const int64_t n = data_.labels.size(0);
    if (shuffle_) {
      auto generator = at::detail::createCPUGenerator(seed_ * 1000003 + static_cast<uint64_t>(epoch));
      order_ = torch::randperm(n, generator, torch::kLong);
    } else {
      order_ = torch::arange(n, torch::kLong);
    }
    position_ = 0;
    ++epochs_begun;
  }
  bool next(Batch& batch) override {
    const int64_t n = data_.labels.size(0);
    if (position_ >= n) return false;
    const int64_t end = std::min(n, position_ + batch_size_);
    const torch::Tensor indices = order_.slice(0, position_, end);
    batch.images = data_.images.index_select(0, indices);
    batch.labels = data_.labels.index_select(0, indices);
    position_ = end;
    return true;
  }
  int64_t num_batches() const override { return (data_.labels.size(0) + batch_size_ - 1) / batch_size_; }

  int64_t epochs_begun = 0;

 private:
  SyntheticData data_;
  int64_t batch_size_;
  bool shuffle_;
  uint64_t seed_;
  torch::Tensor order_;
  int64_t position_ = 0;
};

class RecordingSink : public EpochSink {
 public:
  void on_epoch_end(int64_t epoch, const EpochMetrics& metrics) override {
    epochs.push_back(epoch);
    history.push_back(metrics);
  }
  void on_progress(int64_t epoch, int64_t step, int64_t steps, double loss, double images_per_sec) override {
    ++progress_calls;
    last_progress_step = step;
  }
  bool should_stop() override { return stop_when && stop_when(*this); }
  void on_warning(const std::string& message) override { warnings.push_back(message); }
  void on_restored(const std::vector<EpochMetrics>& history) override { restored = history; }

  std::vector<int64_t> epochs;
  std::vector<EpochMetrics> restored;  // what on_restored was given
  std::vector<EpochMetrics> history;
  std::vector<std::string> warnings;
  int64_t progress_calls = 0, last_progress_step = 0;
  int64_t polls = 0;
  std::function<bool(RecordingSink&)> stop_when;
};

// A CPU-sized ResNeXt: cifar stem, 3 stages of one block, C=2, 8x8 single-channel input, 4 classes.
inline config::RunSpec tiny_run_spec(const std::string& run_key) {
  config::RunSpec spec;
  spec.experiment = "train-test";
  spec.variant = "tiny";
  spec.seed = 7;
  spec.run_key = run_key;
  spec.model.options.stem(models::Stem::cifar)
      .blocks({1, 1, 1})
      .cardinality(2)
      .bottleneck_width(2)
      .base_channels(4)
      .stem_channels(8)
      .input_channels(1)
      .num_classes(4);
  spec.model.image_size = 8;
  spec.train.epochs = 3;
  spec.train.batch_size = 32;
  spec.train.lr = 0.05;
  spec.train.momentum = 0.9;
  spec.train.nesterov = true;
  spec.train.weight_decay = 5e-4;
  spec.train.weight_decay_on_bn_and_bias = false;
  spec.train.schedule.kind = config::ScheduleKind::cosine;
  spec.train.schedule.warmup_epochs = 1;
  spec.train.device = config::DeviceSpec{config::DeviceKind::cpu};
  spec.train.deterministic = true;
  spec.train.channels_last = true;
  // One thread: OpenMP workers spin-wait badly when CI runs other jobs on its two cores, and these maps
  // are too small to share out anyway.
  spec.train.threads = 1;
  return spec;
}

// A fresh directory under the test temp dir, removed first if a previous run left it.
inline std::filesystem::path fresh_directory(const std::string& name) {
  const std::filesystem::path directory = ablate::testing::unique_temp_path("train_" + name);
  std::filesystem::remove_all(directory);
  std::filesystem::create_directories(directory);
  return directory;
}

}  // namespace ablate::train::testing
