#include "core/train/trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <utility>

#include <c10/core/InferenceMode.h>

#include <fmt/format.h>

#include "core/dist/gradient_all_reduce.h"
#include "core/train/checkpoint.h"
#include "core/train/loss_metrics.h"
#include "core/train/lr_schedule.h"
#include "core/train/optimizer.h"
#include "core/train/replica_sync.h"
#include "core/train/train_step.h"

namespace ablate::train {

namespace {

using Clock = std::chrono::steady_clock;

// Automatic progress reports: often enough for a live display, rare enough to cost nothing.
constexpr double kProgressSeconds = 0.5;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

void throw_if_diverged(const EpochMeter::Values& values, int64_t epoch) {
  if (values.nonfinite_step) throw DivergedError(epoch, *values.nonfinite_step, values.nonfinite_loss);
}

// What the data sources have to say (skipped images, empty class folders), passed on to the sink.
void forward_warnings(BatchSource& train, BatchSource* val, EpochSink& sink) {
  for (BatchSource* source : {&train, val}) {
    if (source == nullptr) continue;
    for (const auto& warning : source->take_warnings()) sink.on_warning(warning);
  }
}

}  // namespace

DivergedError::DivergedError(int64_t epoch, int64_t step, double loss)
    : std::runtime_error(fmt::format("diverged at epoch {}, step {}: loss is {}", epoch, step, loss)),
      epoch_(epoch),
      step_(step) {}

Trainer::Trainer(config::RunSpec spec, TrainerOptions options, ModelFactory make_model)
    : spec_(std::move(spec)), options_(std::move(options)), make_model_(std::move(make_model)) {
  if (spec_.run_key.empty()) throw std::invalid_argument("run spec: run_key is empty (the config layer sets it)");
  if (!make_model_) throw std::invalid_argument("trainer: no model factory given");
  if (options_.progress_every < 0) {
    throw std::invalid_argument(fmt::format("trainer: progress_every must be >= 0, got {}", options_.progress_every));
  }
  const auto& train = spec_.train;
  LrSchedule(train.schedule, train.lr, train.epochs);  // validates the schedule keys
  if (!(train.label_smoothing >= 0 && train.label_smoothing < 1)) {
    throw std::invalid_argument(fmt::format("train.label_smoothing: expected 0 <= value < 1, got {}", train.label_smoothing));
  }
  runtime_ = configure_runtime(train);
}

std::filesystem::path Trainer::checkpoint_directory() const { return options_.checkpoint_root / spec_.run_key; }

ModelAndOptimizer build_model_and_optimizer(const config::RunSpec& spec, const RuntimeSettings& runtime,
                                            const ModelFactory& make_model) {
  // Seed first: the initial weights are then a function of spec.seed alone.
  seed_everything(static_cast<uint64_t>(spec.seed));
  ModelAndOptimizer built;
  built.model = make_model(spec);
  built.model.ptr()->to(runtime.device);
  if (runtime.channels_last) to_channels_last(*built.model.ptr());
  built.optimizer = make_sgd(*built.model.ptr(), spec.train);
  return built;
}

void Trainer::build() {
  ModelAndOptimizer built = build_model_and_optimizer(spec_, runtime_, make_model_);
  model_ = std::move(built.model);
  optimizer_ = std::move(built.optimizer);
}

Trainer::EvalResult Trainer::evaluate(BatchSource& val, int64_t epoch, EpochSink& sink) {
  if (options_.replicas) share_root_buffers(*options_.replicas, *model_.ptr());
  c10::InferenceMode inference;
  EvalStep eval_step(model_, runtime_);
  EpochMeter meter(runtime_.device);
  val.begin_epoch(epoch);
  Batch batch;
  int64_t step = 0;
  while (true) {
    if (sink.should_stop()) return {0, 0, 0, /*stopped=*/true};
    if (!val.next(batch)) break;
    eval_step(batch, meter, ++step);
  }
  if (options_.replicas) combine_meter(*options_.replicas, meter);
  const EpochMeter::Values values = meter.read();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (values.samples == 0) return {nan, nan, nan, false};
  return {values.mean_loss, values.top1_err, values.top5_err, false};
}

TrainResult Trainer::evaluate_only(BatchSource& val, EpochSink& sink) {
  for (const auto& warning : runtime_.warnings) sink.on_warning(warning);
  for (const auto& warning : val.take_warnings()) sink.on_warning(warning);
  build();
  const Clock::time_point start = Clock::now();
  const EvalResult evaluated = evaluate(val, 0, sink);
  TrainResult result;
  if (evaluated.stopped) {
    result.outcome = RunOutcome::stopped;
    return result;
  }
  EpochMetrics metrics;
  metrics[metric::val_loss] = evaluated.loss;
  metrics[metric::val_top1_err] = evaluated.top1_err;
  metrics[metric::val_top5_err] = evaluated.top5_err;
  metrics[metric::epoch_seconds] = seconds_since(start);
  for (const auto& warning : val.take_warnings()) sink.on_warning(warning);
  sink.on_epoch_end(1, metrics);
  result.epochs_completed = 1;
  result.history = {metrics};
  return result;
}

TrainResult Trainer::run(BatchSource& train, BatchSource* val, EpochSink& sink) {
  for (const auto& warning : runtime_.warnings) sink.on_warning(warning);
  forward_warnings(train, val, sink);
  const config::TrainSpec& spec = spec_.train;
  const LrSchedule schedule(spec.schedule, spec.lr, spec.epochs);
  const CheckpointStore store(checkpoint_directory(), spec_.run_key);
  const auto warn = [&sink](const std::string& message) { sink.on_warning(message); };

  build();
  TrainingProgress progress;
  dist::ProcessGroup* const replicas = options_.replicas;
  const bool writer = replicas == nullptr || replicas->rank() == 0;  // the one that touches checkpoints
  if (writer && !options_.resume) {
    // Stale files of an earlier attempt would otherwise outrank this run's checkpoints when pruning.
    for (int64_t epoch : store.epochs_on_disk()) store.remove(epoch);
  } else if (writer && !store.epochs_on_disk().empty()) {
    if (auto restored = store.load_latest(*model_.ptr(), *optimizer_, runtime_.device, warn)) {
      progress = std::move(*restored);
      // Loading replaces parameter storage with the file's (contiguous) layout.
      if (runtime_.channels_last) to_channels_last(*model_.ptr());
      sink.on_restored(progress.history);
    } else {
      build();  // a file that failed late may have overwritten part of the model
    }
  }
  if (replicas) share_root_state(*replicas, *model_.ptr(), *optimizer_, progress);

  TrainResult result;
  result.resumed_from_epoch = progress.epochs_completed;
  const auto finish = [&](RunOutcome outcome) {
    result.outcome = outcome;
    result.epochs_completed = progress.epochs_completed;
    result.history = progress.history;
    return result;
  };

  const int64_t steps = train.num_batches();
  if (progress.epochs_completed < spec.epochs && steps < 1) {
    throw std::invalid_argument(fmt::format("training data: the training source yields no batches per epoch "
                                            "(fewer images than train.batch_size {}?)", spec.batch_size));
  }
  std::unique_ptr<dist::GradientAllReduce> replica_gradients;
  if (replicas) replica_gradients = std::make_unique<dist::GradientAllReduce>(model_.ptr()->parameters(), *replicas);
  TrainStep train_step(model_, *optimizer_, runtime_, spec.label_smoothing, replica_gradients.get());
  // Mid-epoch progress shows this rank's share; the images/s of all ranks together.
  const double ranks = replicas ? static_cast<double>(replicas->size()) : 1.0;
  // Reading the meter is the step's only host sync (on CUDA it waits for the queued kernels): only when
  // progress is due.
  const auto progress_due = [this](int64_t step, Clock::time_point last_progress) {
    if (options_.progress_every > 0) return step % options_.progress_every == 0;
    return seconds_since(last_progress) >= kProgressSeconds;
  };

  for (int64_t epoch = progress.epochs_completed; epoch < spec.epochs; ++epoch) {
    const int64_t epoch_number = epoch + 1;  // what people, the sink and the checkpoint names see
    const Clock::time_point epoch_start = Clock::now();
    train.begin_epoch(epoch);
    model_.ptr()->train();
    EpochMeter meter(runtime_.device, /*count_top5=*/false);  // the epoch reports train top-1 only
    double lr = 0;
    int64_t step = 0;
    Clock::time_point last_progress = epoch_start;
    Batch batch;
    while (true) {
      if (sink.should_stop()) return finish(RunOutcome::stopped);
      if (!train.next(batch)) break;
      if (step == steps) {
        throw std::runtime_error(fmt::format("training source yielded more than num_batches() = {} batches", steps));
      }
      lr = schedule.at(epoch, step, steps);
      set_learning_rate(*optimizer_, lr);
      train_step(batch, meter, ++step);
      ++progress.global_step;
      if (step == steps || progress_due(step, last_progress)) {
        last_progress = Clock::now();
        const EpochMeter::Values values = meter.read();
        if (!replicas) throw_if_diverged(values, epoch_number);  // ranks would not agree on the step
        sink.on_progress(epoch_number, step, steps, values.mean_loss,
                         ranks * static_cast<double>(values.samples) / std::max(seconds_since(epoch_start), 1e-9));
      }
    }
    if (step != steps) {
      throw std::runtime_error(fmt::format("training source yielded {} batches in epoch {}, but num_batches() = {}",
                                           step, epoch_number, steps));
    }
    if (replicas) combine_meter(*replicas, meter);
    const EpochMeter::Values trained = meter.read();  // the sync that makes the timing below honest on CUDA
    throw_if_diverged(trained, epoch_number);
    const double train_seconds = seconds_since(epoch_start);

    EpochMetrics metrics;
    metrics[metric::train_loss] = trained.mean_loss;
    metrics[metric::train_top1_err] = trained.top1_err;
    metrics[metric::lr] = lr;
    metrics[metric::images_per_sec] = static_cast<double>(trained.samples) / std::max(train_seconds, 1e-9);
    if (val != nullptr) {
      const EvalResult evaluated = evaluate(*val, epoch, sink);
      if (evaluated.stopped) return finish(RunOutcome::stopped);
      metrics[metric::val_loss] = evaluated.loss;
      metrics[metric::val_top1_err] = evaluated.top1_err;
      metrics[metric::val_top5_err] = evaluated.top5_err;
    }
    metrics[metric::epoch_seconds] = seconds_since(epoch_start);

    forward_warnings(train, val, sink);
    progress.epochs_completed = epoch_number;
    progress.history.push_back(metrics);
    sink.on_epoch_end(epoch_number, metrics);
    if (writer) {
      store.save(progress, *model_.ptr(), *optimizer_, runtime_.device);
      if (!options_.keep_all_checkpoints) store.prune(2);
    }
  }
  if (writer && !options_.keep_all_checkpoints) store.prune(1);
  return finish(RunOutcome::finished);
}

}  // namespace ablate::train
