#pragma once
// A job folder of `ablate slurm`, on storage every node sees. Its layout:
//   job.json               the JobSettings (job_settings.h)
//   experiment/...         the frozen experiment file and the files it extends, in their relative layout
//   array.sbatch           the job array: task i trains shard i/N
//   collect.sbatch         the dependent job: `ablate slurm collect` (merge + report)
//   shards/shard-I.db      task I's own results database (one writer per SQLite file, see README)
//   checkpoints/RUN_KEY/   the runs' checkpoints, so a resubmitted task resumes them
//   logs/                  the jobs' output, one file per array task and submission
//   submissions.tsv        one line per --submit: time, array job id, collect job id, array tasks
// Once a submission is recorded or a shard database exists, the folder is frozen: its experiment copy
// and the identity settings stay as they are, so resubmitting finishes the same runs.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/config/experiment.h"
#include "runner/slurm/job_settings.h"

namespace ablate::runner::slurm {

// `path` made absolute against the working directory and normalised: the jobs run elsewhere.
std::filesystem::path absolute_normal(const std::filesystem::path& path);

struct Submission {
  std::string time;         // UTC, ISO 8601
  std::string array_job;    // Slurm job id of the array
  std::string collect_job;  // Slurm job id of the collect job
  std::string tasks;        // the array's task ids, "0-3,5"
};

class JobFolder {
 public:
  // `root` is made absolute (the jobs run with their own working directory).
  explicit JobFolder(const std::filesystem::path& root);

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path settings_file() const { return root_ / "job.json"; }
  std::filesystem::path experiment_dir() const { return root_ / "experiment"; }
  std::filesystem::path array_script() const { return root_ / "array.sbatch"; }
  std::filesystem::path collect_script() const { return root_ / "collect.sbatch"; }
  std::filesystem::path shards_dir() const { return root_ / "shards"; }
  std::filesystem::path shard_db(int64_t task) const;
  std::filesystem::path checkpoints_dir() const { return root_ / "checkpoints"; }
  std::filesystem::path logs_dir() const { return root_ / "logs"; }
  std::filesystem::path submissions_file() const { return root_ / "submissions.tsv"; }

  bool has_settings() const;
  // Throws std::runtime_error naming the folder when it holds no job.json (not a job folder).
  JobSettings load_settings() const;
  void save_settings(const JobSettings& settings) const;
  // The frozen experiment file, absolute.
  std::filesystem::path frozen_experiment(const JobSettings& settings) const;

  // Task ids of the shard databases present, ascending.
  std::vector<int64_t> existing_shards() const;
  std::vector<Submission> submissions() const;
  void record_submission(const Submission& submission) const;
  bool frozen() const;  // see the comment at the top

  // Writes `text` to `path` through a temporary file and a rename, so a job never reads half a script.
  static void write_file(const std::filesystem::path& path, const std::string& text);

 private:
  std::filesystem::path root_;
};

// Copies `experiment`'s file and every file it extends into `folder.experiment_dir()`, keeping their
// layout relative to their common parent so that `extends:` paths resolve to the copies; returns the
// copy of the experiment file relative to the folder. Throws std::runtime_error when a copy would still
// extend a file outside the folder (an absolute `extends:`), since the job would not be frozen then.
std::string freeze_experiment(const config::Experiment& experiment, const JobFolder& folder);

// Whether the experiment file and what it extends still read as they did when frozen into `folder`.
bool source_matches_frozen(const JobSettings& settings, const JobFolder& folder);

}  // namespace ablate::runner::slurm
