#include "runner/slurm/status.h"

#include <fmt/format.h>

#include <filesystem>
#include <map>

#include "core/config/experiment.h"
#include "results/store.h"
#include "runner/commands/merge.h"
#include "runner/commands/report.h"
#include "runner/slurm/job_folder.h"
#include "runner/slurm/shard_progress.h"

namespace ablate::runner::slurm {

namespace fs = std::filesystem;

namespace {

constexpr RunState kStates[] = {RunState::finished, RunState::running, RunState::interrupted, RunState::failed,
                                RunState::not_started};

std::string tally(const std::map<RunState, int64_t>& counts, bool all_states) {
  std::string text;
  for (RunState state : kStates) {
    const auto it = counts.find(state);
    const int64_t n = it == counts.end() ? 0 : it->second;
    if (n == 0 && !all_states) continue;
    text += fmt::format("{}{} {}", text.empty() ? "" : ", ", n, to_string(state));
  }
  return text;
}

// How many of the job's runs the user's database holds finished; -1 when it does not exist yet.
int64_t finished_in(const std::string& db, const std::vector<ShardProgress>& shards) {
  if (!fs::exists(db)) return -1;
  results::StoreOptions read_only;
  read_only.read_only = true;
  const results::Store store = results::Store::open(db, read_only);
  int64_t finished = 0;
  for (const ShardProgress& shard : shards) {
    for (const RunProgress& run : shard.runs) {
      const auto info = store.find_run(run.run_key);
      finished += info && info->status == results::RunStatus::Finished;
    }
  }
  return finished;
}

}  // namespace

int print_status(const std::string& job_folder) {
  const JobFolder folder(job_folder);
  const JobSettings settings = folder.load_settings();
  const config::Experiment experiment = config::load_experiment(folder.frozen_experiment(settings).string());
  const std::vector<ShardProgress> shards = read_progress(folder, experiment, settings);

  int64_t runs = 0;
  for (const ShardProgress& shard : shards) runs += static_cast<int64_t>(shard.runs.size());
  fmt::print("{}: {}{}, {} runs in {} array tasks\n", folder.root().string(), experiment.name,
             settings.profile.empty() ? "" : " --profile " + settings.profile, runs, settings.tasks);

  std::map<RunState, int64_t> total;
  for (const ShardProgress& shard : shards) {
    std::map<RunState, int64_t> counts;
    for (const RunProgress& run : shard.runs) ++counts[run.state], ++total[run.state];
    fmt::print("  task {}: {}{}\n", shard.task, tally(counts, false),
               shard.database_exists ? "" : fmt::format(" (no {} yet)", folder.shard_db(shard.task).filename().string()));
    for (const RunProgress& run : shard.runs) {
      if (run.state == RunState::finished || run.state == RunState::not_started) continue;
      fmt::print("    {} seed {} [{}]: {}, {}/{} epochs{}\n", run.variant, run.seed, run.run_key, to_string(run.state),
                 run.epochs_done, run.epochs_planned, run.error.empty() ? "" : ": " + run.error);
    }
  }
  fmt::print("total: {}\n", tally(total, true));

  const std::vector<Submission> submissions = folder.submissions();
  if (submissions.empty()) {
    fmt::print("not submitted yet (ablate slurm {} ... --submit)\n", settings.experiment);
  } else {
    const Submission& last = submissions.back();
    fmt::print("submitted {} time{}; last at {}: array job {} (tasks {}), collect job {}\n", submissions.size(),
               submissions.size() == 1 ? "" : "s", last.time, last.array_job, last.tasks,
               last.collect_job.empty() ? "none" : last.collect_job);
  }
  if (total[RunState::interrupted] + total[RunState::not_started] > 0 && total[RunState::running] == 0) {
    fmt::print("runs left: resubmit the same `ablate slurm ... --submit` command; it skips finished runs and resumes "
               "interrupted ones\n");
  }
  const int64_t merged = finished_in(settings.db, shards);
  if (merged < 0) {
    fmt::print("{} does not exist yet: the collect job (or `ablate slurm collect {}`) creates it\n", settings.db,
               folder.root().string());
  } else {
    fmt::print("{} holds {} of these {} runs finished\n", settings.db, merged, runs);
  }
  return 0;
}

int collect(const std::string& job_folder) {
  const JobFolder folder(job_folder);
  const JobSettings settings = folder.load_settings();
  std::vector<std::string> inputs;
  for (int64_t task : folder.existing_shards()) inputs.push_back(folder.shard_db(task).string());
  if (inputs.empty()) {
    fmt::print("{}: no shard database yet (no array task has started): nothing to collect\n", folder.root().string());
    return 0;
  }
  run_merge(settings.db, inputs);

  ReportArgs report;
  report.name = folder.frozen_experiment(settings).string();
  report.profile = settings.profile;
  // The report must find the runs the tasks trained: the same overrides, seeds included.
  report.sets = selection_overrides(shard_selection(settings, 0));
  report.db = settings.db;
  report.out = settings.reports;
  return run_report(report);
}

}  // namespace ablate::runner::slurm
