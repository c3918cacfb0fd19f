#pragma once
// This process's part in a data-parallel run of `ablate run` (started by `--nproc N`, torchrun or srun):
// the group it trains with, and the rules that make N processes behave as one run:
//  - rank 0 alone talks to the results store and the checkpoints; it decides whether each run is trained
//    and shares the decision (share_decision), so every rank goes through the same runs;
//  - each run is placed per rank (place_replica): rank r on cuda:LOCAL_RANK, the machine's cores split
//    between its processes;
//  - a rank that ends on its own (error, signal) leaves a note saying why in the rendezvous store, the
//    `--nproc` launcher notes how each of its workers ended, and rank 0 names the rank in the stored
//    run when the group breaks (exit_note).

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <torch/types.h>

#include "core/config/run_spec.h"
#include "core/data/replica_split.h"
#include "core/dist/process_group.h"
#include "core/dist/world.h"

namespace ablate::runner {

// Keys of the notes in the rendezvous store.
namespace replica_note {
// Why rank `rank` ended: a sentence that names it ("rank 1 of 2 failed: ...").
std::string exit(int64_t rank);
// Set by the launcher when it was asked to stop (SIGINT/SIGTERM) before it signals the workers.
inline constexpr const char* stop = "ablate/stop";
// The run key rank 0 is training ("" between runs), for the launcher when rank 0 itself dies.
inline constexpr const char* run = "ablate/run";
}  // namespace replica_note

// A rendezvous note: a rank's way of ending as a sentence, "rank 1 of 2 was killed by signal 9 (SIGKILL)"
// for a raw wait() status, "" when it exited with status 0.
std::string describe_exit(int64_t rank, int64_t size, int wait_status);

class Replicas {
 public:
  // Joins the rendezvous store and forms the group (Gloo when `device` is the CPU, NCCL for CUDA).
  // Throws dist::CollectiveError when the other ranks do not come within `timeout`.
  Replicas(const dist::World& world, torch::Device device, std::chrono::milliseconds timeout);

  const dist::World& world() const { return world_; }
  data::Replica replica() const { return {world_.rank, world_.size}; }
  bool writer() const { return world_.rank == 0; }
  dist::ProcessGroup& group() { return *group_; }
  dist::Rendezvous& rendezvous() { return *rendezvous_; }

  // Rank 0's decision, on every rank (the others pass anything).
  int64_t share_decision(int64_t decision) { return group_->broadcast_value(decision); }

  // Leaves this rank's way of ending for rank 0 and the launcher (never throws).
  void note_exit(const std::string& why);
  // Rank 0, after a collective failed: the first note of another rank saying why it ended, waiting up to
  // `patience` for one to arrive; nullopt when none came.
  std::optional<std::string> exit_note(std::chrono::milliseconds patience);

  // "2 processes x cpu (1 threads), gloo": what the runs table records as the device of a run.
  std::string describe(const std::string& device_of_one_rank) const;

 private:
  dist::World world_;
  std::shared_ptr<dist::Rendezvous> rendezvous_;
  std::unique_ptr<dist::ProcessGroup> group_;
};

// The run as rank world.rank trains it. train.device auto or cuda becomes cuda:LOCAL_RANK when CUDA is
// available (auto stays CPU otherwise); train.threads 0 becomes the machine's cores divided among its
// processes, data.workers 0 (decode threads of each streaming loader) that share less one. None of these
// is part of the run key. Throws std::invalid_argument for an explicit cuda:N (every
// rank would take the same GPU) or a LOCAL_RANK beyond the visible GPUs.
config::RunSpec place_replica(config::RunSpec spec, const dist::World& world);

}  // namespace ablate::runner
