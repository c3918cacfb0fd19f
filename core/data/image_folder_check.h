#pragma once
// `ablate data check imagenet`: one pass over an ImageFolder tree (through its index, built or reused)
// that says what a run would see: classes and images per split, empty class folders, files left out for
// their extension, images that do not decode (each read and decoded, at the smallest DCT reduction for a
// JPEG, by a pool of threads), and whether the tree looks like the full ILSVRC-2012. Torch-free.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/data/image_folder_index.h"

namespace ablate::data {

struct UnreadableImage {
  std::string path;     // relative to the root, e.g. "train/n01440764/x.JPEG"
  std::string message;  // the decoder's, with the full path
};

struct SplitCheck {
  std::string name;
  std::string dir;
  bool exists = false;
  int64_t classes = 0;
  int64_t images = 0;
  int64_t fewest = 0, most = 0;             // images per class
  std::vector<std::string> empty_classes;   // class folders without images
  std::vector<std::string> ignored;         // files left out for their extension, relative to the root
  std::vector<UnreadableImage> unreadable;  // in index order
};

struct ImageFolderCheck {
  std::string root;
  std::string index_cache;  // "" = not cached (index_note says why)
  bool index_from_cache = false;
  std::string index_note;
  SplitCheck train, val;
  std::vector<std::string> classes;  // train's, label order
  // val class folders missing from train (a run would refuse the tree), names.
  std::vector<std::string> val_only_classes;
  bool decoded = false;  // false: images were not opened (decode = false)
  // ILSVRC-2012: 1000 classes in both splits, 1,281,167 training and 50,000 validation images, none found
  // unreadable.
  bool full_ilsvrc2012 = false;
  bool usable() const;  // a run with data.on_bad_image: fail would not stop on this tree's contents
};

// Indexes `root` and, with `decode`, reads and decodes every image with `workers` threads (>= 1),
// calling progress(done, total) about every `progress_seconds` from the calling thread.
ImageFolderCheck check_image_folder(const std::string& root, bool decode, int64_t workers,
                                    const std::function<void(int64_t, int64_t)>& progress = {},
                                    double progress_seconds = 10.0);

}  // namespace ablate::data
