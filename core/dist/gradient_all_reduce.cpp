#include "core/dist/gradient_all_reduce.h"

#include <chrono>
#include <stdexcept>

#include <fmt/format.h>

namespace ablate::dist {

GradientAllReduce::GradientAllReduce(std::vector<torch::Tensor> parameters, ProcessGroup& group, int64_t bucket_bytes)
    : group_(group) {
  if (bucket_bytes < 1) throw std::invalid_argument(fmt::format("bucket size: expected >= 1 byte, got {}", bucket_bytes));
  std::vector<torch::Tensor> trained;
  for (auto& parameter : parameters) {
    if (parameter.requires_grad()) trained.push_back(parameter);
  }
  if (trained.empty()) throw std::invalid_argument("gradient all-reduce: no parameter requires a gradient");
  const auto options = trained.front().options();
  for (const auto& parameter : trained) {
    if (parameter.scalar_type() != options.dtype().toScalarType() || parameter.device() != group_.device()) {
      throw std::invalid_argument(fmt::format("gradient all-reduce: parameters must all be {} on {}, found {} on {}",
                                              c10::toString(options.dtype().toScalarType()), group_.device().str(),
                                              c10::toString(parameter.scalar_type()), parameter.device().str()));
    }
  }

  // Reverse order: the last layers' gradients come first out of backward, so bucket 0 fills first.
  std::vector<std::vector<size_t>> members(1);
  std::vector<int64_t> elements(1, 0);
  const int64_t element_bytes = static_cast<int64_t>(trained.front().element_size());
  for (size_t i = trained.size(); i-- > 0;) {
    const int64_t numel = trained[i].numel();
    if (elements.back() > 0 && (elements.back() + numel) * element_bytes > bucket_bytes) {
      members.emplace_back();
      elements.push_back(0);
    }
    Slot slot;
    slot.parameter = trained[i];
    slot.bucket = members.size() - 1;
    slot.offset = elements.back();
    members.back().push_back(slots_.size());
    elements.back() += numel;
    slots_.push_back(std::move(slot));
  }
  count_offset_ = elements.front();
  elements.front() += 1;  // the image count rides with the first bucket
  for (size_t b = 0; b < members.size(); ++b) {
    Bucket bucket;
    bucket.flat = torch::zeros({elements[b]}, options);
    bucket.slots = std::move(members[b]);
    buckets_.push_back(std::move(bucket));
  }
  for (size_t i = 0; i < slots_.size(); ++i) {
    slots_[i].hook = slots_[i].parameter.register_hook([this, i](const torch::Tensor& gradient) { on_gradient(i, gradient); });
  }
}

GradientAllReduce::~GradientAllReduce() {
  for (auto& slot : slots_) slot.parameter.remove_hook(slot.hook);
  // Collectives still in flight (a step abandoned by an exception) write into the buffers: let them end.
  for (auto& bucket : buckets_) {
    try {
      bucket.pending.wait();
    } catch (const CollectiveError&) {
    }
  }
}

torch::Tensor GradientAllReduce::view_of(const Slot& slot) const {
  return buckets_[slot.bucket].flat.narrow(0, slot.offset, slot.parameter.numel()).view(slot.parameter.sizes());
}

void GradientAllReduce::before_backward(int64_t images) {
  for (auto& bucket : buckets_) {
    bucket.pending.wait();  // normally done already; after an abandoned step, drains it
    bucket.filled = 0;
    bucket.launched = false;
  }
  for (auto& slot : slots_) slot.filled = false;
  next_launch_ = 0;
  images_ = static_cast<double>(images);
  buckets_.front().flat.narrow(0, count_offset_, 1).fill_(images_);
  active_ = true;
}

void GradientAllReduce::on_gradient(size_t index, const torch::Tensor& gradient) {
  Slot& slot = slots_[index];
  if (!active_ || slot.filled) return;
  torch::NoGradGuard no_grad;
  view_of(slot).copy_(gradient).mul_(images_);  // a sum over this rank's images
  slot.filled = true;
  ++buckets_[slot.bucket].filled;
  launch_ready_buckets();
}

void GradientAllReduce::launch_ready_buckets() {
  while (next_launch_ < buckets_.size() && buckets_[next_launch_].filled == buckets_[next_launch_].slots.size()) {
    Bucket& bucket = buckets_[next_launch_++];
    bucket.launched = true;
    bucket.pending = group_.all_reduce_async(bucket.flat);
  }
}

void GradientAllReduce::after_backward() {
  const auto start = std::chrono::steady_clock::now();
  torch::NoGradGuard no_grad;
  active_ = false;
  // What backward did not reach (no images here, an unused parameter) is a zero contribution.
  for (auto& bucket : buckets_) {
    if (bucket.filled == bucket.slots.size()) continue;
    for (size_t index : bucket.slots) {
      if (!slots_[index].filled) view_of(slots_[index]).zero_();
    }
    bucket.filled = bucket.slots.size();
  }
  launch_ready_buckets();
  for (auto& bucket : buckets_) bucket.pending.wait();

  // Divide by every rank's images together; the count itself becomes 1, which nobody reads.
  const torch::Tensor total = buckets_.front().flat.narrow(0, count_offset_, 1).clone();
  for (auto& bucket : buckets_) bucket.flat.div_(total);
  for (const auto& slot : slots_) {
    torch::Tensor& grad = slot.parameter.mutable_grad();
    if (grad.defined()) {
      grad.copy_(view_of(slot));
    } else {
      grad = torch::empty_like(slot.parameter).copy_(view_of(slot));
    }
  }
  exposed_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace ablate::dist
