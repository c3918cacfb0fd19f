#pragma once
// The data-parallel side of a sweep (sweep.cpp). Every rank expands the same runs in the same order; per
// run, rank 0 (the only one with the results store) decides twice whether it is trained (after reading
// its stored status, after claiming it) and shares each decision, so the ranks never disagree on which
// run they are in. The other ranks follow (follow_sweep): they build the same trainer over their own
// share of the data and report nothing.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <torch/types.h>

#include "core/config/run_spec.h"
#include "core/dist/world.h"
#include "core/train/run_data.h"
#include "core/train/trainer.h"
#include "runner/replicas.h"
#include "runner/sweep.h"

namespace ablate::runner {

// How one run of a sweep ended. adopted: a finished run with the same training key lent it its results
// (runner/run_reuse.h). broken: the group broke (a rank died, or a failure only some ranks saw): the
// sweep ends there.
enum class RunEnd { finished, adopted, skipped, failed, stopped, broken };

// Rank 0's decision about a run.
inline constexpr int64_t kSkipRun = 0;
inline constexpr int64_t kTrainRun = 1;

// How long rank 0 waits for a note saying why the group broke (the launcher writes it when it reaps
// the dead worker, a few milliseconds after the collective fails).
inline constexpr std::chrono::seconds kBrokenGroupPatience{3};

// What every rank does with a run: evaluate it once when it is evaluation-only (`ablate eval`), else train
// it (evaluating after each epoch).
train::TrainResult train_or_evaluate(const config::RunSpec& spec, train::Trainer& trainer, train::RunData& data,
                                     train::EpochSink& sink);

// Checkpoints as the sweep says; the group's ProcessGroup when there is one.
train::TrainerOptions sweep_trainer_options(const SweepOptions& options, Replicas* replicas);

// Joins the group this process is a rank of: checks --nproc against the world size and every run's
// batch split, and forms the group on the device the runs train on (CPU: Gloo, CUDA: NCCL).
std::unique_ptr<Replicas> join_sweep_group(const dist::World& world, const std::vector<config::RunSpec>& runs,
                                           const SweepOptions& options);

// Every run of a sweep must train on the kind of device the group was formed for.
void check_group_device(Replicas& replicas, torch::Device device);

// Rank 0's note of the run it trains, for the launcher; cleared when the run ends however it ends.
class RunNote {
 public:
  RunNote(Replicas* replicas, const std::string& run_key);
  ~RunNote();
  RunNote(const RunNote&) = delete;
  RunNote& operator=(const RunNote&) = delete;

 private:
  Replicas* replicas_;
};

// A rank other than 0 goes through the sweep: the exit status as run_sweep's. A failure of its own is
// noted for rank 0 and the launcher ("rank 1 of 2 failed: ...") and rethrown with the rank in front.
int follow_sweep(const std::vector<config::RunSpec>& runs, const SweepOptions& options, Replicas& replicas);

}  // namespace ablate::runner
