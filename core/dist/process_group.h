#pragma once
// ProcessGroup: the processes that train one run together, over LibTorch's own c10d collectives: Gloo
// for CPU tensors, NCCL for CUDA tensors (one GPU per rank; only when LibTorch was built with NCCL, i.e.
// a CUDA build, which defines USE_C10D_NCCL). No collective of our own: this class only chooses the
// backend, joins the group through the rendezvous store, and turns every failure into CollectiveError.
//
// Collective semantics are c10d's: every rank calls the same collectives in the same order with tensors of
// the same shapes; a rank that never arrives (dead, hung) makes the others fail after `timeout`, a rank
// whose process ends (crash, SIGKILL) makes them fail at once (its connections close).

#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

#include <torch/types.h>

#include "core/dist/rendezvous.h"
#include "core/dist/world.h"

namespace ablate::dist {

enum class Backend { gloo, nccl };
const char* backend_name(Backend backend);

// A collective that failed or timed out, or a group that could not be formed. The message names the
// operation and c10d's reason (first line).
class CollectiveError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class Reduce { sum, min, max };

// An all-reduce in flight (ProcessGroup::all_reduce_async); wait() once before reading the tensor.
class PendingReduce {
 public:
  PendingReduce();
  ~PendingReduce();
  PendingReduce(PendingReduce&&) noexcept;
  PendingReduce& operator=(PendingReduce&&) noexcept;
  bool active() const { return impl_ != nullptr; }
  void wait();  // throws CollectiveError; a no-op when not active

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  friend class ProcessGroup;
};

struct GroupOptions {
  // How long a collective (and the group's formation) waits for the other ranks before failing.
  std::chrono::milliseconds timeout = std::chrono::minutes(5);
  // Where the collectives' tensors live: CPU means Gloo, CUDA means NCCL (each rank on its own device).
  torch::Device device = torch::kCPU;
};

class ProcessGroup {
 public:
  // Forms the group of `world` through `rendezvous`: returns once every rank has joined. Throws
  // CollectiveError when they do not all join within the timeout, std::invalid_argument when NCCL is
  // needed (a CUDA device) and this LibTorch has none.
  ProcessGroup(const World& world, std::shared_ptr<Rendezvous> rendezvous, GroupOptions options);
  ~ProcessGroup();
  ProcessGroup(const ProcessGroup&) = delete;
  ProcessGroup& operator=(const ProcessGroup&) = delete;

  int64_t rank() const { return rank_; }
  int64_t size() const { return size_; }
  Backend backend() const { return backend_; }
  const torch::Device& device() const { return options_.device; }
  std::chrono::milliseconds timeout() const { return options_.timeout; }
  Rendezvous& rendezvous() { return *rendezvous_; }

  // In place, on every rank; `tensor` on device().
  void all_reduce(torch::Tensor& tensor, Reduce op = Reduce::sum);
  PendingReduce all_reduce_async(torch::Tensor& tensor);  // sum
  void broadcast(torch::Tensor& tensor, int64_t root = 0);
  // Root's value (or bytes) on every rank.
  int64_t broadcast_value(int64_t value, int64_t root = 0);
  std::string broadcast_bytes(const std::string& bytes, int64_t root = 0);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::shared_ptr<Rendezvous> rendezvous_;
  GroupOptions options_;
  int64_t rank_ = 0, size_ = 1;
  Backend backend_ = Backend::gloo;
};

}  // namespace ablate::dist
