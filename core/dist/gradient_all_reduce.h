#pragma once
// GradientAllReduce: data-parallel gradient averaging over a dist::ProcessGroup, the way PyTorch's
// DistributedDataParallel does it. The parameters are grouped into buckets of about `bucket_bytes`, in
// reverse order (the order backward produces their gradients). A hook on each parameter copies its
// gradient into its bucket as soon as backward has computed it, and a bucket whose gradients are all in
// is all-reduced at once, asynchronously, while backward goes on with the earlier layers. Buckets launch
// strictly in order (0, 1, ...), so every rank issues the same collectives in the same order whatever
// order its hooks fire in. after_backward() launches what backward did not fill (a parameter without a
// gradient counts as zeros), waits for every bucket and writes the averaged gradients to .grad.
//
// Averaging is over images, not over ranks: each rank contributes its gradient (the mean over its own
// images) times its image count, and the sum is divided by the total count, which travels in the first
// bucket. With equal shares this is the plain mean over ranks; with unequal ones (the last batch of an
// epoch) it is still the gradient of the whole batch's mean loss, and a rank with no images adds nothing.
//
// Typical use (train::TrainStep):
//   dist::GradientAllReduce gradients(model->parameters(), group);
//   gradients.before_backward(images_on_this_rank);
//   loss.backward();              // buckets launch as they fill
//   gradients.after_backward();   // .grad = mean over every image of every rank
//   optimizer.step();

#include <cstdint>
#include <vector>

#include <torch/types.h>

#include "core/dist/process_group.h"

namespace ablate::dist {

class GradientAllReduce {
 public:
  // Several MB per bucket: large enough that per-collective latency does not dominate, small enough that
  // the first buckets travel while backward still runs (DDP uses 25 MB).
  static constexpr int64_t kDefaultBucketBytes = 8 << 20;

  // `parameters`: those that require grad take part, all of one dtype, on group.device(). Registers the
  // hooks; the destructor removes them.
  GradientAllReduce(std::vector<torch::Tensor> parameters, ProcessGroup& group,
                    int64_t bucket_bytes = kDefaultBucketBytes);
  ~GradientAllReduce();
  GradientAllReduce(const GradientAllReduce&) = delete;
  GradientAllReduce& operator=(const GradientAllReduce&) = delete;

  // `images`: how many images this rank's loss averages over in this step (0 for an empty share).
  void before_backward(int64_t images);
  // Throws CollectiveError when a bucket's all-reduce fails.
  void after_backward();

  int64_t bucket_count() const { return static_cast<int64_t>(buckets_.size()); }
  // Seconds spent in after_backward so far: the all-reduce time backward did not hide (benchmarks).
  double exposed_seconds() const { return exposed_seconds_; }

 private:
  struct Slot {
    torch::Tensor parameter;
    size_t bucket = 0;
    int64_t offset = 0;  // in the bucket's flat buffer
    unsigned hook = 0;
    bool filled = false;
  };
  struct Bucket {
    torch::Tensor flat;
    std::vector<size_t> slots;
    size_t filled = 0;
    bool launched = false;
    PendingReduce pending;
  };

  torch::Tensor view_of(const Slot& slot) const;
  void on_gradient(size_t slot, const torch::Tensor& gradient);
  void launch_ready_buckets();

  ProcessGroup& group_;
  std::vector<Slot> slots_;
  std::vector<Bucket> buckets_;
  int64_t count_offset_ = 0;  // the image count's element in bucket 0
  size_t next_launch_ = 0;
  double images_ = 0;
  bool active_ = false;  // between before_backward and after_backward: hooks outside it do nothing
  double exposed_seconds_ = 0;
};

}  // namespace ablate::dist
