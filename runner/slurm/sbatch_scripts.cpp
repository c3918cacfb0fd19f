#include "runner/slurm/sbatch_scripts.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "results/provenance.h"
#include "results/report.h"

namespace ablate::runner::slurm {

namespace {

// An #SBATCH value as sbatch's own directive parser reads it: it knows double quotes and backslash
// escapes only (no single quotes), and an unescaped '#' starts a comment even inside quotes.
std::string directive_quote(const std::string& value) {
  std::string escaped;
  bool needs_quotes = false;
  for (const char c : value) {
    if (c == '\\' || c == '"' || c == '#') escaped += '\\';
    needs_quotes |= c == ' ' || c == '\t';
    escaped += c;
  }
  return needs_quotes ? '"' + escaped + '"' : escaped;
}

// Slurm expands %-patterns (%A, %a, %j) in --output; a '%' of the folder's own name must stay one.
std::string output_pattern(const std::filesystem::path& folder, const std::string& file_pattern) {
  std::string path;
  for (const char c : folder.string()) path += c == '%' ? std::string("%%") : std::string(1, c);
  return path + "/" + file_pattern;
}

std::string job_name(const JobSettings& settings) {
  return "ablate-" + results::output_stem(std::filesystem::path(settings.frozen_file).stem().string(), settings.profile);
}

// #SBATCH lines shared by both scripts; the user's --sbatch options come last, so they win over ours.
std::string directives(const JobSettings& settings, const std::string& name, const std::string& output,
                       const std::vector<std::string>& own, int64_t tasks = 1) {
  std::string text;
  text += "#SBATCH --job-name=" + directive_quote(name) + "\n";
  text += "#SBATCH --output=" + directive_quote(output) + "\n";
  text += "#SBATCH --chdir=" + directive_quote(settings.workdir) + "\n";
  text += fmt::format("#SBATCH --ntasks={}\n", tasks);
  for (const std::string& line : own) text += "#SBATCH " + line + "\n";
  for (const std::string& option : settings.sbatch) text += "#SBATCH " + directive_quote(option) + "\n";
  return text;
}

}  // namespace

void check_gpus_per_run(int64_t gpus) {
  if (gpus < 0) {
    throw std::invalid_argument(fmt::format(
        "--gpus-per-run {}: expected 0 (CPU), 1 (one GPU per run) or more (each run data-parallel over that many "
        "GPUs of one node)",
        gpus));
  }
}

std::string array_ranges(const std::vector<int64_t>& tasks) {
  std::string text;
  for (size_t i = 0; i < tasks.size();) {
    size_t j = i;
    while (j + 1 < tasks.size() && tasks[j + 1] == tasks[j] + 1) ++j;
    text += (text.empty() ? "" : ",") + std::to_string(tasks[i]);
    if (j > i) text += "-" + std::to_string(tasks[j]);
    i = j + 1;
  }
  return text;
}

std::string array_script(const JobFolder& folder, const JobSettings& settings, const std::vector<int64_t>& tasks) {
  check_gpus_per_run(settings.gpus_per_run);
  std::vector<std::string> own;
  std::string array = array_ranges(tasks);
  if (settings.parallel > 0) array += "%" + std::to_string(settings.parallel);
  own.push_back("--array=" + array);
  own.push_back(fmt::format("--signal=B:TERM@{}", kEarlySignalSeconds));
  const bool data_parallel = settings.gpus_per_run > 1;
  if (data_parallel) own.push_back("--nodes=1");
  if (settings.gpus_per_run >= 1) own.push_back(fmt::format("--gres=gpu:{}", settings.gpus_per_run));

  std::vector<std::string> run = {settings.ablate, "run", folder.frozen_experiment(settings).string()};
  if (!settings.profile.empty()) run.insert(run.end(), {"--profile", settings.profile});
  std::string command = results::shell_quote(run);
  // One srun task per GPU; srun ends the other ranks when one dies (the group would fail anyway). Slurm
  // 22.05 stopped passing the batch's --cpus-per-task on to srun, so it is passed on here.
  if (data_parallel) {
    command = "srun --kill-on-bad-exit=1 ${SLURM_CPUS_PER_TASK:+--cpus-per-task=$SLURM_CPUS_PER_TASK} \\\n  " + command;
  }
  // CPUs Slurm gave the task, as the thread count; before the user's --set, which wins.
  command += " \\\n  ${SLURM_CPUS_PER_TASK:+--set train.threads=$SLURM_CPUS_PER_TASK}";
  std::vector<std::string> rest;
  for (const std::string& set : settings.sets) rest.insert(rest.end(), {"--set", set});
  for (const std::string& only : settings.only) rest.insert(rest.end(), {"--only", only});
  if (!settings.seeds.empty()) {
    std::string seeds;
    for (int64_t seed : settings.seeds) seeds += (seeds.empty() ? "" : ",") + std::to_string(seed);
    rest.insert(rest.end(), {"--seeds", seeds});
  }
  if (settings.retry_failed) rest.push_back("--retry-failed");
  if (!rest.empty()) command += " \\\n  " + results::shell_quote(rest);
  command += fmt::format(" \\\n  --shard \"$SLURM_ARRAY_TASK_ID/{}\"", settings.tasks);
  command += " \\\n  --db " + results::shell_quote({(folder.shards_dir() / "shard-").string()}) +
             "\"$SLURM_ARRAY_TASK_ID.db\"";
  command += " \\\n  --checkpoints " + results::shell_quote({folder.checkpoints_dir().string()});

  std::string text = "#!/bin/bash\n";
  text += fmt::format(
      "# Written by `ablate slurm` for the job folder {}.\n"
      "# Array task i trains shard i/{} of the runs into its own database, shards/shard-i.db: SQLite over a\n"
      "# network file system is not safe for concurrent writers, so no two tasks share a file.\n",
      folder.root().string(), settings.tasks);
  text += directives(settings, job_name(settings), output_pattern(folder.logs_dir(), "array-%A_%a.out"), own,
                     std::max<int64_t>(1, settings.gpus_per_run));
  text +=
      "set -eu\n"
      ": \"${SLURM_ARRAY_TASK_ID:?is not set: submit this script with sbatch (it is one task of a job array)}\"\n";
  text += data_parallel
              ? fmt::format("# Each run data-parallel over {} GPUs: srun starts one rank per GPU (rank r on\n"
                            "# cuda:SLURM_LOCALID); exec: srun becomes the batch shell, so the SIGTERM of\n"
                            "# --signal=B:TERM and of scancel reaches it and it forwards it to every rank, which\n"
                            "# stop at a step boundary with a clean checkpoint; resubmitting resumes from there.\n",
                            settings.gpus_per_run)
              : "# exec: ablate becomes the batch shell, so the SIGTERM of --signal=B:TERM and of scancel reaches it and\n"
                "# it stops at a step boundary with a clean checkpoint; resubmitting resumes from there.\n";
  text += "exec " + command + "\n";
  return text;
}

std::string collect_script(const JobFolder& folder, const JobSettings& settings) {
  std::string text = "#!/bin/bash\n";
  text += fmt::format(
      "# Written by `ablate slurm` for the job folder {}.\n"
      "# Runs after the array however its tasks end (afterany): merges every shard database into {}\n"
      "# and writes the report under {}. Idempotent: running it again changes nothing.\n",
      folder.root().string(), settings.db, settings.reports);
  text += directives(settings, job_name(settings) + "-collect", output_pattern(folder.logs_dir(), "collect-%j.out"), {});
  text += "set -eu\n";
  text += "exec " + results::shell_quote({settings.ablate, "slurm", "collect", folder.root().string()}) + "\n";
  return text;
}

}  // namespace ablate::runner::slurm
