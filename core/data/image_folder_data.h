#pragma once
// The images a run of dataset `imagenet` trains and evaluates on: an ImageFolder tree (ILSVRC-2012 or any
// tree of the same layout: Imagenette, ImageWoof, a user's own) read through its index
// (image_folder_index.h), narrowed as the DataSpec says. Torch-free: the streaming loader decodes.
//
//   ROOT/train/<class>/<image>   training images; the class folders, sorted, define the labels
//   ROOT/val/<class>/<image>     the official validation split (the paper's "test" numbers), evaluated
//                                every epoch unless data.val_size carves a validation split from train
//
// data.classes N keeps the first N classes (sorted by name) of both splits; data.train_subset draws that
// many training images, the same number from every class (as for every dataset, seeded by the run
// seed); data.val_size carves a stratified validation split from train first. A val/ class folder must
// also exist in train/ (labels are train's); a class with no val folder simply has no val images.

#include <cstdint>
#include <string>
#include <vector>

#include "core/config/run_spec.h"
#include "core/data/image_folder_index.h"

namespace ablate::data {

struct ImageFolderData {
  std::string root;
  std::vector<std::string> classes;  // the classes trained on, label order
  std::string train_dir;             // ROOT/train
  ImageList train;
  std::string eval_dir;              // ROOT/train (carved val split) or ROOT/val
  ImageList eval;
  std::string eval_name;             // "val (carved from train)" | "val"
  std::vector<double> mean, std;     // normalisation, [0, 1] units: data.mean/std, else ImageNet's
  // SHA-256 of the listing used: "<label>\t<split>/<path>\n" for every image of both splits, in order.
  // Image bytes are not read for it (1.28M files); a changed listing changes it.
  std::string digest;
  std::vector<std::string> warnings;  // e.g. empty class folders, files left out for their extension
  std::string index_cache;            // where the index was read from or written to ("" = not cached)
};

// ImageNet's per-channel mean and standard deviation (torchvision's, [0, 1] units), the default.
const std::vector<double>& imagenet_mean();
const std::vector<double>& imagenet_std();

// Throws std::runtime_error when the tree is missing (naming where it looked and how to point ablate at a
// copy: data.root, --set data.root=DIR, $ABLATE_DATA) or malformed, std::invalid_argument naming the
// data.* key whose value does not fit the tree.
ImageFolderData load_image_folder_data(const config::DataSpec& spec, int64_t seed);

// data.workers as the decoders use it: 0 = one less than the cores (at least 1). Throws for < 0.
int64_t decode_workers(const config::DataSpec& data);

// Where dataset imagenet is looked for and how to point ablate at a copy, for errors about a missing tree.
std::string imagenet_location_hint(const std::string& root);

// One line for logs, e.g. "imagenet /data/imagenet: 1000 classes, train 1281167, val 50000 (evaluated)".
std::string describe(const ImageFolderData& data);

}  // namespace ablate::data
