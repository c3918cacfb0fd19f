#include "core/data/batch_loader.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/data/rng.h"

namespace ablate::data {

namespace {

constexpr uint64_t kLoaderStream = 0xB47C4E5ULL;  // keeps loader draws apart from split draws of one seed

}  // namespace

LoaderOptions train_loader_options(const Datasets& datasets, const config::DataSpec& spec) {
  return LoaderOptions()
      .shuffle(true)
      .crop_padding(spec.crop_padding)
      .horizontal_flip(spec.horizontal_flip)
      .mean(datasets.mean)
      .stddev(datasets.std);
}

LoaderOptions eval_loader_options(const Datasets& datasets) {
  return LoaderOptions().shuffle(false).mean(datasets.mean).stddev(datasets.std);
}

BatchLoader::BatchLoader(const Split& split, int64_t batch_size, int64_t seed, LoaderOptions options)
    : seed_(static_cast<uint64_t>(seed)), options_(std::move(options)) {
  if (batch_size < 1) throw std::invalid_argument(fmt::format("batch size: expected >= 1, found {}", batch_size));
  if (split.empty()) throw std::invalid_argument(fmt::format("{} split: expected examples, found none", split.name));
  if (split.images.dim() != 4 || split.images.scalar_type() != torch::kUInt8) {
    throw std::invalid_argument(fmt::format("{} split: expected uint8 images [N, C, H, W], found {} {}", split.name,
                                            c10::toString(split.images.scalar_type()), fmt::join(split.images.sizes(), "x")));
  }
  check_replica(options_.replica());
  if (options_.crop_padding() < 0) {
    throw std::invalid_argument(fmt::format("data.crop_padding: expected >= 0, found {}", options_.crop_padding()));
  }
  const auto& device = options_.device();
  images_ = split.images.to(device).contiguous();
  labels_ = split.labels.to(device, torch::kLong);
  size_ = split.size();
  batch_size_ = batch_size;
  const int64_t channels = images_.size(1);
  std::vector<double> mean = options_.mean(), stddev = options_.stddev();
  if (mean.empty() && stddev.empty()) {
    mean.assign(channels, 0.0);
    stddev.assign(channels, 1.0);
  }
  if (static_cast<int64_t>(mean.size()) != channels || static_cast<int64_t>(stddev.size()) != channels) {
    throw std::invalid_argument(fmt::format("{} split: expected {} mean and std values (one per channel), found {} and {}",
                                            split.name, channels, mean.size(), stddev.size()));
  }
  normalize_ = Normalizer(mean, stddev, device);
  augment_ = options_.crop_padding() > 0 || options_.horizontal_flip();
  begin_epoch(0);
}

void BatchLoader::begin_epoch(int64_t epoch) {
  if (epoch < 0) throw std::invalid_argument(fmt::format("epoch: expected >= 0, found {}", epoch));
  epoch_ = epoch;
  cursor_ = 0;
  next_index_ = 0;
  order_ = offset_y_ = offset_x_ = flip_ = torch::Tensor();
  if (!options_.shuffle() && !augment_) return;

  Rng rng(combine_seeds(combine_seeds(seed_, kLoaderStream), static_cast<uint64_t>(epoch)));
  const auto to_device = [&](const std::vector<int64_t>& values) {
    return torch::from_blob(const_cast<int64_t*>(values.data()), {static_cast<int64_t>(values.size())}, torch::kLong)
        .to(options_.device(), /*non_blocking=*/false, /*copy=*/true);
  };
  if (options_.shuffle()) {
    std::vector<int64_t> order(size_);
    for (int64_t i = 0; i < size_; ++i) order[i] = i;
    rng.shuffle(order);
    order_ = to_device(order);
  }
  if (augment_) {
    const int64_t padding = options_.crop_padding();
    std::vector<int64_t> offset_y(size_, padding), offset_x(size_, padding), flip;
    if (options_.horizontal_flip()) flip.resize(size_);
    for (int64_t i = 0; i < size_; ++i) {
      if (padding > 0) {
        offset_y[i] = rng.below(2 * padding + 1);
        offset_x[i] = rng.below(2 * padding + 1);
      }
      if (!flip.empty()) flip[i] = static_cast<int64_t>(rng.below(2));
    }
    offset_y_ = to_device(offset_y);
    offset_x_ = to_device(offset_x);
    if (!flip.empty()) flip_ = to_device(flip);
  }
}

bool BatchLoader::next(Batch& batch) {
  const int64_t step_size = std::min(batch_size_, size_ - cursor_);
  if (step_size <= 0 || (options_.drop_last() && step_size < batch_size_)) return false;
  // This replica's positions of the step's batch (all of them for a single process).
  const PositionRange part = replica_positions(size_, batch_size_, next_index_, options_.replica());
  const int64_t first = part.begin, n = part.size();
  torch::Tensor images, labels;
  if (order_.defined()) {
    const torch::Tensor index = order_.narrow(0, first, n);
    images = images_.index_select(0, index);
    labels = labels_.index_select(0, index);
  } else {
    images = images_.narrow(0, first, n);
    labels = labels_.narrow(0, first, n);
  }
  if (augment_ && n > 0) {
    images = crop_and_flip(images, offset_y_.narrow(0, first, n), offset_x_.narrow(0, first, n),
                           flip_.defined() ? flip_.narrow(0, first, n) : torch::Tensor(), options_.crop_padding());
  }
  images = normalize_(images);
  if (options_.channels_last()) images = images.contiguous(torch::MemoryFormat::ChannelsLast);
  batch.images = std::move(images);
  batch.labels = std::move(labels);
  batch.index = next_index_++;
  cursor_ += step_size;
  return true;
}

int64_t BatchLoader::num_batches() const {
  return options_.drop_last() ? size_ / batch_size_ : (size_ + batch_size_ - 1) / batch_size_;
}

}  // namespace ablate::data
