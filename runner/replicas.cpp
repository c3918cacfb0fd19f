#include "runner/replicas.h"

#include <sys/wait.h>

#include <algorithm>
#include <csignal>
#include <cstring>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>
#include <torch/cuda.h>

namespace ablate::runner {

namespace replica_note {
std::string exit(int64_t rank) { return fmt::format("ablate/exit/{}", rank); }
}  // namespace replica_note

std::string describe_exit(int64_t rank, int64_t size, int wait_status) {
  if (WIFSIGNALED(wait_status)) {
    const int signal_number = WTERMSIG(wait_status);
    const char* name = sigabbrev_np(signal_number);
    return fmt::format("rank {} of {} was killed by signal {}{}", rank, size, signal_number,
                       name ? fmt::format(" (SIG{})", name) : "");
  }
  const int status = WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1;
  if (status == 0) return "";
  return fmt::format("rank {} of {} exited with status {}", rank, size, status);
}

Replicas::Replicas(const dist::World& world, torch::Device device, std::chrono::milliseconds timeout)
    : world_(world) {
  try {
    rendezvous_ = world.launcher_hosts_store || world.rank != 0
                      ? dist::Rendezvous::join(world.master_addr, world.master_port, world.store_prefix, timeout)
                      : dist::Rendezvous::host(world.master_port, "", timeout);
  } catch (const std::runtime_error& e) {
    throw dist::CollectiveError(fmt::format("rank {} of {} ({}): {}", world.rank, world.size, world.source, e.what()));
  }
  dist::GroupOptions options;
  options.timeout = timeout;
  options.device = device;
  group_ = std::make_unique<dist::ProcessGroup>(world, rendezvous_, options);
}

void Replicas::note_exit(const std::string& why) {
  try {
    rendezvous_->set(replica_note::exit(world_.rank), why);
  } catch (const std::exception&) {
    // The store went away with its host: nobody is left to read the note.
  }
}

std::optional<std::string> Replicas::exit_note(std::chrono::milliseconds patience) {
  const auto deadline = std::chrono::steady_clock::now() + patience;
  while (true) {
    for (int64_t rank = 0; rank < world_.size; ++rank) {
      if (rank == world_.rank) continue;
      if (auto note = rendezvous_->get(replica_note::exit(rank)); note && !note->empty()) return note;
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

std::string Replicas::describe(const std::string& device_of_one_rank) const {
  return fmt::format("{} processes x {}, {}", world_.size, device_of_one_rank, dist::backend_name(group_->backend()));
}

config::RunSpec place_replica(config::RunSpec spec, const dist::World& world) {
  config::DeviceSpec& device = spec.train.device;
  if (device.kind == config::DeviceKind::cuda && device.index >= 0) {
    throw std::invalid_argument(fmt::format(
        "train.device '{}': in a run over {} processes each rank takes the GPU of its local rank (cuda:LOCAL_RANK); "
        "use auto or cuda (restrict the GPUs with CUDA_VISIBLE_DEVICES)",
        config::to_string(device), world.size));
  }
  if (device.kind == config::DeviceKind::cuda ||
      (device.kind == config::DeviceKind::automatic && torch::cuda::is_available())) {
    const int64_t visible = static_cast<int64_t>(torch::cuda::device_count());
    if (world.local_rank >= visible) {
      throw std::invalid_argument(fmt::format("{}: local rank {} needs cuda:{}, but only {} GPU(s) are visible here",
                                              world.source, world.local_rank, world.local_rank, visible));
    }
    device = config::DeviceSpec{config::DeviceKind::cuda, world.local_rank};
  }
  const int64_t cores = std::max<int64_t>(1, std::thread::hardware_concurrency());
  const int64_t share = std::max<int64_t>(1, cores / std::max<int64_t>(1, world.local_size));
  if (spec.train.threads == 0) spec.train.threads = share;
  if (spec.data.workers == 0) spec.data.workers = std::max<int64_t>(1, share - 1);
  return spec;
}

}  // namespace ablate::runner
