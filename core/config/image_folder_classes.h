#pragma once
// What a class is in an ImageFolder tree (ROOT/train/<class>/..., ROOT/val/<class>/...), shared by the
// config layer (a model's num_classes follows the tree) and the data pipeline (labels follow the same
// list). Torch-free; one directory listing, no walk of the images.
//
// Classes are the sub-folders of a split folder, sorted by name as torchvision's ImageFolder sorts them
// (Python's sorted() on str: code point order, which is the byte order of the UTF-8 names), hidden folders
// and symbolic links to folders included as torchvision includes them. So label k here is label k there.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/config/run_spec.h"

namespace ablate::config {

// The class folder names of `split_dir`, sorted; nullopt when `split_dir` is not a readable folder.
std::optional<std::vector<std::string>> image_folder_classes(const std::string& split_dir);

// ILSVRC-2012, for `ablate data check` and for expanding the paper's settings before the data is there.
inline constexpr int64_t kImageNetClasses = 1000;
inline constexpr int64_t kImageNetTrainImages = 1281167;
inline constexpr int64_t kImageNetValImages = 50000;

// The number of classes a run of `data` (dataset imagenet, root resolved) trains on: data.classes when
// set, else the class folders of ROOT/train, else 1000 when that folder is not there (the paper's
// settings still expand, and the run then fails at loading, naming the folder it looked in).
// Throws std::invalid_argument naming data.classes when it exceeds the folders present, or data.root when
// ROOT/train holds no class folder.
int64_t class_count(const DataSpec& data);

}  // namespace ablate::config
