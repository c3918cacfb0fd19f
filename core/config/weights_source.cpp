#include "core/config/weights_source.h"

#include <filesystem>
#include <map>
#include <mutex>
#include <stdexcept>
#include <system_error>
#include <tuple>

#include "core/config/run_spec_json.h"
#include "core/config/sha256.h"

namespace ablate::config {

namespace {

// Every variant of an experiment (and every command that expands it) names the same file: a 100 MB file
// is hashed once per process, and again only when its size or modification time changes.
std::string cached_digest(const std::filesystem::path& path) {
  static std::mutex mutex;
  static std::map<std::string, std::tuple<uintmax_t, std::filesystem::file_time_type, std::string>> digests;
  std::error_code error;
  const uintmax_t size = std::filesystem::file_size(path, error);
  const auto modified = std::filesystem::last_write_time(path, error);
  std::lock_guard<std::mutex> lock(mutex);
  const auto found = digests.find(path.string());
  if (!error && found != digests.end() && std::get<0>(found->second) == size && std::get<1>(found->second) == modified) {
    return std::get<2>(found->second);
  }
  std::string digest = sha256_file_hex(path.string());
  if (!error) digests[path.string()] = {size, modified, digest};
  return digest;
}

}  // namespace

WeightsSource weights_source(const std::string& path) {
  std::error_code error;
  const std::filesystem::path absolute = std::filesystem::absolute(path, error);
  if (error || path.empty()) throw std::runtime_error("cannot resolve weights file path '" + path + "'");
  if (std::filesystem::is_directory(absolute, error)) {
    throw std::runtime_error("weights file '" + path + "' is a directory, not a file");
  }
  if (!std::filesystem::exists(absolute, error)) throw std::runtime_error("weights file '" + path + "' does not exist");
  WeightsSource source;
  source.path = absolute.lexically_normal().string();
  source.sha256 = cached_digest(source.path);
  return source;
}

RunSpec evaluation_spec(RunSpec planned, const WeightsSource& weights) {
  if (weights.empty()) throw std::invalid_argument("evaluation_spec: no weights given");
  planned.evaluated_weights = weights;
  assign_keys(planned);
  return planned;
}

RunSpec evaluated_setting(RunSpec evaluation) {
  evaluation.evaluated_weights = WeightsSource{};
  assign_keys(evaluation);
  return evaluation;
}

}  // namespace ablate::config
