#include "core/dist/process_group.h"

#include <cstdlib>
#include <cstring>
#include <functional>
#include <vector>

#include <c10/core/impl/DeviceGuardImplInterface.h>
#include <fmt/format.h>
#include <torch/csrc/distributed/c10d/ProcessGroup.hpp>
#include <torch/version.h>
#ifdef USE_C10D_GLOO
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#endif
#ifdef USE_C10D_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

#include "core/dist/rendezvous_access.h"

namespace ablate::dist {

namespace {

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

bool is_loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

#ifdef USE_C10D_GLOO
// Gloo's network device: loopback when every rank is on this machine (containers often have a host name
// that resolves nowhere useful), the interface GLOO_SOCKET_IFNAME names (as PyTorch does), or the address
// this machine's host name resolves to.
std::shared_ptr<::gloo::transport::Device> gloo_device(const World& world) {
  if (world.local_size >= world.size || is_loopback(world.master_addr)) {
    return c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1");
  }
  if (const char* interface = std::getenv("GLOO_SOCKET_IFNAME"); interface != nullptr && *interface != '\0') {
    return c10d::ProcessGroupGloo::createDeviceForInterface(interface);
  }
  return c10d::ProcessGroupGloo::createDefaultDevice();
}
#endif

c10d::ReduceOp reduce_op(Reduce op) {
  switch (op) {
    case Reduce::min: return c10d::ReduceOp::MIN;
    case Reduce::max: return c10d::ReduceOp::MAX;
    case Reduce::sum: break;
  }
  return c10d::ReduceOp::SUM;
}

void wait_for(const c10::intrusive_ptr<c10d::Work>& work, const char* what) {
  try {
    work->wait();
  } catch (const std::exception& e) {
    throw CollectiveError(fmt::format("{} with the other ranks failed: {}", what, first_line(e.what())));
  }
}

}  // namespace

const char* backend_name(Backend backend) { return backend == Backend::nccl ? "nccl" : "gloo"; }

struct PendingReduce::Impl {
  c10::intrusive_ptr<c10d::Work> work;
};

PendingReduce::PendingReduce() = default;
PendingReduce::~PendingReduce() = default;
PendingReduce::PendingReduce(PendingReduce&&) noexcept = default;
PendingReduce& PendingReduce::operator=(PendingReduce&&) noexcept = default;

void PendingReduce::wait() {
  if (!impl_) return;
  const auto work = std::move(impl_->work);
  impl_.reset();
  wait_for(work, "gradient all-reduce");
}

struct ProcessGroup::Impl {
#if TORCH_VERSION_MAJOR >= 2
  c10::intrusive_ptr<c10d::Backend> group;
#else
  c10::intrusive_ptr<c10d::ProcessGroup> group;
#endif

