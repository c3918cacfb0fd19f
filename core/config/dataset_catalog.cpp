#include "core/config/dataset_catalog.h"

#include <fmt/format.h>

#include <cstdlib>
#include <stdexcept>

#include "core/config/image_folder_classes.h"

namespace ablate::config {

namespace {
void synthetic_facts(const DataSpec& data, DatasetFacts& facts) {
  facts.channels = data.synthetic_channels;
  facts.image_size = data.synthetic_image_size;
  facts.classes = data.synthetic_classes;
  facts.train_size = data.synthetic_train_size;
  facts.test_size = data.synthetic_test_size;
}

// An ImageFolder tree: its classes from its folders (image_folder_classes.h), its crop size from the data
// settings.
void image_folder_facts(const DataSpec& data, DatasetFacts& facts) {
  facts.classes = class_count(data);
  if (data.image_size > 0) facts.image_size = data.image_size;
}
}  // namespace

const std::vector<DatasetFacts>& dataset_catalog() {
  static const std::vector<DatasetFacts> catalog = {
      {"fashion-mnist", 1, 28, 10, 0, 60000, 10000, "/usr/share/datasets/fashion-mnist"},
      {"mnist", 1, 28, 10, 0, 60000, 10000, "data/mnist"},
      {"cifar10", 3, 32, 10, 0, 50000, 10000, "data/cifar10"},
      {"cifar100", 3, 32, 100, 20, 50000, 10000, "data/cifar100"},
      {"imagenet", 3, 224, 1000, 0, 1281167, 50000, "data/imagenet", image_folder_facts},
      {"synthetic", 0, 0, 0, 0, 0, 0, "", synthetic_facts},
  };
  return catalog;
}

std::vector<std::string> dataset_names() {
  std::vector<std::string> names;
  for (const auto& d : dataset_catalog()) names.push_back(d.name);
  return names;
}

const DatasetFacts* find_dataset(const std::string& name) {
  for (const auto& d : dataset_catalog()) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

namespace {
const DatasetFacts& known(const std::string& name) {
  const DatasetFacts* facts = find_dataset(name);
  if (!facts) {
    std::string names;
    for (const auto& n : dataset_names()) names += (names.empty() ? "" : ", ") + n;
    throw std::invalid_argument(fmt::format("unknown dataset \"{}\": expected one of {}", name, names));
  }
  return *facts;
}
}  // namespace

DatasetFacts facts_for(const DataSpec& data) {
  DatasetFacts facts = known(data.dataset);
  if (facts.from_data) facts.from_data(data, facts);
  if (data.label_kind == "coarse" && facts.coarse_classes > 0) facts.classes = facts.coarse_classes;
  return facts;
}

std::string resolve_root(const std::string& dataset, const std::string& configured) {
  const DatasetFacts& facts = known(dataset);
  if (facts.name == "synthetic") return "";
  if (!configured.empty()) return configured;
  if (const char* env = std::getenv("ABLATE_DATA"); env && *env) return std::string(env) + "/" + dataset;
  return facts.default_root;
}

}  // namespace ablate::config
