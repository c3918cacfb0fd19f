#pragma once
// BatchLoader: mini-batches of one in-memory Split, shuffled and augmented as batched tensor ops on the
// target device.
//
// Determinism contract: the batch order and every random crop/flip of epoch k are a pure function of
// (seed, k): begin_epoch(k) draws them from a generator owned by the loader and seeded from
// (seed, k) alone, never from torch's global RNG or from earlier epochs. A run resumed at epoch k with a
// fresh loader therefore sees exactly the batches an uninterrupted run sees, on any device (the draws
// are made on the host once per epoch, then copied to the device).
//
// Per step the host only launches a handful of tensor ops (index_select, pad+gather, one multiply-add);
// with device = CUDA the whole split is copied to the GPU once, at construction.
//
// Typical use (the trainer):
//   data::Datasets d = data::load_datasets(spec.data, spec.seed);
//   data::BatchLoader train(d.train, 128, spec.seed, data::train_loader_options(d, spec.data)
//                                                        .device(device).channels_last(true));
//   for (int64_t epoch = start; epoch < epochs; ++epoch) {
//     train.begin_epoch(epoch);
//     data::Batch batch;
//     while (train.next(batch)) { ... model(batch.images), batch.labels ... }
//   }

#include <torch/torch.h>

#include <cstdint>
#include <vector>

#include "core/config/run_spec.h"
#include "core/data/augment.h"
#include "core/data/datasets.h"
#include "core/data/replica_split.h"
#include "core/models/resnet_options.h"  // ABLATE_ARG

namespace ablate::data {

struct LoaderOptions {
  // Reshuffle every epoch; false keeps the split's order (evaluation).
  ABLATE_ARG(bool, shuffle) = true;
  // Skip the last batch of an epoch when it is smaller than batch_size.
  ABLATE_ARG(bool, drop_last) = false;
  // Random crop of the image zero-padded by this many pixels per side (4 at 32 px in the paper); 0 = off.
  ABLATE_ARG(int64_t, crop_padding) = 0;
  // Mirror half of the images left-right (per image, at random); wrong for digits.
  ABLATE_ARG(bool, horizontal_flip) = false;
  // Per-channel normalisation in [0, 1] pixel units; empty = x / 255 only.
  ABLATE_ARG(std::vector<double>, mean) = {};
  ABLATE_ARG(std::vector<double>, stddev) = {};
  // Where the split is held and batches are produced.
  ABLATE_ARG(torch::Device, device) = torch::kCPU;
  // Batches in channels_last memory format (faster convolutions on CPU and on tensor cores).
  ABLATE_ARG(bool, channels_last) = false;
  // Data-parallel: this process's share of every batch (replica_split.h). batch_size stays the global
  // batch, num_batches() the global count of steps; next() yields this replica's part of each step's
  // batch (possibly empty), with the order and augmentation the single process would use.
  ABLATE_ARG(Replica, replica) = {};
};

// Training: shuffled, augmented as `spec` says, normalised with `datasets`' mean/std. Set the device and
// memory format on the result.
LoaderOptions train_loader_options(const Datasets& datasets, const config::DataSpec& spec);
// Evaluation: in order, no augmentation, last partial batch kept, same normalisation.
LoaderOptions eval_loader_options(const Datasets& datasets);

struct Batch {
  torch::Tensor images;  // float32 [B, C, H, W], normalised, on the loader's device
  torch::Tensor labels;  // int64 [B], on the loader's device
  int64_t index = 0;     // position of the batch within its epoch
  int64_t size() const { return labels.defined() ? labels.size(0) : 0; }
};

class BatchLoader {
 public:
  // Throws std::invalid_argument for batch_size < 1, an empty split, mismatched mean/std, or
  // crop_padding < 0. Starts at epoch 0.
  BatchLoader(const Split& split, int64_t batch_size, int64_t seed, LoaderOptions options = {});

  // Rewinds to the first batch of `epoch` (>= 0), drawing its order and augmentation from (seed, epoch).
  void begin_epoch(int64_t epoch);
  // Fills `batch` with the next batch of the current epoch; false (batch untouched) when the epoch is over.
  bool next(Batch& batch);

  int64_t num_batches() const;  // per epoch
  int64_t size() const { return size_; }  // examples in the split
  int64_t batch_size() const { return batch_size_; }
  int64_t epoch() const { return epoch_; }
  const LoaderOptions& options() const { return options_; }

 private:
  torch::Tensor images_;  // uint8 [N, C, H, W] on the device
  torch::Tensor labels_;  // int64 [N] on the device
  int64_t size_ = 0;
  int64_t batch_size_ = 0;
  uint64_t seed_ = 0;
  LoaderOptions options_;
  Normalizer normalize_;
  bool augment_ = false;

  int64_t epoch_ = 0;
  int64_t cursor_ = 0;
  int64_t next_index_ = 0;
  // This epoch's draws, on the device: example order (undefined = in order), crop offsets, flip flags
  // (undefined = no flips), indexed by position in the epoch.
  torch::Tensor order_, offset_y_, offset_x_, flip_;
};

}  // namespace ablate::data
