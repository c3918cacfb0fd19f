#pragma once
// Per-epoch checkpoints of one run: <checkpoint_root>/<run_key>/epoch-<k>.pt after k completed epochs.
// A checkpoint holds everything that makes a resumed run continue exactly as the uninterrupted one:
// model parameters and buffers (BN running statistics), optimiser state (momentum buffers), the epoch
// count and optimiser step count (the schedule is a pure function of them), torch's CPU generator state
// and the training device's CUDA generator state, and the metrics history of the completed epochs.
// The data order needs no state here: BatchSource makes it a function of (seed, epoch).
// Files are LibTorch archives (torch::serialize), written atomically (atomic_file.h). Beside each one,
// epoch-<k>.pt.sha256 holds its SHA-256 in sha256sum's format (`sha256sum -c epoch-3.pt.sha256` checks
// it by hand), written before the checkpoint is renamed into place and verified before it is loaded, so
// bytes changed on disk (bit rot, a bad copy) are caught even where the archive still parses.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <torch/nn/module.h>
#include <torch/optim/optimizer.h>

#include "core/train/epoch_sink.h"

namespace ablate::train {

struct TrainingProgress {
  int64_t epochs_completed = 0;       // k of epoch-<k>.pt
  int64_t global_step = 0;            // optimiser steps taken so far
  std::vector<EpochMetrics> history;  // epochs 1..k, in order
};

class CheckpointStore {
 public:
  // `run_key` is stored in every file and checked on load, so a checkpoint can never be applied to a
  // different run's model.
  CheckpointStore(std::filesystem::path run_directory, std::string run_key);

  const std::filesystem::path& directory() const { return directory_; }
  std::filesystem::path path_for(int64_t epochs_completed) const;
  std::filesystem::path checksum_path_for(int64_t epochs_completed) const;  // epoch-<k>.pt.sha256

  // Epoch numbers of the epoch-<k>.pt files present, ascending (temporaries and other files ignored).
  std::vector<int64_t> epochs_on_disk() const;

  // Writes epoch-<progress.epochs_completed>.pt atomically.
  void save(const TrainingProgress& progress, const torch::nn::Module& model,
            const torch::optim::Optimizer& optimizer, torch::Device device) const;

  // Restores the newest checkpoint that reads back completely: model, optimiser, torch's generators,
  // and returns its progress (with the full metrics history of its epochs). A file that fails to load
  // (checksum mismatch, truncated, corrupt, another run's, no metrics history) is reported through `warn`
  // and the next older one is tried; a file without a checksum (written before checksums) is loaded with
  // a warning. nullopt when none is usable; the model and optimiser
  // may then have been partly overwritten by a file that failed late, so the caller must rebuild them.
  std::optional<TrainingProgress> load_latest(torch::nn::Module& model, torch::optim::Optimizer& optimizer,
                                              torch::Device device,
                                              const std::function<void(const std::string&)>& warn) const;

  // Loads only the model of epoch-<epochs_completed>.pt into `model` (on the CPU), for exporting the weights.
  // Throws std::runtime_error naming the file when it is missing, changed since written (checksum), corrupt
  // or another run's.
  void load_model(int64_t epochs_completed, torch::nn::Module& model) const;

  // Deletes all epoch checkpoints (and their checksums) but the newest `keep_newest` (>= 1).
  void prune(size_t keep_newest) const;
  // Deletes one epoch's checkpoint and checksum; a file that cannot be deleted only costs disk space.
  void remove(int64_t epochs_completed) const;

 private:
  std::filesystem::path directory_;
  std::string run_key_;
};

}  // namespace ablate::train
