#include "core/data/datasets.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/config/dataset_catalog.h"
#include "core/config/sha256.h"
#include "core/data/file_bytes.h"
#include "core/data/splits.h"

namespace ablate::data {

namespace {

std::vector<int64_t> labels_of(const Split& split) {
  const torch::Tensor labels = split.labels.to(torch::kCPU).contiguous();
  return std::vector<int64_t>(labels.data_ptr<int64_t>(), labels.data_ptr<int64_t>() + labels.numel());
}

void check_shape(const Split& split, const config::DatasetFacts& facts) {
  const auto& images = split.images;
  if (images.dim() != 4 || images.scalar_type() != torch::kUInt8 || images.size(1) != facts.channels ||
      images.size(2) != facts.image_size || images.size(3) != facts.image_size || split.size() != images.size(0)) {
    throw std::runtime_error(fmt::format("{} {} split: expected uint8 images [N, {}, {}, {}], found {} {}",
                                         facts.name, split.name, facts.channels, facts.image_size, facts.image_size,
                                         c10::toString(images.scalar_type()), fmt::join(images.sizes(), "x")));
  }
}

void check_normalization(const char* key, const std::vector<double>& values, int64_t channels, bool positive) {
  if (static_cast<int64_t>(values.size()) != channels) {
    throw std::invalid_argument(
        fmt::format("data.{}: expected {} value(s), one per channel, found {}", key, channels, values.size()));
  }
  for (double v : values) {
    if (!std::isfinite(v) || (positive && v <= 0)) {
      throw std::invalid_argument(
          fmt::format("data.{}: expected {} values, found {}", key, positive ? "positive finite" : "finite", v));
    }
  }
}

std::string file_digests(const std::vector<std::string>& paths, std::vector<DataFile>& files) {
  std::string listing;
  for (const auto& path : paths) {
    const std::vector<uint8_t> bytes = read_file_bytes(path);
    const std::string hash = config::sha256_hex(std::string(bytes.begin(), bytes.end()));
    files.push_back(DataFile{path, hash});
    listing += hash + "  " + std::filesystem::path(path).filename().string() + "\n";
  }
  return config::sha256_hex(listing);
}

}  // namespace

void channel_statistics(const torch::Tensor& images, std::vector<double>& mean, std::vector<double>& stddev) {
  const torch::Tensor x = images.to(torch::kCPU).contiguous();
  const int64_t n = x.size(0), c = x.size(1), plane = x.size(2) * x.size(3);
  mean.assign(c, 0.0);
  stddev.assign(c, 0.0);
  const uint8_t* data = x.data_ptr<uint8_t>();
  for (int64_t ch = 0; ch < c; ++ch) {
    // Integer sums are exact; a histogram keeps the inner loop branch-free and cheap.
    std::vector<uint64_t> histogram(256, 0);
    for (int64_t i = 0; i < n; ++i) {
      const uint8_t* p = data + (i * c + ch) * plane;
      for (int64_t k = 0; k < plane; ++k) ++histogram[p[k]];
    }
    const double count = static_cast<double>(n * plane);
    double sum = 0, sum_sq = 0;
    for (int v = 0; v < 256; ++v) {
      sum += static_cast<double>(histogram[v]) * v;
      sum_sq += static_cast<double>(histogram[v]) * v * v;
    }
    const double m = sum / count;
    mean[ch] = m / 255.0;
    stddev[ch] = std::sqrt(std::max(sum_sq / count - m * m, 0.0)) / 255.0;
  }
}

std::string describe(const Datasets& d) {
  const std::string splits = d.val.empty()
                                 ? fmt::format("train {}, test {} (evaluated)", d.train.size(), d.test.size())
                                 : fmt::format("train {}, val {} (evaluated), test {}", d.train.size(), d.val.size(),
                                               d.test.size());
  return fmt::format("{} {}x{}x{}, {} classes: {}; digest {}", d.dataset, d.channels, d.image_size, d.image_size,
                     d.num_classes, splits, d.digest.substr(0, 12));
}

Datasets load_datasets(const config::DataSpec& spec, int64_t seed) {
  const config::DatasetFacts facts = config::facts_for(spec);
  Datasets out;
  out.dataset = spec.dataset;
  out.root = config::resolve_root(spec.dataset, spec.root);
  out.num_classes = facts.classes;
  out.channels = facts.channels;
  out.image_size = facts.image_size;

  RawDataset raw = find_loader(spec.dataset)(spec, facts, out.root);
  check_shape(raw.train, facts);
  check_shape(raw.test, facts);
  out.test = std::move(raw.test);
  out.test.name = "test";

  const TrainValIndices carved =
      carve_train_val(labels_of(raw.train), facts.classes, spec.val_size, spec.train_subset, seed, spec.dataset);
  if (!carved.val.empty()) out.val = raw.train.select(carved.val, "val");
  Split train = static_cast<int64_t>(carved.train.size()) == raw.train.size() ? std::move(raw.train)
                                                                               : raw.train.select(carved.train, "train");
  out.train = std::move(train);
  out.train.name = "train";

  if (spec.mean.empty() && spec.std.empty()) {
    channel_statistics(out.train.images, out.mean, out.std);
    for (double& s : out.std) s = std::max(s, 1e-3);  // a constant channel must not divide by zero
  } else {
    check_normalization("mean", spec.mean, facts.channels, false);
    check_normalization("std", spec.std, facts.channels, true);
    out.mean = spec.mean;
    out.std = spec.std;
    out.normalization_given = true;
  }

  out.digest = raw.files.empty() ? config::sha256_hex(raw.generator) : file_digests(raw.files, out.files);
  return out;
}

}  // namespace ablate::data
