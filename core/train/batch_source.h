#pragma once
// BatchSource: what the trainer needs from a data pipeline, and nothing more. core/data's loader is
// adapted to it (the runner wires the two); tests implement it over a few in-memory tensors.
//
// Contract:
//  - begin_epoch(e) rewinds the source to the start of epoch e (0-based). The batches of an epoch,
//    their order and any augmentation must be a pure function of (the source's seed, e): a resumed run
//    calls begin_epoch(k) in a fresh process and must see exactly the batches an uninterrupted run saw.
//    The source must not draw from torch's global generator unless that is acceptable to be restored
//    from a checkpoint (the trainer saves and restores it at epoch boundaries, so it is, but a private
//    generator keeps the data independent of the model's random use).
//  - next(batch) fills `batch` and returns true, or returns false at the end of the epoch.
//  - num_batches() is the number of batches next() yields per epoch; it is constant across epochs.
//  - take_warnings() returns what the source has to say since the last call (e.g. images it skipped);
//    the trainer passes them to EpochSink::on_warning at the end of every epoch.
// Tensors may live on any device; the trainer moves them to the training device (a no-op when the
// source already keeps the dataset there, as it should on CUDA).

#include <cstdint>
#include <string>
#include <vector>

#include <torch/types.h>

namespace ablate::train {

struct Batch {
  torch::Tensor images;  // [N, C, H, W], floating point, normalised
  torch::Tensor labels;  // [N], int64 class indices
};

class BatchSource {
 public:
  virtual ~BatchSource() = default;
  virtual void begin_epoch(int64_t epoch) = 0;
  virtual bool next(Batch& batch) = 0;
  virtual int64_t num_batches() const = 0;
  virtual std::vector<std::string> take_warnings() { return {}; }
};

}  // namespace ablate::train
