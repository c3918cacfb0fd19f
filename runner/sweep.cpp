#include "runner/sweep.h"

#include <fmt/format.h>
#include <torch/torch.h>
#include <torch/version.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "core/train/run_data.h"
#include "core/train/trainer.h"
#include "results/provenance.h"
#include "results/run_record.h"
#include "results/store.h"
#include "runner/build_info.h"
#include "runner/folder_lock.h"
#include "runner/progress.h"
#include "runner/replica_launcher.h"
#include "runner/replica_sweep.h"
#include "runner/replicas.h"
#include "runner/run_reuse.h"
#include "runner/stop_signal.h"
#include "runner/store_sink.h"
#include "runner/stored_results.h"

namespace ablate::runner {

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

results::RunRecord make_record(const config::RunSpec& spec, const results::Provenance& provenance) {
  results::RunRecord r = results::run_record(spec);
  r.provenance = provenance;
  return r;
}

std::string device_description(const train::RuntimeSettings& runtime) {
  if (runtime.device.is_cpu()) return fmt::format("cpu ({} threads)", runtime.threads);
  return runtime.device.str();
}

struct SweepState {
  const SweepOptions& options;
  results::Store& store;
  ProgressDisplay& display;
  results::Provenance provenance;
  Replicas* replicas = nullptr;  // data-parallel: this is rank 0 of the group; nullptr: one process
};

// Data-parallel: tells the other ranks whether this run is trained (a no-op for one process).
void announce(SweepState& s, int64_t decision) {
  if (s.replicas) s.replicas->share_decision(decision);
}

// The run a stored status says to skip: finished, or failed (unless --retry-failed).
std::optional<RunEnd> skip_stored(SweepState& s, const config::RunSpec& spec, const std::string& label) {
  const auto existing = s.store.find_run(spec.run_key);
  if (!existing) return std::nullopt;
  if (existing->status == results::RunStatus::Finished) {
    s.display.info(label + ": finished earlier, skipped");
    return RunEnd::skipped;
  }
  if (existing->status == results::RunStatus::Failed && !s.options.retry_failed) {
    s.display.message(fmt::format("{}: failed earlier, skipped (--retry-failed reruns it): {}", label, existing->error));
    return RunEnd::failed;
  }
  return std::nullopt;
}

// The group broke while rank 0 trained the run (a rank died, hung past the timeout, or stopped alone):
// the run is stored killed with the reason, so the next invocation resumes it from its last checkpoint.
RunEnd record_broken_group(SweepState& s, const config::RunSpec& spec, const std::string& label,
                           const std::string& error) {
  // Asked to stop (the launcher forwards the signal to every rank): the group ends as a whole. Otherwise
  // wait a moment for the note of the rank (or the launcher) saying why.
  const bool stopping = stop_requested() || s.replicas->rendezvous().get(replica_note::stop).has_value();
  const std::optional<std::string> note =
      s.replicas->exit_note(stopping ? std::chrono::milliseconds(0) : kBrokenGroupPatience);
  const std::string why =
      note.value_or(stopping ? "" : fmt::format("the other ranks stopped answering and none said why ({})", error));
  s.store.mark_killed(spec.run_key, why);
  s.display.message(fmt::format("{}: stopped{}{}; rerun the same command to resume", label, why.empty() ? "" : ": ", why));
  return stopping ? RunEnd::stopped : RunEnd::broken;
}

// Another process took the run over (or it was marked killed): its work is theirs now, so this process
// writes nothing more for it and goes on with the next run.
RunEnd leave_lost_run(SweepState& s, const std::string& label, const results::LostRunError& e) {
  s.display.message(fmt::format("{}: no longer ours, left to its new holder: {}", label, e.what()));
  return RunEnd::skipped;
}

// The store gets the first line of the failure (a C++ exception from LibTorch carries a stack trace in
// what()); the whole text goes to `log`, whose path the store records for `ablate runs`.
RunEnd record_failure(SweepState& s, const std::string& run_key, const std::filesystem::path& log,
                      const std::string& label, const std::string& what) {
  const std::string message = what.substr(0, what.find('\n'));
  std::string log_path;
  {
    std::error_code ignored;
    std::filesystem::create_directories(log.parent_path(), ignored);
    std::ofstream out(log, std::ios::binary);
    out << results::format_utc(std::chrono::system_clock::now()) << "  " << label << " failed:\n" << what << "\n";
    // Absolute, so `ablate runs` from another folder still finds it. No log (unwritable folder): the
    // message alone is stored.
    if (out.flush()) log_path = std::filesystem::absolute(log, ignored).string();
  }
  try {
    s.store.fail(run_key, message, log_path);
  } catch (const results::LostRunError& e) {
    return leave_lost_run(s, label, e);
  }
  s.display.message(fmt::format("{}: failed: {}{}", label, message,
                                log_path.empty() ? "" : " (full text in " + log_path + ")"));
  return RunEnd::failed;
}

// The run takes a finished twin's results: claimed, then adopted in one transaction. Nothing trains.
RunEnd adopt_twin(SweepState& s, const config::RunSpec& spec, const std::string& label,
                  const results::RunInfo& twin) {
  const results::ClaimResult claim = s.store.claim_run(make_record(spec, s.provenance));
  switch (claim.status) {
    case results::ClaimStatus::Finished:
      s.display.info(label + ": finished earlier, skipped");
      return RunEnd::skipped;
    case results::ClaimStatus::RunningElsewhere:
      s.display.message(fmt::format("{}: running in another process ({}, heartbeat {:.0f}s ago), skipped", label,
                                    claim.holder, claim.heartbeat_age_seconds));
      return RunEnd::skipped;
    case results::ClaimStatus::New:
    case results::ClaimStatus::Resumable:
      break;
  }
  try {
    s.store.adopt(spec.run_key, twin.record.run_key);
  } catch (const results::LostRunError& e) {
    return leave_lost_run(s, label, e);
  }
  s.display.message(fmt::format("{}: adopted from {}, same training key {}: nothing to train", label,
                                describe_twin(twin), spec.training_key));
  return RunEnd::adopted;
}

RunEnd train_one(SweepState& s, const config::RunSpec& planned, int64_t index, int64_t total, bool reuse = true);

// Reuse (runner/run_reuse.h): adopt a finished twin, or train an interrupted twin to its end (from its
// checkpoints, under its own key) and adopt it. nullopt: nothing to reuse, train the run itself.
std::optional<RunEnd> reuse_twin(SweepState& s, const config::RunSpec& spec, const std::string& label,
                                 int64_t index, int64_t total) {
  const ReusePlan plan = plan_reuse(s.store, spec);
  if (plan.kind == ReusePlan::Kind::adopt) {
    announce(s, kSkipRun);
    return adopt_twin(s, spec, label, plan.twin);
  }
  // Data-parallel ranks follow the planned runs one by one, so a group does not switch to another run.
  if (plan.kind != ReusePlan::Kind::resume_twin || s.replicas) return std::nullopt;
  const std::optional<config::RunSpec> twin = as_twin(spec, plan.twin);
  if (!twin) return std::nullopt;
  s.display.message(fmt::format("{}: the same training was interrupted as {} after {} epochs: resuming it, then "
                                "adopting it",
                                label, describe_twin(plan.twin), plan.twin.epochs_done));
  const RunEnd end = train_one(s, *twin, index, total, /*reuse=*/false);
  if (end != RunEnd::finished) return end;
  const std::optional<results::RunInfo> trained = s.store.find_run(twin->run_key);
  if (trained && trained->status == results::RunStatus::Finished) adopt_twin(s, spec, label, *trained);
  return RunEnd::finished;  // trained here, if under the twin's key
}

RunEnd train_one(SweepState& s, const config::RunSpec& planned, int64_t index, int64_t total, bool reuse) {
  const config::RunSpec spec = s.replicas ? place_replica(planned, s.replicas->world()) : planned;
  const std::string label = fmt::format("run {}/{}  {}  seed {}", index, total, spec.variant, spec.seed);
  // --no-reuse: a run adopted earlier is trained here this time.
  if (!s.options.reuse && s.store.drop_adoption(spec.run_key)) {
    s.display.message(label + ": adopted earlier; --no-reuse trains it here");
  }
  // Cheap checks first: a finished sweep is re-checked without reading any data. Reuse comes before the
  // stored status so that a run stored failed here still adopts a twin that finished elsewhere (the plan
  // says so too); it offers nothing to a run finished here.
  if (reuse && s.options.reuse) {
    if (const std::optional<RunEnd> reused = reuse_twin(s, spec, label, index, total)) return *reused;
  }
  if (const std::optional<RunEnd> skipped = skip_stored(s, spec, label)) {
    announce(s, kSkipRun);
    return *skipped;
  }
  announce(s, kTrainRun);

  // Torch settings first: the trainer applies threads/determinism, and the record names the device.
  train::Trainer trainer(spec, sweep_trainer_options(s.options, s.replicas));
  if (s.replicas) check_group_device(*s.replicas, trainer.device());
  train::RunData data(spec, trainer.runtime(), s.replicas ? s.replicas->replica() : data::Replica{});
  results::Provenance provenance = s.provenance;
  provenance.device = device_description(trainer.runtime());
  provenance.precision = trainer.runtime().precision_description();
  if (s.replicas) provenance.device = s.replicas->describe(provenance.device);
  provenance.dataset_digest = data.digest();

  // The checkpoint folder first, then the claim: a run another database's runner is training into the
  // same checkpoint folder is left alone, unclaimed here. An evaluation writes no checkpoint: it takes no
  // folder (the claim alone keeps two evaluations of the same key apart).
  std::string holder;
  const std::unique_ptr<FolderLock> lock =
      spec.evaluation_only() ? nullptr : FolderLock::try_lock(trainer.checkpoint_directory(), holder);
  if (!lock && !spec.evaluation_only()) {
    s.display.message(fmt::format("{}: its checkpoint folder {} is in use by another ablate process ({}), skipped",
                                  label, trainer.checkpoint_directory().string(), holder));
    announce(s, kSkipRun);
    return RunEnd::skipped;
  }
  const results::RunRecord record = make_record(spec, provenance);
  const results::ClaimResult claim = s.store.claim_run(record);
  switch (claim.status) {
    case results::ClaimStatus::Finished:
      s.display.info(label + ": finished earlier, skipped");
      announce(s, kSkipRun);
      return RunEnd::skipped;
    case results::ClaimStatus::RunningElsewhere:
      s.display.message(fmt::format("{}: running in another process ({}, heartbeat {:.0f}s ago), skipped", label,
                                    claim.holder, claim.heartbeat_age_seconds));
      announce(s, kSkipRun);
      return RunEnd::skipped;
    case results::ClaimStatus::New:
    case results::ClaimStatus::Resumable:
      break;
  }
  announce(s, kTrainRun);
  const RunNote note(s.replicas, spec.run_key);
  s.display.begin_run(index, total, spec.variant, spec.seed, record.epochs_planned,
                      claim.status == results::ClaimStatus::Resumable
                          ? fmt::format("resuming, {} epochs stored", claim.last_complete_epoch)
                          : "");

  StoreSink sink(s.store, spec.run_key, s.display);
  try {
    const train::TrainResult result = train_or_evaluate(spec, trainer, data, sink);
    if (result.outcome == train::RunOutcome::stopped) {
      if (!sink.lost_run()) s.store.mark_killed(spec.run_key);
      s.display.message(fmt::format("{}: stopped after {} complete epochs; rerun the same command to resume",
                                    label, result.epochs_completed));
      // The other ranks are still in this run's collectives: a group cannot go on to the next run.
      if (sink.lost_run()) return s.replicas ? RunEnd::broken : RunEnd::skipped;
      return RunEnd::stopped;
    }
    s.store.finish(spec.run_key);
    return RunEnd::finished;
  } catch (const results::LostRunError& e) {
    const RunEnd left = leave_lost_run(s, label, e);
    return s.replicas ? RunEnd::broken : left;
  } catch (const dist::CollectiveError& e) {
    return record_broken_group(s, spec, label, e.what());
  } catch (const std::exception& e) {
    // One run's failure (divergence, out of memory, a bad batch) must not end the sweep.
    const RunEnd failed = record_failure(s, spec.run_key, trainer.checkpoint_directory() / "failure.log", label, e.what());
    // A group goes on only after a failure every rank saw alike (divergence is judged on the summed metrics).
    if (s.replicas && dynamic_cast<const train::DivergedError*>(&e) == nullptr) return RunEnd::broken;
    return failed;
  }
}

void print_plan(const std::vector<config::RunSpec>& runs, const SweepOptions& options) {
  std::optional<results::Store> store;
  std::error_code error;
  if (std::filesystem::exists(options.db, error)) store.emplace(open_stored_results(options.db));
  fmt::print("{} runs of {}{} (dry run: nothing is trained)\n", runs.size(), options.experiment,
             options.profile.empty() ? "" : " --profile " + options.profile);
  int64_t to_train = 0, to_adopt = 0, finished = 0;
  for (size_t i = 0; i < runs.size(); ++i) {
    const auto& r = runs[i];
    std::string status = "new";
    bool done = false;
    ReusePlan reuse;
    if (store) {
      if (auto info = store->find_run(r.run_key)) {
        status = fmt::format("{} ({} epochs stored)", results::to_string(info->status), info->epochs_done);
        if (!info->adopted_from.empty()) status += ", adopted from run " + info->adopted_from;
        // --no-reuse trains an adopted run again.
        done = info->status == results::RunStatus::Finished && (options.reuse || info->adopted_from.empty());
      }
      if (options.reuse) reuse = plan_reuse(*store, r);
    }
    if (reuse.kind != ReusePlan::Kind::none) status += "; " + describe_plan(reuse);
    if (done) {
      ++finished;
    } else if (reuse.kind == ReusePlan::Kind::adopt) {
      ++to_adopt;
    } else {
      ++to_train;
    }
    fmt::print("{:>3}. {:<28} seed {:<3} {:<16} {} epochs  {}\n", i + 1, r.variant, r.seed, r.run_key,
               r.train.epochs, status);
  }
  fmt::print("{} to train, {} to adopt, {} finished{}\n", to_train, to_adopt, finished,
             options.reuse ? "" : " (--no-reuse: nothing is adopted)");
}

// Where the runs go, checked before anything trains: an empty path would silently mean "the current
// folder" (checkpoints) or "a temporary database" (SQLite's reading of ""), a file where a folder is
// expected would fail every run one by one.
void check_paths(const SweepOptions& options) {
  if (options.db.empty()) throw std::invalid_argument("--db: the results database path is empty");
  if (options.checkpoint_root.empty()) {
    throw std::invalid_argument("--checkpoints: the checkpoint folder path is empty (default results/checkpoints)");
  }
  std::error_code error;
  if (std::filesystem::exists(options.checkpoint_root, error) &&
      !std::filesystem::is_directory(options.checkpoint_root, error)) {
    throw std::invalid_argument("--checkpoints: '" + options.checkpoint_root + "' is a file, expected a folder");
  }
}

}  // namespace

