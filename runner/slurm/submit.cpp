#include "runner/slurm/submit.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <optional>
#include <stdexcept>

#include "core/config/experiment.h"
#include "results/report.h"
#include "results/store.h"
#include "runner/slurm/job_folder.h"
#include "runner/slurm/sbatch_scripts.h"
#include "runner/slurm/scheduler.h"
#include "runner/slurm/shard_progress.h"

namespace ablate::runner::slurm {

namespace fs = std::filesystem;

namespace {

void check_arguments(const SubmitOptions& o) {
  if (o.tasks_given && o.tasks < 1) {
    throw std::invalid_argument(fmt::format("--tasks {}: expected at least 1 array task", o.tasks));
  }
  if (o.parallel_given && o.parallel < 1) {
    throw std::invalid_argument(fmt::format("--parallel {}: expected at least 1 task running at once", o.parallel));
  }
  check_gpus_per_run(o.gpus_per_run);
}

JobSettings asked_settings(const SubmitOptions& o, const std::string& source) {
  JobSettings s;
  s.profile = o.profile;
  s.sets = o.sets;
  s.only = o.only;
  s.seeds = o.seeds;
  s.tasks = o.tasks;
  s.parallel = o.parallel_given ? o.parallel : 0;
  s.gpus_per_run = o.gpus_per_run;
  s.sbatch = o.sbatch;
  s.retry_failed = o.retry_failed;
  s.experiment = o.experiment;
  s.source_file = absolute_normal(source).string();
  s.db = absolute_normal(o.db).string();
  s.reports = absolute_normal(o.reports).string();
  s.workdir = fs::current_path().string();
  // The jobs run this very executable, whatever PATH says on the compute nodes.
  s.ablate = fs::read_symlink("/proc/self/exe").string();
  return s;
}

// A folder we may write: a job folder already, or new, or empty. Anything else is someone's data.
void check_writable_folder(const JobFolder& folder) {
  std::error_code ec;
  if (folder.has_settings() || !fs::exists(folder.root(), ec)) return;
  if (!fs::is_directory(folder.root(), ec) || !fs::is_empty(folder.root(), ec)) {
    throw std::runtime_error(fmt::format("--job-dir {}: exists and is not a job folder of ablate slurm (no job.json); "
                                         "choose a new or empty folder",
                                         folder.root().string()));
  }
}

// Jobs of an earlier submission still in the queue would write the same shard databases: refused. Returns
// true when squeue confirmed that none is queued, false when it could not be asked.
bool check_nothing_queued(const JobFolder& folder) {
  std::vector<std::string> ids;
  for (const Submission& s : folder.submissions()) ids.insert(ids.end(), {s.array_job, s.collect_job});
  std::vector<std::string> queued;
  try {
    queued = still_queued(ids);
  } catch (const std::runtime_error& e) {
    fmt::print(stderr, "ablate: warning: cannot check whether earlier jobs of {} are still queued: {}\n",
               folder.root().string(), e.what());
    return false;
  }
  if (queued.empty()) return true;
  std::sort(queued.begin(), queued.end());
  std::string list;
  for (const std::string& id : queued) list += (list.empty() ? "" : ",") + id;
  throw std::runtime_error(fmt::format("jobs {} of {} are still in the queue (squeue -j {}); resubmit when they "
                                       "have ended, or scancel them first",
                                       list, folder.root().string(), list));
}

// With no job of the folder left in the queue, a run still marked running was held by a task that is gone
// (SIGKILL at the time limit, a failed node) and would look alive until its heartbeat goes stale. Marked
// killed, it is resumed by this submission instead of being skipped as running elsewhere.
void release_abandoned_runs(const JobFolder& folder) {
  for (int64_t task : folder.existing_shards()) {
    results::Store store = results::Store::open(folder.shard_db(task).string());  // it exists: existing_shards
    results::RunQuery running;
    running.status = results::RunStatus::Running;
    for (const results::RunInfo& run : store.runs(running)) {
      store.mark_killed(run.record.run_key);
      fmt::print("note: {} seed {} was left running by a task that has ended: marked killed, so it resumes\n",
                 run.record.variant, run.record.seed);
    }
  }
}

// Every run of the job (all tasks together).
std::vector<config::RunSpec> job_runs(const config::Experiment& experiment, const JobSettings& settings) {
  JobSettings whole = settings;
  whole.tasks = 1;
  return select_runs(experiment, settings.profile, shard_selection(whole, 0));
}

}  // namespace

int submit_job(const SubmitOptions& o) {
  check_arguments(o);
  const std::string sbatch = o.submit ? require_sbatch() : "";
  const std::string source = config::find_experiment(o.experiment, o.experiments_dir);
  const JobFolder folder(o.job_dir.empty()
                             ? fs::path("results") / "slurm" / results::output_stem(fs::path(source).stem().string(), o.profile)
                             : fs::path(o.job_dir));
  check_writable_folder(folder);
  JobSettings settings = asked_settings(o, source);

  // A folder that holds work keeps its frozen experiment and the settings that cut it into tasks.
  const bool frozen = folder.has_settings() && folder.frozen();
  std::optional<JobSettings> stored;
  bool queue_clear = false;
  if (frozen) {
    stored = folder.load_settings();
    queue_clear = o.submit && check_nothing_queued(folder);
    settings.source_file = stored->source_file;
    settings.frozen_file = stored->frozen_file;
  }
  const config::Experiment experiment =
      config::load_experiment(frozen ? folder.frozen_experiment(settings).string() : source);
  const std::vector<config::RunSpec> all_runs = job_runs(experiment, settings);
  const auto runs = static_cast<int64_t>(all_runs.size());
  // Each run's batch is split over its GPUs: refused here rather than in every array task.
  if (settings.gpus_per_run > 1) check_batches_split(all_runs, settings.gpus_per_run);
  if (!o.tasks_given) settings.tasks = runs;
  if (settings.tasks > runs) {
    throw std::invalid_argument(fmt::format("--tasks {}: {} has only {} run{} with these settings; use at most {} tasks",
                                            settings.tasks, experiment.name, runs, runs == 1 ? "" : "s", runs));
  }
  if (stored) {
    const std::string difference = identity_difference(*stored, settings);
    if (!difference.empty()) {
      throw std::runtime_error(fmt::format("{} holds runs of other settings ({}); resubmit with its settings, or "
                                           "give this job its own --job-dir",
                                           folder.root().string(), difference));
    }
    if (!source_matches_frozen(*stored, folder)) {
      fmt::print("note: {} has changed since it was frozen into {}; this job goes on with its frozen copy (a new "
                 "--job-dir starts a job with the edited file)\n",
                 stored->source_file, folder.root().string());
    }
    if (queue_clear) release_abandoned_runs(folder);
  } else {
    settings.frozen_file = freeze_experiment(experiment, folder);
  }
  folder.save_settings(settings);
  fs::create_directories(folder.logs_dir());
  fs::create_directories(folder.shards_dir());

  std::vector<int64_t> pending;
  int64_t finished = 0, failed = 0;
  for (const ShardProgress& shard : read_progress(folder, experiment, settings)) {
    if (shard.has_work(settings.retry_failed)) pending.push_back(shard.task);
    for (const RunProgress& run : shard.runs) {
      finished += run.state == RunState::finished;
      failed += run.state == RunState::failed;
    }
  }
  if (pending.empty()) {
    fmt::print("{}: all {} runs are done ({} finished, {} failed; --retry-failed reruns failed ones): nothing to "
               "submit. `ablate slurm collect {}` merges them into {}\n",
               folder.root().string(), runs, finished, failed, folder.root().string(), settings.db);
    return 0;
  }
  const std::string array = array_script(folder, settings, pending);
  JobFolder::write_file(folder.array_script(), array);
  JobFolder::write_file(folder.collect_script(), collect_script(folder, settings));

  const std::string tasks_note =
      fmt::format("{} run{} in {} array task{}{}", runs, runs == 1 ? "" : "s", settings.tasks,
                  settings.tasks == 1 ? "" : "s",
                  static_cast<int64_t>(pending.size()) < settings.tasks
                      ? fmt::format("; only task{} {} {} work left", pending.size() == 1 ? "" : "s",
                                    array_ranges(pending), pending.size() == 1 ? "has" : "have")
                      : "");
  if (!o.submit) {
    fmt::print("job folder {}: {}; nothing submitted\n\n", folder.root().string(), tasks_note);
    fmt::print("==> {} <==\n{}\n", folder.array_script().string(), array);
    fmt::print("==> {} <==\n{}\n", folder.collect_script().string(), collect_script(folder, settings));
    fmt::print("--submit runs:\n  sbatch --parsable {}\n  sbatch --parsable --dependency=afterany:ARRAY_JOB_ID {}\n",
               folder.array_script().string(), folder.collect_script().string());
    return 0;
  }

  const std::string array_job = submit(sbatch, folder.array_script().string(), {});
  std::string collect_job;
  try {
    collect_job = submit(sbatch, folder.collect_script().string(), {"--dependency=afterany:" + array_job});
  } catch (const std::runtime_error& e) {
    folder.record_submission({results::format_utc(std::chrono::system_clock::now()), array_job, "", array_ranges(pending)});
    throw std::runtime_error(fmt::format("array job {} was submitted, but its collect job was not ({}); run `ablate "
                                         "slurm collect {}` when the array has ended",
                                         array_job, e.what(), folder.root().string()));
  }
  folder.record_submission(
      {results::format_utc(std::chrono::system_clock::now()), array_job, collect_job, array_ranges(pending)});
  fmt::print("submitted array job {} ({}) and collect job {} (runs after it)\n", array_job, tasks_note, collect_job);
  fmt::print("job folder: {}\n", folder.root().string());
  fmt::print("watch:      ablate slurm status {}   (squeue -j {},{})\n", folder.root().string(), array_job, collect_job);
  return 0;
}

}  // namespace ablate::runner::slurm
