#pragma once
// Trainer: trains one RunSpec to completion (or until asked to stop), checkpointing every epoch and
// resuming from the newest usable checkpoint.
//
// Typical use (the runner):
//   train::TrainerOptions options;
//   options.checkpoint_root = "results/checkpoints";
//   train::Trainer trainer(spec, options);
//   const torch::Device device = trainer.device();       // build the data on it
//   MyLoaderAdapter train_batches(...), val_batches(...);  // BatchSource over core/data's loader
//   train::TrainResult result = trainer.run(train_batches, &val_batches, sink);
//
// Guarantees:
//  - Seeding: torch's generators are seeded with spec.seed before the model is built, so the initial
//    weights are a function of the seed.
//  - Stop: EpochSink::should_stop() is polled before every step; on true, run() returns
//    RunOutcome::stopped at once without finishing, reporting or checkpointing the partial epoch. The last
//    complete epoch's checkpoint is the resume point (none if the first epoch was interrupted: the rerun
//    starts over, which is equivalent because everything is seeded).
//  - Divergence: a non-finite training loss throws DivergedError ("diverged at epoch 3, step 41: loss is
//    nan"; epoch and step 1-based) at the next progress sync or at the epoch end, whichever comes first.
//    Nothing of that epoch is reported or checkpointed.
//  - Resume: with options.resume, run() continues after the newest checkpoint that loads (see
//    CheckpointStore::load_latest) and hands the restored epochs' metrics to EpochSink::on_restored. On CPU with train.deterministic, the metrics of a run interrupted
//    after epoch k and resumed are bit-identical to those of an uninterrupted run (timings aside).
//  - Checkpoints: epoch-<k>.pt after every epoch; while training the newest two are kept (the older one is
//    the fallback if the newest is found corrupt); a finished run keeps only its final one unless
//    options.keep_all_checkpoints.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <torch/nn/modules/container/any.h>
#include <torch/optim/optimizer.h>
#include <torch/types.h>

#include "core/config/run_spec.h"
#include "core/train/batch_source.h"
#include "core/train/device.h"
#include "core/train/epoch_sink.h"

namespace ablate::dist {
class ProcessGroup;
}

namespace ablate::train {

// Builds the network for a run. Called after seeding; the result is moved to the training device by the
// trainer. The default builds models::ResNet(spec.model.options), with the weights of spec.evaluated_weights
// (an evaluation) or of spec.model.init_from (fine-tuning) when given.
using ModelFactory = std::function<torch::nn::AnyModule(const config::RunSpec&)>;
torch::nn::AnyModule build_resnet(const config::RunSpec& spec);

// What Trainer::run starts a fresh run from: torch's generators seeded with spec.seed, the factory's
// model on the runtime's device (channels_last when the runtime says so), and make_sgd's optimiser over
// it. Also used by bench/trainer_worker, so that the benchmark trains what the trainer trains.
struct ModelAndOptimizer {
  torch::nn::AnyModule model;
  std::unique_ptr<torch::optim::Optimizer> optimizer;
};
ModelAndOptimizer build_model_and_optimizer(const config::RunSpec& spec, const RuntimeSettings& runtime,
                                            const ModelFactory& make_model = build_resnet);

struct TrainerOptions {
  // Checkpoints go to <checkpoint_root>/<spec.run_key>/.
  std::filesystem::path checkpoint_root = "results/checkpoints";
  bool resume = true;                 // false: delete this run's existing checkpoints and start over
  bool keep_all_checkpoints = false;  // false: a finished run keeps only its final checkpoint
  // Steps between EpochSink::on_progress calls (each one a host sync on CUDA). 0 = automatic: at the
  // first step that ends 0.5 s or more after the previous report. The last step of an epoch always reports.
  int64_t progress_every = 0;
  // Data-parallel: the processes that train this run together; nullptr = this process alone. Every rank
  // runs the same Trainer over its own share of each batch (sources built for its data::Replica).
  // Rank 0 alone reads and writes checkpoints (`resume` matters there only); the others take its state
  // at the start (replica_sync.h). Gradients are averaged over the ranks, and the reported metrics are
  // over every rank's images; divergence is then detected at epoch ends only (where the ranks agree).
  dist::ProcessGroup* replicas = nullptr;
};

enum class RunOutcome { finished, stopped };

struct TrainResult {
  RunOutcome outcome = RunOutcome::finished;
  int64_t epochs_completed = 0;    // including those restored from a checkpoint
  int64_t resumed_from_epoch = 0;  // epochs restored from a checkpoint at the start (0 = fresh start)
  // Metrics of epochs 1..epochs_completed (restored ones included). On a data-parallel rank other than 0
  // only the epochs trained by this call: the restored ones stay with rank 0, which reports them.
  std::vector<EpochMetrics> history;
};

// A non-finite training loss.
class DivergedError : public std::runtime_error {
 public:
  DivergedError(int64_t epoch, int64_t step, double loss);
  int64_t epoch() const { return epoch_; }
  int64_t step() const { return step_; }

 private:
  int64_t epoch_, step_;
};

class Trainer {
 public:
  // Applies the process-wide runtime settings (configure_runtime) and validates the spec's training
  // settings; throws std::invalid_argument naming the train.* key at fault. run_key must not be empty.
  explicit Trainer(config::RunSpec spec, TrainerOptions options = {}, ModelFactory make_model = build_resnet);

  torch::Device device() const { return runtime_.device; }
  const RuntimeSettings& runtime() const { return runtime_; }
  std::filesystem::path checkpoint_directory() const;

  // Trains epochs [resume point, spec.train.epochs). `val` may be null (no val_* metrics). Throws
  // DivergedError on divergence and propagates exceptions from the sources, the sink and LibTorch.
  TrainResult run(BatchSource& train, BatchSource* val, EpochSink& sink);

  // Evaluation only (`ablate eval`): builds the model as run() does (seeded; the factory loads the weights
  // the spec names) and evaluates it once on `val` with the evaluation run() does after every epoch. The
  // sink gets one epoch (1) of val_loss, val_top1_err, val_top5_err and epoch_seconds; nothing is trained or
  // checkpointed. A stop request returns RunOutcome::stopped with nothing reported.
  TrainResult evaluate_only(BatchSource& val, EpochSink& sink);

  // The trained network (valid after run()).
  torch::nn::AnyModule& model() { return model_; }

 private:
  void build();
  struct EvalResult {
    double loss, top1_err, top5_err;
    bool stopped;
  };
  EvalResult evaluate(BatchSource& val, int64_t epoch, EpochSink& sink);

  config::RunSpec spec_;
  TrainerOptions options_;
  ModelFactory make_model_;
  RuntimeSettings runtime_;
  torch::nn::AnyModule model_;
  std::unique_ptr<torch::optim::Optimizer> optimizer_;
};

}  // namespace ablate::train
