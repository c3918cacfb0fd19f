#include "core/data/replica_split.h"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

namespace ablate::data {

void check_replica(const Replica& replica) {
  if (replica.count < 1) {
    throw std::invalid_argument(fmt::format("world size: expected at least 1 process, got {}", replica.count));
  }
  if (replica.rank < 0 || replica.rank >= replica.count) {
    throw std::invalid_argument(
        fmt::format("rank {}: expected 0 <= rank < world size {}", replica.rank, replica.count));
  }
}

PositionRange replica_positions(int64_t epoch_size, int64_t global_batch, int64_t step, const Replica& replica) {
  check_replica(replica);
  if (global_batch < 1) throw std::invalid_argument(fmt::format("batch size: expected >= 1, got {}", global_batch));
  if (step < 0) throw std::invalid_argument(fmt::format("step: expected >= 0, got {}", step));
  const int64_t first = std::min(step * global_batch, epoch_size);
  const int64_t images = std::min(global_batch, epoch_size - first);
  // Part r starts at ceil(r * images / R): sizes differ by at most one, the lower ranks taking the larger
  // parts, so rank 0 (the one that reports progress) is never empty.
  const auto start = [&](int64_t r) { return first + (r * images + replica.count - 1) / replica.count; };
  return {start(replica.rank), start(replica.rank + 1)};
}

int64_t per_replica_batch(int64_t global_batch, int64_t replicas) {
  if (replicas < 1) throw std::invalid_argument(fmt::format("world size: expected at least 1 process, got {}", replicas));
  if (global_batch % replicas != 0 || global_batch < replicas) {
    throw std::invalid_argument(fmt::format(
        "train.batch_size: the global batch of {} does not split evenly over {} processes; a run's batch is the "
        "same whatever the number of processes, so choose a process count that divides it (or another batch)",
        global_batch, replicas));
  }
  return global_batch / replicas;
}

}  // namespace ablate::data
