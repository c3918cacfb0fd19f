#include "core/data/registry.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/data/cifar.h"
#include "core/data/file_bytes.h"
#include "core/data/idx.h"
#include "core/data/synthetic.h"

namespace ablate::data {

namespace fs = std::filesystem;

Split Split::select(const std::vector<int64_t>& indices, const std::string& new_name) const {
  const auto index = torch::tensor(indices, torch::dtype(torch::kLong)).to(images.device());
  return Split{new_name, images.index_select(0, index).contiguous(), labels.index_select(0, index)};
}

Split Split::to(const torch::Device& device) const { return Split{name, images.to(device), labels.to(device)}; }

namespace {

template <typename T>
torch::Tensor tensor_from(const std::vector<T>& values, torch::IntArrayRef shape, torch::ScalarType type) {
  return torch::from_blob(const_cast<T*>(values.data()), shape, type).clone();
}

// ---- IDX: mnist, fashion-mnist ----

Split read_idx_split(const std::string& name, const std::string& images_path, const std::string& labels_path,
                     const config::DatasetFacts& facts) {
  const IdxArray images = read_idx(images_path, 3);
  const IdxArray labels = read_idx(labels_path, 1);
  if (images.dims[1] != facts.image_size || images.dims[2] != facts.image_size) {
    throw std::runtime_error(fmt::format("{}: expected {}x{} images for {}, found {}x{}", images_path,
                                         facts.image_size, facts.image_size, facts.name, images.dims[1],
                                         images.dims[2]));
  }
  if (labels.dims[0] != images.dims[0]) {
    throw std::runtime_error(fmt::format("{}: expected {} labels (one per image in {}), found {}", labels_path,
                                         images.dims[0], images_path, labels.dims[0]));
  }
  std::vector<int64_t> label_values(labels.values.begin(), labels.values.end());
  for (size_t i = 0; i < label_values.size(); ++i) {
    if (label_values[i] >= facts.classes) {
      throw std::runtime_error(fmt::format("{}: label {} at index {}, expected 0..{}", labels_path, label_values[i],
                                           i, facts.classes - 1));
    }
  }
  const int64_t n = images.dims[0];
  return Split{name, tensor_from(images.values, {n, 1, images.dims[1], images.dims[2]}, torch::kUInt8),
               tensor_from(label_values, {n}, torch::kLong)};
}

RawDataset load_idx_dataset(const config::DataSpec&, const config::DatasetFacts& facts, const std::string& root) {
  RawDataset raw;
  const auto file = [&](const char* name) {
    raw.files.push_back(find_data_file(root, name));
    return raw.files.back();
  };
  const std::string train_images = file("train-images-idx3-ubyte");
  const std::string train_labels = file("train-labels-idx1-ubyte");
  const std::string test_images = file("t10k-images-idx3-ubyte");
  const std::string test_labels = file("t10k-labels-idx1-ubyte");
  raw.train = read_idx_split("train", train_images, train_labels, facts);
  raw.test = read_idx_split("test", test_images, test_labels, facts);
  return raw;
}

// ---- CIFAR binary: cifar10, cifar100 ----

// The official archives unpack into a folder (cifar-10-batches-bin, cifar-100-binary); accept the root
// itself or that folder inside it.
std::string cifar_dir(const std::string& root, const std::string& archive_folder, const std::string& probe) {
  std::error_code ec;
  if (fs::is_regular_file(fs::path(root) / probe, ec)) return root;
  const fs::path nested = fs::path(root) / archive_folder;
  if (fs::is_regular_file(nested / probe, ec)) return nested.string();
  throw std::runtime_error(fmt::format("{}: no such file (also tried {}); check data.root or $ABLATE_DATA",
                                       (fs::path(root) / probe).string(), (nested / probe).string()));
}

Split to_split(const std::string& name, CifarArray&& array) {
  return Split{name, tensor_from(array.pixels, {array.count, 3, 32, 32}, torch::kUInt8),
               tensor_from(array.labels, {array.count}, torch::kLong)};
}

RawDataset load_cifar10(const config::DataSpec&, const config::DatasetFacts&, const std::string& root) {
  const std::string dir = cifar_dir(root, "cifar-10-batches-bin", "data_batch_1.bin");
  const CifarLayout layout = cifar10_layout();
  RawDataset raw;
  CifarArray train;
  for (int batch = 1; batch <= 5; ++batch) {
    raw.files.push_back((fs::path(dir) / fmt::format("data_batch_{}.bin", batch)).string());
    append(train, read_cifar(raw.files.back(), layout));
  }
  raw.files.push_back((fs::path(dir) / "test_batch.bin").string());
  raw.train = to_split("train", std::move(train));
  raw.test = to_split("test", read_cifar(raw.files.back(), layout));
  return raw;
}

RawDataset load_cifar100(const config::DataSpec& spec, const config::DatasetFacts&, const std::string& root) {
  if (spec.label_kind != "fine" && spec.label_kind != "coarse") {
    throw std::invalid_argument(
        fmt::format("data.label_kind: expected \"fine\" or \"coarse\" for cifar100, found \"{}\"", spec.label_kind));
  }
  const std::string dir = cifar_dir(root, "cifar-100-binary", "train.bin");
  const CifarLayout layout = cifar100_layout(spec.label_kind == "fine");
  RawDataset raw;
  raw.files = {(fs::path(dir) / "train.bin").string(), (fs::path(dir) / "test.bin").string()};
  raw.train = to_split("train", read_cifar(raw.files[0], layout));
  raw.test = to_split("test", read_cifar(raw.files[1], layout));
  return raw;
}

// ---- synthetic ----

RawDataset load_synthetic(const config::DataSpec& spec, const config::DatasetFacts&, const std::string&) {
  SyntheticOptions options;
  options.train_size = spec.synthetic_train_size;
  options.test_size = spec.synthetic_test_size;
  options.image_size = spec.synthetic_image_size;
  options.channels = spec.synthetic_channels;
  options.classes = spec.synthetic_classes;
  options.noise = spec.synthetic_noise;
  SyntheticData data = make_synthetic(options);
  const int64_t c = options.channels, s = options.image_size;
  RawDataset raw;
  raw.train = Split{"train", tensor_from(data.train.pixels, {data.train.count, c, s, s}, torch::kUInt8),
                    tensor_from(data.train.labels, {data.train.count}, torch::kLong)};
  raw.test = Split{"test", tensor_from(data.test.pixels, {data.test.count, c, s, s}, torch::kUInt8),
                   tensor_from(data.test.labels, {data.test.count}, torch::kLong)};
  raw.generator = describe(options);
  return raw;
}

struct Registry {
  std::mutex mutex;
  std::map<std::string, DatasetLoader> loaders{
      {"fashion-mnist", load_idx_dataset}, {"mnist", load_idx_dataset}, {"cifar10", load_cifar10},
      {"cifar100", load_cifar100},         {"synthetic", load_synthetic}};
};

Registry& registry() {
  static Registry instance;
  return instance;
}

}  // namespace

void register_dataset(const std::string& name, DatasetLoader loader) {
  auto& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  r.loaders[name] = std::move(loader);
}

std::vector<std::string> registered_datasets() {
  auto& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  std::vector<std::string> names;
  for (const auto& [name, loader] : r.loaders) names.push_back(name);
  return names;
}

DatasetLoader find_loader(const std::string& name) {
  auto& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  const auto it = r.loaders.find(name);
  if (it == r.loaders.end()) {
    std::vector<std::string> names;
    for (const auto& [known, loader] : r.loaders) names.push_back(known);
    throw std::invalid_argument(fmt::format("data.dataset: no loader for \"{}\", expected one of {}", name,
                                            fmt::join(names, ", ")));
  }
  return it->second;
}

}  // namespace ablate::data

