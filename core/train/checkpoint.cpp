#include "core/train/checkpoint.h"

#include <algorithm>
#include <fstream>
#include <limits>
#include <mutex>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <utility>

#include <ATen/Context.h>
#include <fmt/format.h>
#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include "core/config/sha256.h"
#include "core/train/atomic_file.h"

namespace ablate::train {

namespace {

constexpr int64_t kFormatVersion = 1;

// Archive keys become attribute names of a TorchScript module: plain identifiers only.
std::string history_key(const std::string& metric) { return "history_" + metric; }

torch::Tensor generator_state(torch::Device device) {
  at::Generator generator = at::globalContext().defaultGenerator(device);
  std::lock_guard<std::mutex> lock(generator.mutex());
  return generator.get_state();
}

void set_generator_state(torch::Device device, const torch::Tensor& state) {
  at::Generator generator = at::globalContext().defaultGenerator(device);
  std::lock_guard<std::mutex> lock(generator.mutex());
  generator.set_state(state.to(torch::kCPU));
}

std::string join(const std::vector<std::string>& names) {
  std::string joined;
  for (const auto& name : names) joined += (joined.empty() ? "" : ",") + name;
  return joined;
}

// Throws when the file's SHA-256 differs from the one recorded beside it when it was written. Returns
// false when there is no checksum to compare with (a checkpoint of an older ablate).
bool verify_checksum(const std::filesystem::path& path, const std::filesystem::path& checksum_path) {
  std::ifstream in(checksum_path);
  std::string recorded;
  if (!(in >> recorded)) return false;
  const std::string actual = config::sha256_file_hex(path.string());
  if (actual != recorded) {
    throw std::runtime_error(fmt::format("its SHA-256 is {}, but {} was recorded when it was written: the file "
                                         "changed on disk",
                                         actual.substr(0, 16), recorded.substr(0, 16)));
  }
  return true;
}

// An exception's message without what follows its first line (c10::Error appends a C++ backtrace).
std::string first_line(const std::exception& error) {
  const std::string reason = error.what();
  return reason.substr(0, reason.find('\n'));
}

// A checkpoint of this format, written for this run; throws saying which it is not.
void check_header(torch::serialize::InputArchive& archive, const std::string& run_key) {
  c10::IValue value;
  archive.read("format_version", value);
  if (value.toInt() != kFormatVersion) {
    throw std::runtime_error(fmt::format("format version {}, expected {}", value.toInt(), kFormatVersion));
  }
  archive.read("run_key", value);
  if (value.toStringRef() != run_key) {
    throw std::runtime_error(fmt::format("it belongs to run '{}', not '{}'", value.toStringRef(), run_key));
  }
}

std::vector<std::string> split(const std::string& joined) {
  std::vector<std::string> names;
  std::stringstream stream(joined);
  for (std::string name; std::getline(stream, name, ',');) names.push_back(name);
  return names;
}

}  // namespace

CheckpointStore::CheckpointStore(std::filesystem::path run_directory, std::string run_key)
    : directory_(std::move(run_directory)), run_key_(std::move(run_key)) {}

std::filesystem::path CheckpointStore::path_for(int64_t epochs_completed) const {
  return directory_ / fmt::format("epoch-{}.pt", epochs_completed);
}

std::filesystem::path CheckpointStore::checksum_path_for(int64_t epochs_completed) const {
  return directory_ / fmt::format("epoch-{}.pt.sha256", epochs_completed);
}

std::vector<int64_t> CheckpointStore::epochs_on_disk() const {
  std::vector<int64_t> epochs;
  std::error_code error;
  if (!std::filesystem::is_directory(directory_, error)) return epochs;
  static const std::regex name_pattern("epoch-([0-9]+)\\.pt");
  for (const auto& entry : std::filesystem::directory_iterator(directory_, error)) {
    std::smatch match;
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file(error) && std::regex_match(name, match, name_pattern)) {
      epochs.push_back(std::stoll(match[1].str()));
    }
  }
  std::sort(epochs.begin(), epochs.end());
  return epochs;
}

void CheckpointStore::save(const TrainingProgress& progress, const torch::nn::Module& model,
                           const torch::optim::Optimizer& optimizer, torch::Device device) const {
  torch::serialize::OutputArchive archive;
  archive.write("format_version", c10::IValue(kFormatVersion));
  archive.write("run_key", c10::IValue(run_key_));
  archive.write("epochs_completed", c10::IValue(progress.epochs_completed));
  archive.write("global_step", c10::IValue(progress.global_step));

  torch::serialize::OutputArchive model_archive;
  model.save(model_archive);
  archive.write("model", model_archive);
  torch::serialize::OutputArchive optimizer_archive;
  optimizer.save(optimizer_archive);
  archive.write("optimizer", optimizer_archive);

  archive.write("rng_cpu", generator_state(torch::kCPU));
  if (device.is_cuda()) archive.write("rng_cuda", generator_state(device));

  // History as one double column per metric, so values round-trip bit for bit.
  std::vector<std::string> names;
  if (!progress.history.empty()) {
    for (const auto& item : progress.history.front()) names.push_back(item.first);
  }
  archive.write("history_names", c10::IValue(join(names)));
  for (const auto& name : names) {
    std::vector<double> column;
    for (const auto& epoch : progress.history) {
      const auto found = epoch.find(name);
      column.push_back(found == epoch.end() ? std::numeric_limits<double>::quiet_NaN() : found->second);
    }
    archive.write(history_key(name), torch::tensor(column, torch::kDouble));
  }

  const std::filesystem::path path = path_for(progress.epochs_completed);
  write_file_atomically(path, [&](const std::string& temp_path) {
    archive.save_to(temp_path);
    // The checksum goes in place before the checkpoint does: a crash in between leaves the previous
    // checkpoint as the newest one, never a checkpoint without its checksum.
    const std::string line = config::sha256_file_hex(temp_path) + "  " + path.filename().string() + "\n";
    write_file_atomically(checksum_path_for(progress.epochs_completed), [&](const std::string& checksum_temp) {
      std::ofstream out(checksum_temp, std::ios::binary);
      out << line;
      out.close();
      if (!out) throw std::runtime_error("cannot write " + checksum_temp);
    });
  });
}

