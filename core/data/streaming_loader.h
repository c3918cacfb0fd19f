#pragma once
// StreamingLoader: mini-batches of image files decoded on the fly, for datasets too big for memory
// (ImageNet). A pool of decode threads (libjpeg-turbo, image_transform.h) fills a bounded ring of uint8
// HWC batches ahead of the trainer; next() hands over the oldest complete batch, copied to the training
// device and normalised there (float NCHW, channels_last if asked).
//
// Determinism contract (as BatchLoader's): the batches of epoch k, their order and every crop and flip in
// them are a pure function of (seed, k): the epoch order is drawn from (seed, k), and each image draws
// its crop and flip from a generator seeded by (seed, k, image index), whatever thread decodes it and in
// whatever order the threads finish. One worker or sixteen give identical batches, and a run resumed at
// epoch k sees exactly the batches an uninterrupted run saw.
//
// Memory: at most `prefetch` batches of batch_size x size x size x 3 bytes are held (decoding or ready),
// whatever the dataset size; workers wait when the ring is full. On CUDA the batch buffers are pinned
// host memory and the copy to the GPU is non-blocking (a buffer is never rewritten while its copy may
// still be in flight: each batch gets a fresh buffer from LibTorch's caching pinned allocator, which
// reuses a block only after the copies that read it have completed).
//
// Unreadable images: with skip_bad_images false, next() throws the first failure of its batch
// ("<path>: cannot decode JPEG (libjpeg-turbo: ...)"); with true, the image is left out of its batch (the
// batch is one smaller), a warning names the file the first time, and each epoch with skips ends with a
// warning counting them (take_warnings()).
//
// Data-parallel (options.replica): batch_size stays the global batch and num_batches() the global count;
// each replica decodes only its part of every batch (replica_positions, the rule BatchLoader follows too),
// so the replicas' batches of a step together are the single process's batch, crops and flips included
// (they are drawn per image). A replica's part may be empty: next() then yields a batch of no images.

#include <torch/torch.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/data/augment.h"
#include "core/data/batch_loader.h"
#include "core/data/image_folder_index.h"
#include "core/data/image_transform.h"
#include "core/data/replica_split.h"

namespace ablate::data {

struct StreamingOptions {
  int64_t batch_size = 256;  // the global batch when `replica` has several
  Replica replica;           // data-parallel: this process's share of every batch
  bool shuffle = true;         // a new order every epoch; false = the list's order (evaluation)
  TransformOptions transform;  // training (RandomResizedCrop + flip) or evaluation (resize + centre crop)
  int64_t workers = 1;         // decode threads, >= 1
  int64_t prefetch = 3;        // batches in flight, >= 1
  bool skip_bad_images = false;
  // Per-channel normalisation in [0, 1] pixel units (three values each).
  std::vector<double> mean = {0.485, 0.456, 0.406};
  std::vector<double> stddev = {0.229, 0.224, 0.225};
  torch::Device device = torch::kCPU;
  bool channels_last = false;
};

class StreamingLoader {
 public:
  // `images`: paths relative to `dir`, with labels. Throws std::invalid_argument for an empty list or
  // bad options. Starts its threads; decoding starts at begin_epoch().
  StreamingLoader(std::string dir, ImageList images, int64_t seed, StreamingOptions options);
  ~StreamingLoader();
  StreamingLoader(const StreamingLoader&) = delete;
  StreamingLoader& operator=(const StreamingLoader&) = delete;

  // Abandons the current epoch (waiting for images being decoded) and starts decoding `epoch` (>= 0).
  void begin_epoch(int64_t epoch);
  // The next batch of the epoch; false at its end. Throws DecodeError (skip_bad_images false) as above.
  bool next(Batch& batch);

  int64_t num_batches() const;
  int64_t size() const { return images_.size(); }
  // Warnings since the last call (skipped files, skip counts), oldest first.
  std::vector<std::string> take_warnings();
  void add_warning(std::string warning);
  // Seconds next() has spent waiting for a batch to be decoded, since construction: the trainer's data wait.
  double wait_seconds() const { return wait_seconds_.load(); }
  // CPU seconds the decode threads have spent reading, decoding and resampling, since construction: the
  // host's share of a batch when normalisation runs on a GPU.
  double decode_cpu_seconds();

 private:
  struct Slot {
    torch::Tensor images;  // uint8 [this replica's largest part of a batch, size, size, 3]
    std::vector<int64_t> labels;
    std::vector<std::string> errors;  // per row; empty = decoded
    int64_t batch = -1;               // the batch of the epoch this slot holds
    int64_t pending = 0;              // rows still being decoded
  };

  void work();
  torch::Tensor cpu_output(const torch::Tensor& like);
  int64_t batch_length(int64_t batch) const;  // this replica's images of batch `batch`
  int64_t batch_of(int64_t claim) const;      // the batch of the claim-th image this replica decodes
  torch::Tensor new_slot_buffer() const;

  std::string dir_;
  ImageList images_;
  uint64_t seed_;
  StreamingOptions options_;
  Normalizer normalize_;
  int64_t image_bytes_;  // size x size x 3
  int64_t slot_rows_ = 0;  // this replica's largest part of a batch

  std::mutex mutex_;
  std::condition_variable work_ready_;   // workers wait here for images to claim
  std::condition_variable batch_ready_;  // next() and begin_epoch() wait here
  std::vector<std::thread> threads_;
  bool stop_ = false;
  bool active_ = false;         // an epoch is being decoded
  uint64_t generation_ = 0;     // bumped by begin_epoch: stale results are dropped
  int64_t epoch_ = 0;
  // The epoch positions this replica decodes, ascending (every position for a single process), and where
  // each batch's part begins among them (num_batches() + 1 entries): fixed by the sizes alone.
  std::vector<int64_t> positions_, starts_;
  std::vector<int64_t> order_;  // image index of each of positions_ in the current epoch
  int64_t claimed_ = 0;         // images of order_ handed to workers
  int64_t consumed_ = 0;        // batches handed to the caller
  int64_t busy_ = 0;            // workers decoding
  int64_t skipped_this_epoch_ = 0;
  std::vector<Slot> slots_;     // batch b lives in slots_[b % prefetch]
  std::set<int64_t> reported_bad_;  // images already named in a warning
  std::vector<std::string> warnings_;
  // Normalised CPU batches, overwritten once the caller has let go of them (three cover the trainer's
  // current batch, the adapter's copy of it and the one being made).
  static constexpr size_t kReusedOutputs = 3;
  std::vector<torch::Tensor> outputs_;
  std::atomic<double> wait_seconds_{0.0};
  double decode_cpu_seconds_ = 0;
};

}  // namespace ablate::data
