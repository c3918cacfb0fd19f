#include "core/data/image_folder_data.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <thread>
#include <utility>

#include <fmt/format.h>

#include "core/config/dataset_catalog.h"
#include "core/config/sha256.h"
#include "core/data/splits.h"

namespace ablate::data {

namespace fs = std::filesystem;

const std::vector<double>& imagenet_mean() {
  static const std::vector<double> mean = {0.485, 0.456, 0.406};
  return mean;
}

const std::vector<double>& imagenet_std() {
  static const std::vector<double> std = {0.229, 0.224, 0.225};
  return std;
}

int64_t decode_workers(const config::DataSpec& data) {
  if (data.workers < 0) throw std::invalid_argument(fmt::format("data.workers: expected >= 0, found {}", data.workers));
  if (data.workers > 0) return data.workers;
  return std::max<int64_t>(1, static_cast<int64_t>(std::thread::hardware_concurrency()) - 1);
}

std::string imagenet_location_hint(const std::string& root) {
  return fmt::format(
      "dataset imagenet is read from an ImageFolder tree, ROOT/train/<class>/<image>.JPEG and "
      "ROOT/val/<class>/<image>.JPEG, and ROOT was {} (data.root, else $ABLATE_DATA/imagenet, else data/imagenet); "
      "point ablate at a copy with --set data.root=DIR, data.root in the experiment file, or ABLATE_DATA=DIR holding "
      "imagenet/",
      root);
}

namespace {

// ILSVRC-2012's validation images come in one flat folder; training needs them sorted by class.
void check_val_has_classes(const SplitIndex& val) {
  if (!val.classes.empty()) return;
  int64_t files = 0;
  std::error_code ec;
  for (fs::directory_iterator it(val.dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) ++files;
  throw std::runtime_error(fmt::format("{}: no class folders{}: sort the validation images into one folder per class, "
                                       "as in train/ (ILSVRC-2012's flat val/ is usually sorted with the widely used "
                                       "valprep.sh script)",
                                       val.dir, files > 0 ? fmt::format(" ({} files lie directly in it)", files) : ""));
}

void warn_about(const SplitIndex& split, int64_t classes, std::vector<std::string>& warnings) {
  const std::vector<int64_t> sizes = split.class_sizes();
  std::vector<std::string> empty;
  for (int64_t c = 0; c < classes && c < static_cast<int64_t>(sizes.size()); ++c) {
    if (sizes[static_cast<size_t>(c)] == 0) empty.push_back(split.classes[static_cast<size_t>(c)]);
  }
  if (!empty.empty()) {
    warnings.push_back(fmt::format("{}: {} class folder{} without images (first: {})", split.dir, empty.size(),
                                   empty.size() == 1 ? "" : "s", empty.front()));
  }
  if (!split.ignored.empty()) {
    warnings.push_back(fmt::format("{}: {} file{} without an image extension left out, as torchvision does (first: {})",
                                   split.dir, split.ignored.size(), split.ignored.size() == 1 ? "" : "s",
                                   split.ignored.front()));
  }
}

// The images of `split` whose class is among the first `classes` of `train_classes`, relabelled by name.
ImageList relabel(const SplitIndex& split, const std::vector<std::string>& train_classes, int64_t classes) {
  std::map<std::string, int64_t> train_label;
  for (size_t i = 0; i < train_classes.size(); ++i) train_label[train_classes[i]] = static_cast<int64_t>(i);
  std::vector<int64_t> label_of(split.classes.size());
  for (size_t i = 0; i < split.classes.size(); ++i) {
    const auto it = train_label.find(split.classes[i]);
    if (it == train_label.end()) {
      throw std::runtime_error(fmt::format("{}: class folder \"{}\" has no counterpart in {} (labels come from the "
                                           "training classes)",
                                           split.dir, split.classes[i],
                                           (fs::path(split.dir).parent_path() / "train").string()));
    }
    label_of[i] = it->second;
  }
  ImageList out;
  for (int64_t i = 0; i < split.images.size(); ++i) {
    const int64_t label = label_of[static_cast<size_t>(split.images.label(i))];
    if (label < classes) out.add(split.images.path(i), label);
  }
  return out;
}

void append_listing(std::string& listing, const char* split, const ImageList& images) {
  for (int64_t i = 0; i < images.size(); ++i) {
    listing += std::to_string(images.label(i));
    listing += '\t';
    listing += split;
    listing += '/';
    listing += images.path(i);
    listing += '\n';
  }
}

}  // namespace

ImageFolderData load_image_folder_data(const config::DataSpec& spec, int64_t seed) {
  ImageFolderData out;
  out.root = config::resolve_root(spec.dataset, spec.root);
  const ImageFolderIndex index = index_image_folder(out.root);
  if (!index.train.exists) {
    throw std::runtime_error(fmt::format("{}: no such folder; {}", index.train.dir, imagenet_location_hint(out.root)));
  }
  if (!index.val.exists) {
    throw std::runtime_error(fmt::format("{}: no such folder; {}", index.val.dir, imagenet_location_hint(out.root)));
  }
  if (index.train.classes.empty()) {
    throw std::runtime_error(fmt::format("{}: no class folders; {}", index.train.dir, imagenet_location_hint(out.root)));
  }
  check_val_has_classes(index.val);
  out.index_cache = index.cache_path;

  const auto present = static_cast<int64_t>(index.train.classes.size());
  if (spec.classes < 0 || spec.classes > present) {
    throw std::invalid_argument(fmt::format("data.classes: expected 1..{} (the class folders of {}), found {}", present,
                                            index.train.dir, spec.classes));
  }
  const int64_t classes = spec.classes > 0 ? spec.classes : present;
  out.classes.assign(index.train.classes.begin(), index.train.classes.begin() + classes);
  warn_about(index.train, classes, out.warnings);
  warn_about(index.val, static_cast<int64_t>(index.val.classes.size()), out.warnings);

  // The first `classes` classes are labels 0..classes-1 already (train's labels are its sorted folders).
  ImageList train = relabel(index.train, index.train.classes, classes);
  ImageList val = relabel(index.val, index.train.classes, classes);
  if (train.empty()) throw std::runtime_error(fmt::format("{}: no images in the {} class folders used", index.train.dir, classes));

  const TrainValIndices carved =
      carve_train_val(train.labels(), classes, spec.val_size, spec.train_subset, seed, spec.dataset);
  out.train_dir = index.train.dir;
  if (!carved.val.empty()) {
    out.eval = train.select(carved.val);
    out.eval_dir = index.train.dir;
    out.eval_name = "val (carved from train)";
  } else {
    if (val.empty()) throw std::runtime_error(fmt::format("{}: no images of the {} classes used", index.val.dir, classes));
    out.eval = std::move(val);
    out.eval_dir = index.val.dir;
    out.eval_name = "val";
  }
  out.train = static_cast<int64_t>(carved.train.size()) == train.size() ? std::move(train) : train.select(carved.train);

  out.mean = spec.mean.empty() ? imagenet_mean() : spec.mean;
  out.std = spec.std.empty() ? imagenet_std() : spec.std;
  if (out.mean.size() != 3 || out.std.size() != 3) {
    throw std::invalid_argument(fmt::format("data.mean and data.std: expected 3 values each (RGB), found {} and {}",
                                            out.mean.size(), out.std.size()));
  }

  std::string listing;
  append_listing(listing, "train", out.train);
  append_listing(listing, carved.val.empty() ? "val" : "train", out.eval);
  out.digest = config::sha256_hex(listing);
  return out;
}

std::string describe(const ImageFolderData& data) {
  return fmt::format("imagenet {}: {} classes, train {}, {} {} (evaluated); digest {}", data.root, data.classes.size(),
                     data.train.size(), data.eval_name, data.eval.size(), data.digest.substr(0, 12));
}

}  // namespace ablate::data