int run_sweep(const SweepOptions& options) {
  check_paths(options);
  const std::string path = config::find_experiment(options.experiment, options.experiments_dir);
  const config::Experiment experiment = config::load_experiment(path);
  const std::vector<config::RunSpec> runs = select_runs(experiment, options.profile, options.selection);
  if (options.dry_run) {
    print_plan(runs, options);
    return 0;
  }
  return run_planned(options, experiment, path, runs);
}

int run_planned(const SweepOptions& options, const config::Experiment& experiment, const std::string& path,
                const std::vector<config::RunSpec>& runs) {
  check_paths(options);  // again for callers other than run_sweep (which checks before planning)
  // What this machine cannot run (bf16 without a GPU that has it, a missing cuda:N) stops the sweep
  // before its first run trains, not halfway through.
  for (const auto& run : runs) train::check_runnable(run.train);

  // Data-parallel: a worker of a torchrun, srun or --nproc launch joins its group; `--nproc N` alone
  // starts the N workers.
  const std::optional<dist::World> world = dist::detect_world();
  if (!(world && world->distributed()) && options.processes > 1) {
    check_batches_split(runs, options.processes);
    return launch_replicas({options.processes, options.arguments, options.collective_timeout, options.db});
  }
  std::unique_ptr<Replicas> replicas;
  if (world && world->distributed()) {
    replicas = join_sweep_group(*world, runs, options);
    if (!replicas->writer()) return follow_sweep(runs, options, *replicas);
  }

  install_stop_handlers();
  results::Store store = results::Store::open(options.db);
  store.register_experiment(experiment.name, experiment.title, path, read_file(path));
  ProgressDisplay display(ProgressDisplay::detect(options.quiet));
  SweepState state{options, store, display,
                   results::detect_provenance(options.arguments, build_git_state(), ABLATE_SOURCE_DIR)};
  state.provenance.torch_version = TORCH_VERSION;
  state.replicas = replicas.get();

  int64_t finished = 0, adopted = 0, skipped = 0, failed = 0;
  for (size_t i = 0; i < runs.size(); ++i) {
    switch (train_one(state, runs[i], static_cast<int64_t>(i) + 1, static_cast<int64_t>(runs.size()))) {
      case RunEnd::finished: ++finished; break;
      case RunEnd::adopted: ++adopted; break;
      case RunEnd::skipped: ++skipped; break;
      case RunEnd::failed: ++failed; break;
      case RunEnd::stopped: return kExitStopped;
      case RunEnd::broken: return 1;
    }
    if (stop_requested()) return kExitStopped;
  }
  const bool evaluations =
      std::all_of(runs.begin(), runs.end(), [](const config::RunSpec& r) { return r.evaluation_only(); });
  display.message(fmt::format("{}: {} runs {}, {}{} skipped, {} failed (results in {})", experiment.name, finished,
                              evaluations ? "evaluated" : "trained",
                              adopted > 0 ? fmt::format("{} adopted, ", adopted) : "", skipped, failed, options.db));
  return failed > 0 ? 1 : 0;
}

}  // namespace ablate::runner