  c10::intrusive_ptr<c10d::Work> run(const char* what, const std::function<c10::intrusive_ptr<c10d::Work>()>& start) {
    try {
      return start();
    } catch (const std::exception& e) {
      throw CollectiveError(fmt::format("{} with the other ranks failed: {}", what, first_line(e.what())));
    }
  }
};

ProcessGroup::ProcessGroup(const World& world, std::shared_ptr<Rendezvous> rendezvous, GroupOptions options)
    : impl_(std::make_unique<Impl>()),
      rendezvous_(std::move(rendezvous)),
      options_(std::move(options)),
      rank_(world.rank),
      size_(world.size),
      backend_(options_.device.is_cuda() ? Backend::nccl : Backend::gloo) {
  const c10::intrusive_ptr<c10d::Store> store = Rendezvous::Access::store(*rendezvous_);
  try {
    if (backend_ == Backend::nccl) {
#ifdef USE_C10D_NCCL
      // This rank's GPU becomes the current device (torch.cuda.set_device in PyTorch's recipe): NCCL and
      // anything else that uses the current device then never opens a context on GPU 0 of every rank.
      c10::impl::getDeviceGuardImpl(options_.device.type())->setDevice(options_.device);
      // Without asynchronous error handling a dead peer leaves NCCL kernels spinning forever; with it the
      // watchdog aborts the communicator after the timeout (both spellings: LibTorch 1.13 and 2.x).
      setenv("NCCL_ASYNC_ERROR_HANDLING", "1", /*overwrite=*/0);
      setenv("TORCH_NCCL_ASYNC_ERROR_HANDLING", "1", /*overwrite=*/0);
      auto nccl_options = c10d::ProcessGroupNCCL::Options::create();
      nccl_options->timeout = options_.timeout;
      impl_->group = c10::make_intrusive<c10d::ProcessGroupNCCL>(store, static_cast<int>(rank_),
                                                                 static_cast<int>(size_), nccl_options);
#else
      throw std::invalid_argument(fmt::format(
          "{}: a run on CUDA over {} processes needs NCCL, and this LibTorch was built without it (a CPU build); "
          "train on the CPU (--device cpu) or build against a CUDA LibTorch",
          options_.device.str(), size_));
#endif
    } else {
#ifdef USE_C10D_GLOO
      auto gloo_options = c10d::ProcessGroupGloo::Options::create(options_.timeout);
      gloo_options->devices.push_back(gloo_device(world));
      impl_->group = c10::make_intrusive<c10d::ProcessGroupGloo>(store, static_cast<int>(rank_),
                                                                 static_cast<int>(size_), gloo_options);
#else
      throw std::invalid_argument(fmt::format(
          "a run on the CPU over {} processes needs c10d's Gloo, and ablate was built without its headers "
          "(Debian: apt-get install libgloo-dev, then rebuild)",
          size_));
#endif
    }
  } catch (const std::invalid_argument&) {
    throw;
  } catch (const std::exception& e) {
    throw CollectiveError(fmt::format("rank {} of {}: the process group ({}) did not form within {} s: {}", rank_,
                                      size_, backend_name(backend_), options_.timeout.count() / 1000,
                                      first_line(e.what())));
  }
  // The first collective completes the connections: a group that forms here is usable.
  torch::Tensor ready = torch::ones({1}, torch::TensorOptions().device(options_.device));
  all_reduce(ready);
}

ProcessGroup::~ProcessGroup() = default;

void ProcessGroup::all_reduce(torch::Tensor& tensor, Reduce op) {
  std::vector<torch::Tensor> tensors{tensor};
  c10d::AllreduceOptions reduce;
  reduce.reduceOp = reduce_op(op);
  wait_for(impl_->run("all-reduce", [&] { return impl_->group->allreduce(tensors, reduce); }), "all-reduce");
}

PendingReduce ProcessGroup::all_reduce_async(torch::Tensor& tensor) {
  std::vector<torch::Tensor> tensors{tensor};
  PendingReduce pending;
  pending.impl_ = std::make_unique<PendingReduce::Impl>();
  pending.impl_->work = impl_->run("gradient all-reduce", [&] { return impl_->group->allreduce(tensors); });
  return pending;
}

void ProcessGroup::broadcast(torch::Tensor& tensor, int64_t root) {
  std::vector<torch::Tensor> tensors{tensor};
  c10d::BroadcastOptions from;
  from.rootRank = root;
  wait_for(impl_->run("broadcast", [&] { return impl_->group->broadcast(tensors, from); }), "broadcast");
}

int64_t ProcessGroup::broadcast_value(int64_t value, int64_t root) {
  torch::Tensor shared = torch::full({1}, value, torch::TensorOptions().dtype(torch::kLong).device(options_.device));
  broadcast(shared, root);
  return shared.item<int64_t>();
}

std::string ProcessGroup::broadcast_bytes(const std::string& bytes, int64_t root) {
  const int64_t size = broadcast_value(static_cast<int64_t>(bytes.size()), root);
  if (size == 0) return {};
  torch::Tensor buffer = torch::empty({size}, torch::kUInt8);
  if (rank_ == root) std::memcpy(buffer.data_ptr<uint8_t>(), bytes.data(), bytes.size());
  torch::Tensor shared = buffer.to(options_.device);
  broadcast(shared, root);
  shared = shared.to(torch::kCPU).contiguous();
  return std::string(reinterpret_cast<const char*>(shared.data_ptr<uint8_t>()), static_cast<size_t>(size));
}

}  // namespace ablate::dist
