#include "runner/slurm/scheduler.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <stdexcept>

#include "results/subprocess.h"

namespace ablate::runner::slurm {

namespace {

// A program's message as one line: trimmed, inner line breaks shown as " / ".
std::string one_line(const std::string& text) {
  std::string line;
  std::istringstream lines(text);
  std::string part;
  while (std::getline(lines, part)) {
    while (!part.empty() && (part.back() == '\r' || part.back() == ' ')) part.pop_back();
    if (!part.empty()) line += (line.empty() ? "" : " / ") + part;
  }
  return line;
}

}  // namespace

std::string require_sbatch() {
  const std::string sbatch = results::find_on_path("sbatch");
  if (sbatch.empty()) {
    const char* path = std::getenv("PATH");
    throw std::runtime_error(fmt::format(
        "sbatch is not on PATH ({}): --submit needs Slurm's client commands (Debian: slurm-client); --print "
        "writes the job folder and shows its scripts without them",
        path ? path : "unset"));
  }
  return sbatch;
}

std::string submit(const std::string& sbatch, const std::string& script, const std::vector<std::string>& options) {
  std::vector<std::string> command = {sbatch, "--parsable"};
  command.insert(command.end(), options.begin(), options.end());
  command.push_back(script);
  const auto result = results::run_program(command);
  if (!result) throw std::runtime_error(fmt::format("cannot start {}", sbatch));
  if (result->exit_status != 0) {
    throw std::runtime_error(fmt::format("sbatch refused {} (exit status {}): {}", script, result->exit_status,
                                         one_line(result->err + result->out)));
  }
  // --parsable prints "ID" or "ID;CLUSTER".
  std::string id = one_line(result->out);
  id = id.substr(0, id.find(';'));
  if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos) {
    throw std::runtime_error(fmt::format("sbatch {}: expected a job id, got \"{}\"", script, one_line(result->out)));
  }
  return id;
}

std::vector<std::string> still_queued(const std::vector<std::string>& job_ids) {
  // %F is the array's job id for array tasks and the job id otherwise; one line per queued job or task.
  const auto result = results::run_program({"squeue", "--noheader", "--format=%F", "--user=" + std::to_string(::getuid())});
  if (!result) throw std::runtime_error("squeue is not on PATH");
  if (result->exit_status != 0) throw std::runtime_error("squeue failed: " + one_line(result->err));
  std::vector<std::string> queued;
  std::istringstream lines(result->out);
  std::string id;
  while (lines >> id) {
    if (std::find(job_ids.begin(), job_ids.end(), id) != job_ids.end() &&
        std::find(queued.begin(), queued.end(), id) == queued.end()) {
      queued.push_back(id);
    }
  }
  return queued;
}

}  // namespace ablate::runner::slurm
