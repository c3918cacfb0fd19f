#include "runner/slurm/job_folder.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace ablate::runner::slurm {

namespace fs = std::filesystem;

namespace {

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The deepest folder that holds every file of `files` (absolute, normalised).
fs::path common_parent(const std::vector<fs::path>& files) {
  fs::path common = files.front().parent_path();
  for (const fs::path& file : files) {
    while (!common.empty() && file.lexically_relative(common).native().rfind("..", 0) == 0) {
      common = common.parent_path();
    }
  }
  return common;
}

// Where the source files of a frozen job live: source_file minus the part below experiment/.
fs::path source_root(const JobSettings& settings) {
  fs::path root = fs::path(settings.source_file);
  const fs::path copy = fs::path(settings.frozen_file).lexically_relative("experiment");
  for (auto it = copy.begin(); it != copy.end(); ++it) root = root.parent_path();
  return root;
}

}  // namespace

fs::path absolute_normal(const fs::path& path) { return fs::absolute(path).lexically_normal(); }

JobFolder::JobFolder(const fs::path& root) : root_(absolute_normal(root)) {
  if (root_.filename().empty()) root_ = root_.parent_path();  // "a/b/" -> "a/b"
}

fs::path JobFolder::shard_db(int64_t task) const { return shards_dir() / fmt::format("shard-{}.db", task); }

bool JobFolder::has_settings() const { return fs::is_regular_file(settings_file()); }

JobSettings JobFolder::load_settings() const {
  if (!has_settings()) {
    throw std::runtime_error(fmt::format("{} is not a job folder of ablate slurm (it has no job.json)", root_.string()));
  }
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(read_text(settings_file()));
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(fmt::format("{}: not valid JSON: {}", settings_file().string(), e.what()));
  }
  return job_settings_from_json(json, settings_file().string());
}

void JobFolder::save_settings(const JobSettings& settings) const {
  write_file(settings_file(), to_json(settings).dump(2) + "\n");
}

fs::path JobFolder::frozen_experiment(const JobSettings& settings) const { return root_ / settings.frozen_file; }

std::vector<int64_t> JobFolder::existing_shards() const {
  static const std::regex shard_name(R"(shard-([0-9]{1,9})\.db)");
  std::vector<int64_t> tasks;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(shards_dir(), ec)) {
    std::smatch m;
    const std::string name = entry.path().filename().string();
    if (std::regex_match(name, m, shard_name)) tasks.push_back(std::stoll(m[1]));
  }
  std::sort(tasks.begin(), tasks.end());
  return tasks;
}

std::vector<Submission> JobFolder::submissions() const {
  std::vector<Submission> list;
  std::ifstream in(submissions_file());
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    Submission s;
    std::getline(fields, s.time, '\t');
    std::getline(fields, s.array_job, '\t');
    std::getline(fields, s.collect_job, '\t');
    std::getline(fields, s.tasks, '\t');
    list.push_back(s);
  }
  return list;
}

void JobFolder::record_submission(const Submission& s) const {
  const bool fresh = !fs::exists(submissions_file());
  std::ofstream out(submissions_file(), std::ios::app | std::ios::binary);
  if (fresh) out << "# time\tarray job\tcollect job\tarray tasks\n";
  out << s.time << '\t' << s.array_job << '\t' << s.collect_job << '\t' << s.tasks << '\n';
  if (!out) throw std::runtime_error("cannot write " + submissions_file().string());
}

bool JobFolder::frozen() const { return !submissions().empty() || !existing_shards().empty(); }

void JobFolder::write_file(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  const fs::path temporary = path.string() + fmt::format(".tmp-{}", ::getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) throw std::runtime_error("cannot write " + temporary.string());
  }
  fs::rename(temporary, path);
}

std::string freeze_experiment(const config::Experiment& experiment, const JobFolder& folder) {
  std::vector<fs::path> files = {absolute_normal(experiment.path)};
  for (const std::string& parent : experiment.extends) files.push_back(absolute_normal(parent));
  const fs::path common = common_parent(files);
  const fs::path copy = folder.experiment_dir() / files.front().lexically_relative(common);

  std::error_code ignored;
  fs::remove_all(folder.experiment_dir(), ignored);
  try {
    for (const fs::path& file : files) {
      JobFolder::write_file(folder.experiment_dir() / file.lexically_relative(common), read_text(file));
    }
    // An absolute `extends:` still names the original: the copy would change when that file does.
    for (const std::string& parent : config::load_experiment(copy.string()).extends) {
      const fs::path inside = absolute_normal(parent).lexically_relative(folder.experiment_dir());
      if (inside.empty() || inside.native().rfind("..", 0) == 0) {
        throw std::runtime_error(fmt::format(
            "{}: its extends chain reaches {} by an absolute path, which a job folder cannot freeze; write that "
            "extends: path relative to the file that has it",
            experiment.path, parent));
      }
    }
  } catch (...) {
    // Leave no half-written folder behind: the next command would take it for someone else's.
    fs::remove_all(folder.experiment_dir(), ignored);
    if (fs::is_empty(folder.root(), ignored)) fs::remove(folder.root(), ignored);
    throw;
  }
  return copy.lexically_relative(folder.root()).string();
}

bool source_matches_frozen(const JobSettings& settings, const JobFolder& folder) {
  const fs::path root = source_root(settings);
  std::error_code ec;
  for (const auto& entry : fs::recursive_directory_iterator(folder.experiment_dir(), ec)) {
    if (!entry.is_regular_file()) continue;
    const fs::path source = root / entry.path().lexically_relative(folder.experiment_dir());
    if (!fs::is_regular_file(source) || read_text(source) != read_text(entry.path())) return false;
  }
  return !ec;
}

}  // namespace ablate::runner::slurm
