#include "runner/replica_sweep.h"

#include <csignal>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

#include "core/train/device.h"
#include "core/train/run_data.h"
#include "runner/stop_signal.h"

namespace ablate::runner {

namespace {

// A follower reports nothing (rank 0 reports the same metrics and warnings); it only stops when asked.
class FollowerSink : public train::EpochSink {
 public:
  void on_epoch_end(int64_t, const train::EpochMetrics&) override {}
  bool should_stop() override { return stop_requested(); }
  void on_warning(const std::string&) override {}
};

RunEnd follow_one(const SweepOptions& options, Replicas& replicas, const config::RunSpec& planned) {
  if (replicas.share_decision(kSkipRun) != kTrainRun) return RunEnd::skipped;
  const config::RunSpec spec = place_replica(planned, replicas.world());
  train::Trainer trainer(spec, sweep_trainer_options(options, &replicas));
  check_group_device(replicas, trainer.device());
  train::RunData data(spec, trainer.runtime(), replicas.replica());
  if (replicas.share_decision(kSkipRun) != kTrainRun) return RunEnd::skipped;
  FollowerSink sink;
  try {
    const train::TrainResult result = train_or_evaluate(spec, trainer, data, sink);
    return result.outcome == train::RunOutcome::stopped ? RunEnd::stopped : RunEnd::finished;
  } catch (const train::DivergedError&) {
    return RunEnd::failed;  // every rank saw it (summed metrics); rank 0 stores it, the sweep goes on
  }
}

std::string stop_name() {
  const char* name = sigabbrev_np(stop_signal());
  return name ? std::string("SIG") + name : "a signal";
}

}  // namespace

train::TrainResult train_or_evaluate(const config::RunSpec& spec, train::Trainer& trainer, train::RunData& data,
                                     train::EpochSink& sink) {
  return spec.evaluation_only() ? trainer.evaluate_only(data.eval(), sink)
                                : trainer.run(data.train(), &data.eval(), sink);
}

train::TrainerOptions sweep_trainer_options(const SweepOptions& options, Replicas* replicas) {
  train::TrainerOptions trainer_options;
  trainer_options.checkpoint_root = options.checkpoint_root;
  trainer_options.keep_all_checkpoints = options.keep_checkpoints;
  trainer_options.replicas = replicas ? &replicas->group() : nullptr;
  return trainer_options;
}

std::unique_ptr<Replicas> join_sweep_group(const dist::World& world, const std::vector<config::RunSpec>& runs,
                                           const SweepOptions& options) {
  if (options.processes > 0 && options.processes != world.size) {
    throw std::invalid_argument(fmt::format("--nproc {}: this process is rank {} of {} processes started by a {}; "
                                            "drop --nproc, or make it {}",
                                            options.processes, world.rank, world.size, world.source, world.size));
  }
  check_batches_split(runs, world.size);
  torch::Device device = torch::kCPU;
  if (!runs.empty()) device = train::resolve_device(place_replica(runs.front(), world).train.device);
  return std::make_unique<Replicas>(world, device, options.collective_timeout);
}

void check_group_device(Replicas& replicas, torch::Device device) {
  if (device.type() != replicas.group().device().type()) {
    throw std::invalid_argument(fmt::format(
        "train.device: the runs of one data-parallel sweep must all train on {} (the group's {} collectives), "
        "found one on {}; run them in separate invocations",
        replicas.group().device().str(), dist::backend_name(replicas.group().backend()), device.str()));
  }
}

RunNote::RunNote(Replicas* replicas, const std::string& run_key) : replicas_(replicas) {
  if (replicas_) replicas_->rendezvous().set(replica_note::run, run_key);
}

RunNote::~RunNote() {
  if (!replicas_) return;
  try {
    replicas_->rendezvous().set(replica_note::run, "");
  } catch (const std::exception&) {
    // The store's host is gone (the launcher died): nobody is left to read the note.
  }
}

int follow_sweep(const std::vector<config::RunSpec>& runs, const SweepOptions& options, Replicas& replicas) {
  install_stop_handlers();
  const dist::World& world = replicas.world();
  try {
    int status = 0;
    for (const auto& run : runs) {
      switch (follow_one(options, replicas, run)) {
        case RunEnd::finished:
        case RunEnd::adopted:
        case RunEnd::skipped: break;
        case RunEnd::failed: status = 1; break;
        case RunEnd::stopped:
        case RunEnd::broken:
          replicas.note_exit(fmt::format("rank {} of {} stopped ({})", world.rank, world.size, stop_name()));
          return kExitStopped;
      }
      if (stop_requested()) return kExitStopped;
    }
    return status;
  } catch (const std::exception& e) {
    const bool collective = dynamic_cast<const dist::CollectiveError*>(&e) != nullptr;
    // Rank 0 or another rank left: when a stop was asked for, that is how a group stops.
    if (collective && stop_requested()) return kExitStopped;
    const std::string what = e.what();
    const std::string why = fmt::format("rank {} of {} failed: {}", world.rank, world.size, what.substr(0, what.find('\n')));
    // A failed collective is an effect, not a cause: the rank that caused it (or the launcher) says why.
    if (!collective) replicas.note_exit(why);
    throw std::runtime_error(why);
  }
}

}  // namespace ablate::runner
