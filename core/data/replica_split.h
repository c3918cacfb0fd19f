#pragma once
// How the batches of a data-parallel run are shared between its replicas: the one rule every data
// source applies (data::BatchLoader in memory, the streaming ImageFolder loader), so that a run's
// batches, and hence its numbers, do not depend on how many processes train it.
//
// Epoch k of a run is one order of its N examples, a function of (seed, k) alone. A single process takes
// the batch of step s (0-based) from the positions [s*B, min((s+1)*B, N)) of that order, B being
// train.batch_size (the global batch). With R replicas, replica r takes the r-th of R contiguous parts of
// the very same positions, the parts as equal as they can be (sizes differ by at most one, the larger
// ones first; B/R each for a full batch). So, for every step and every epoch:
//  - the parts are disjoint and their union is the single process's batch (hence the union over an
//    epoch is the single process's epoch);
//  - each replica only needs the order, which it draws itself from (seed, k): nothing is exchanged;
//  - augmentation drawn per position (crop offsets, flips) gives every image the crop and flip the
//    single process would give it.
// A part may be empty (the last batch of an epoch holding fewer than R images; never rank 0's): the
// replica then takes a step with no images (its gradient counts for nothing, see dist::GradientAllReduce).
//
// A streaming source asks replica_positions() for its step's positions and decodes order[p] for each p;
// an in-memory source slices its order tensor with them.
//
// No LibTorch here: plain integer arithmetic, shared by every data source and tested on its own.

#include <cstdint>

namespace ablate::data {

// This process's place among the replicas of one run: rank in [0, count).
struct Replica {
  int64_t rank = 0;
  int64_t count = 1;
};

// Throws std::invalid_argument naming the rank and the count when rank is not in [0, count) or count < 1.
void check_replica(const Replica& replica);

// Positions [begin, end) of an epoch's order.
struct PositionRange {
  int64_t begin = 0;
  int64_t end = 0;
  int64_t size() const { return end - begin; }
};

// The positions of step `step` (0-based) that `replica` takes, for an epoch of `epoch_size` examples in
// batches of `global_batch`. Empty when the step's batch has no more than replica.rank images, or when
// `step` is past the epoch's last batch.
PositionRange replica_positions(int64_t epoch_size, int64_t global_batch, int64_t step, const Replica& replica);

// Each replica's share of a full batch: global_batch / replicas. Throws std::invalid_argument naming
// train.batch_size when the global batch does not divide evenly (a run's numbers must not depend on the
// number of processes, so its batch is never rounded), or is smaller than the number of replicas.
int64_t per_replica_batch(int64_t global_batch, int64_t replicas);

}  // namespace ablate::data
