#pragma once
// What a trainer does differently when it is one replica of a data-parallel run (TrainerOptions::replicas):
// the state every rank must share, taken from rank 0, and the epoch sums added up over the ranks.
//  - share_root_state: after the fresh start or the resume (which only rank 0 reads from disk), every rank
//    takes rank 0's parameters, buffers, optimiser state (momentum) and progress (epochs and steps done).
//    Together with the gradient all-reduce this keeps the replicas identical, so rank 0's checkpoint is the
//    whole run's state and a resumed run continues exactly.
//  - share_root_buffers: BatchNorm's running statistics from rank 0, before each evaluation. In training
//    each replica normalises with its own batch statistics (per-GPU BatchNorm, as in the paper; no
//    SyncBN) and updates its own running statistics; rank 0's are the ones evaluated and checkpointed, as
//    with DistributedDataParallel's broadcast_buffers.
//  - combine_meter: an epoch meter summed over the ranks (images, loss, hits; the earliest non-finite
//    step), so train and eval metrics are over every image of every rank, each counted once.

#include <torch/nn/module.h>
#include <torch/optim/optimizer.h>

#include "core/dist/process_group.h"
#include "core/train/checkpoint.h"
#include "core/train/loss_metrics.h"

namespace ablate::train {

void share_root_state(dist::ProcessGroup& replicas, torch::nn::Module& model, torch::optim::Optimizer& optimizer,
                      TrainingProgress& progress);
void share_root_buffers(dist::ProcessGroup& replicas, torch::nn::Module& model);
void combine_meter(dist::ProcessGroup& replicas, EpochMeter& meter);

}  // namespace ablate::train
