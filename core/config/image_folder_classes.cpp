#include "core/config/image_folder_classes.h"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include <fmt/format.h>

#include "core/config/dataset_catalog.h"

namespace ablate::config {

namespace fs = std::filesystem;

std::optional<std::vector<std::string>> image_folder_classes(const std::string& split_dir) {
  std::error_code ec;
  if (!fs::is_directory(split_dir, ec)) return std::nullopt;
  fs::directory_iterator it(split_dir, ec);
  if (ec) return std::nullopt;
  std::vector<std::string> classes;
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) return std::nullopt;
    std::error_code type_ec;
    if (it->is_directory(type_ec)) classes.push_back(it->path().filename().string());  // follows links
  }
  std::sort(classes.begin(), classes.end());
  return classes;
}

int64_t class_count(const DataSpec& data) {
  const fs::path train = fs::path(resolve_root(data.dataset, data.root)) / "train";
  const auto folders = image_folder_classes(train.string());
  if (!folders) return data.classes > 0 ? data.classes : kImageNetClasses;
  const auto present = static_cast<int64_t>(folders->size());
  if (present == 0) {
    throw std::invalid_argument(fmt::format("data.root: {} has no class folders (expected {}/<class>/<image>.JPEG)",
                                            train.string(),
                                            train.string()));
  }
  if (data.classes > present) {
    throw std::invalid_argument(fmt::format("data.classes: expected at most the {} class folders of {}, found {}",
                                            present, train.string(), data.classes));
  }
  return data.classes > 0 ? data.classes : present;
}

}  // namespace ablate::config
