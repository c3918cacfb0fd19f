#include "runner/slurm/job_settings.h"

#include <fmt/format.h>

#include <stdexcept>

namespace ablate::runner::slurm {

namespace {

// Bumped when job.json changes meaning; an older ablate refuses a newer folder instead of misreading it.
constexpr int kJobFormat = 1;

std::string join(const std::vector<std::string>& values) {
  std::string text;
  for (const std::string& value : values) text += (text.empty() ? "" : " ") + value;
  return text.empty() ? "none" : text;
}

std::string join(const std::vector<int64_t>& values) {
  std::string text;
  for (int64_t value : values) text += (text.empty() ? "" : ",") + std::to_string(value);
  return text.empty() ? "the experiment's" : text;
}

}  // namespace

nlohmann::json to_json(const JobSettings& s) {
  return nlohmann::json{{"format", kJobFormat},
                        {"experiment", s.experiment},
                        {"source_file", s.source_file},
                        {"frozen_file", s.frozen_file},
                        {"profile", s.profile},
                        {"sets", s.sets},
                        {"only", s.only},
                        {"seeds", s.seeds},
                        {"tasks", s.tasks},
                        {"parallel", s.parallel},
                        {"gpus_per_run", s.gpus_per_run},
                        {"sbatch", s.sbatch},
                        {"retry_failed", s.retry_failed},
                        {"db", s.db},
                        {"reports", s.reports},
                        {"workdir", s.workdir},
                        {"ablate", s.ablate}};
}

JobSettings job_settings_from_json(const nlohmann::json& json, const std::string& file) {
  const auto field = [&](const char* key) -> const nlohmann::json& {
    if (!json.is_object() || !json.contains(key)) {
      throw std::runtime_error(fmt::format("{}: missing \"{}\" (not a job folder written by ablate slurm?)", file, key));
    }
    return json.at(key);
  };
  try {
    if (field("format").get<int>() != kJobFormat) {
      throw std::runtime_error(fmt::format("{}: format {} is not the {} this ablate writes", file,
                                           field("format").dump(), kJobFormat));
    }
    JobSettings s;
    s.experiment = field("experiment").get<std::string>();
    s.source_file = field("source_file").get<std::string>();
    s.frozen_file = field("frozen_file").get<std::string>();
    s.profile = field("profile").get<std::string>();
    s.sets = field("sets").get<std::vector<std::string>>();
    s.only = field("only").get<std::vector<std::string>>();
    s.seeds = field("seeds").get<std::vector<int64_t>>();
    s.tasks = field("tasks").get<int64_t>();
    s.parallel = field("parallel").get<int64_t>();
    s.gpus_per_run = field("gpus_per_run").get<int64_t>();
    s.sbatch = field("sbatch").get<std::vector<std::string>>();
    s.retry_failed = field("retry_failed").get<bool>();
    s.db = field("db").get<std::string>();
    s.reports = field("reports").get<std::string>();
    s.workdir = field("workdir").get<std::string>();
    s.ablate = field("ablate").get<std::string>();
    if (s.tasks < 1) throw std::runtime_error(fmt::format("{}: tasks {} is not a number of array tasks", file, s.tasks));
    return s;
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(fmt::format("{}: {}", file, e.what()));
  }
}

std::string identity_difference(const JobSettings& stored, const JobSettings& asked) {
  if (stored.profile != asked.profile) {
    return fmt::format("--profile \"{}\" there, \"{}\" here", stored.profile, asked.profile);
  }
  if (stored.sets != asked.sets) return fmt::format("--set {} there, {} here", join(stored.sets), join(asked.sets));
  if (stored.only != asked.only) return fmt::format("--only {} there, {} here", join(stored.only), join(asked.only));
  if (stored.seeds != asked.seeds) {
    return fmt::format("--seeds {} there, {} here", join(stored.seeds), join(asked.seeds));
  }
  if (stored.tasks != asked.tasks) return fmt::format("--tasks {} there, {} here", stored.tasks, asked.tasks);
  return "";
}

RunSelection shard_selection(const JobSettings& settings, int64_t task) {
  RunSelection selection;
  selection.set_overrides = settings.sets;
  selection.only = settings.only;
  selection.seeds = settings.seeds;
  selection.shard = Shard{task, settings.tasks};
  return selection;
}

}  // namespace ablate::runner::slurm