std::optional<TrainingProgress> CheckpointStore::load_latest(
    torch::nn::Module& model, torch::optim::Optimizer& optimizer, torch::Device device,
    const std::function<void(const std::string&)>& warn) const {
  std::vector<int64_t> epochs = epochs_on_disk();
  for (auto it = epochs.rbegin(); it != epochs.rend(); ++it) {
    const std::filesystem::path path = path_for(*it);
    try {
      // Check and parse everything first: a changed, truncated or corrupt file fails here, before
      // anything is changed.
      const bool verified = verify_checksum(path, checksum_path_for(*it));
      torch::serialize::InputArchive archive;
      archive.load_from(path.string(), device);
      check_header(archive, run_key_);
      c10::IValue value;
      TrainingProgress progress;
      archive.read("epochs_completed", value);
      progress.epochs_completed = value.toInt();
      if (progress.epochs_completed != *it) {
        throw std::runtime_error(fmt::format("it records {} completed epochs", progress.epochs_completed));
      }
      archive.read("global_step", value);
      progress.global_step = value.toInt();
      archive.read("history_names", value);
      const std::vector<std::string> names = split(value.toStringRef());
      if (names.empty() && progress.epochs_completed > 0) {
        // The store replays this history when it lacks it; a checkpoint that cannot is not resumed from.
        throw std::runtime_error("it has no metrics history");
      }
      progress.history.assign(static_cast<size_t>(progress.epochs_completed), EpochMetrics{});
      for (const auto& name : names) {
        torch::Tensor column;
        archive.read(history_key(name), column);
        column = column.to(torch::kCPU).contiguous();
        if (column.numel() != progress.epochs_completed) {
          throw std::runtime_error(fmt::format("history of {} has {} values", name, column.numel()));
        }
        for (int64_t e = 0; e < column.numel(); ++e) progress.history[e][name] = column[e].item<double>();
      }
      torch::Tensor rng_cpu, rng_cuda;
      archive.read("rng_cpu", rng_cpu);
      const bool has_cuda_rng = archive.try_read("rng_cuda", rng_cuda);
      torch::serialize::InputArchive model_archive, optimizer_archive;
      archive.read("model", model_archive);
      archive.read("optimizer", optimizer_archive);

      model.load(model_archive);
      optimizer.load(optimizer_archive);
      set_generator_state(torch::kCPU, rng_cpu);
      if (device.is_cuda() && has_cuda_rng) set_generator_state(device, rng_cuda);
      if (!verified) {
        warn(fmt::format("checkpoint {} has no checksum file ({}); it was loaded unverified", path.string(),
                         checksum_path_for(*it).filename().string()));
      }
      return progress;
    } catch (const std::exception& error) {
      warn(fmt::format("checkpoint {} is unusable ({}); {}", path.string(), first_line(error),
                       std::next(it) == epochs.rend() ? "starting the run over"
                                                      : "falling back to the previous epoch's checkpoint"));
    }
  }
  return std::nullopt;
}

void CheckpointStore::load_model(int64_t epochs_completed, torch::nn::Module& model) const {
  const std::filesystem::path path = path_for(epochs_completed);
  try {
    // A checkpoint of an older ablate has no checksum to compare with; its header is still checked.
    verify_checksum(path, checksum_path_for(epochs_completed));
    torch::serialize::InputArchive archive;
    archive.load_from(path.string(), torch::kCPU);
    check_header(archive, run_key_);
    torch::serialize::InputArchive model_archive;
    archive.read("model", model_archive);
    model.load(model_archive);
  } catch (const std::exception& error) {
    throw std::runtime_error(fmt::format("checkpoint {} is unusable: {}", path.string(), first_line(error)));
  }
}

void CheckpointStore::prune(size_t keep_newest) const {
  std::vector<int64_t> epochs = epochs_on_disk();
  keep_newest = std::max<size_t>(keep_newest, 1);
  if (epochs.size() <= keep_newest) return;
  for (size_t i = 0; i + keep_newest < epochs.size(); ++i) remove(epochs[i]);
}

void CheckpointStore::remove(int64_t epochs_completed) const {
  std::error_code ignored;
  std::filesystem::remove(path_for(epochs_completed), ignored);
  std::filesystem::remove(checksum_path_for(epochs_completed), ignored);
}

}  // namespace ablate::train
