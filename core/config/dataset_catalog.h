#pragma once
// Facts about the datasets ablate knows, shared by the config layer (to resolve a model's input channels,
// classes and image size from the data) and the data pipeline (to check what it loads). Torch-free.
//
//   name           channels  image  classes  train / test     default root
//   fashion-mnist  1         28     10       60000 / 10000    /usr/share/datasets/fashion-mnist (Debian)
//   mnist          1         28     10       60000 / 10000    data/mnist
//   cifar10        3         32     10       50000 / 10000    data/cifar10
//   cifar100       3         32     100/20   50000 / 10000    data/cifar100  (fine / coarse labels)
//   imagenet       3         224    1000     1281167 / 50000  data/imagenet  (any ImageFolder tree: classes
//                                                                           from its folders, image_size from
//                                                                           data.image_size; streamed)
//   synthetic      from the DataSpec's synthetic_* fields; generated in memory, no root
//
// Root resolution (resolve_root): the config's value, else $ABLATE_DATA/<name>, else the default above.
//
// A dataset whose shape is not a constant (synthetic: from its settings; an image-folder tree: one class
// per sub-folder) gives its entry a `from_data` function, and facts_for calls it. The config layer checks
// the model against facts_for's answer (model.num_classes, input_channels, image_size) once, at
// expansion, so `ablate show` and `ablate run` report a mismatch the same way, before anything trains.

#include <cstdint>
#include <string>
#include <vector>

#include "core/config/run_spec.h"

namespace ablate::config {

struct DatasetFacts;

// Fills the facts that `data` (root resolved) decides rather than the catalog: classes, channels, image
// size, split sizes. Torch-free: it may read the dataset's folder (directory names, an index file), never
// its images. Throws std::invalid_argument whose message starts with the data.* key at fault
// ("data.root: ..."); the config layer reports it at that key's line (else at data.dataset).
using FactsFromData = void (*)(const DataSpec& data, DatasetFacts& facts);

struct DatasetFacts {
  std::string name;
  int64_t channels = 0;
  int64_t image_size = 0;
  int64_t classes = 0;         // fine labels for cifar100
  int64_t coarse_classes = 0;  // cifar100 only (20); 0 = the dataset has no coarse labels
  int64_t train_size = 0;
  int64_t test_size = 0;
  std::string default_root;    // empty for synthetic
  FactsFromData from_data = nullptr;  // nullptr: the numbers above are the dataset's
};

// Every dataset name above, in table order.
const std::vector<DatasetFacts>& dataset_catalog();
std::vector<std::string> dataset_names();

// nullptr when unknown.
const DatasetFacts* find_dataset(const std::string& name);

// The facts of `data` as it will be loaded: the catalog's entry, completed by its from_data (for
// synthetic, channels/size/classes/sizes come from its synthetic_* fields; for imagenet, classes =
// class_count(data), image_folder_classes.h: the tree's class folders, and image_size = data.image_size
// when set); for cifar100 with label_kind "coarse", classes = 20. Throws std::invalid_argument for an
// unknown dataset name, or from from_data.
DatasetFacts facts_for(const DataSpec& data);

// `configured` when non-empty, else $ABLATE_DATA/<dataset> when ABLATE_DATA is set, else the default
// root. Empty for synthetic. Throws std::invalid_argument for an unknown dataset name.
std::string resolve_root(const std::string& dataset, const std::string& configured);

}  // namespace ablate::config
