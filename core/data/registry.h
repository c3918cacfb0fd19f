#pragma once
// The dataset registry: a dataset name -> the loader that reads its official train and test splits
// from disk (or generates them). Built in: fashion-mnist, mnist (IDX, gzip'd or plain), cifar10,
// cifar100 (binary versions) and synthetic. load_datasets() (datasets.h) goes through here, then carves
// validation splits and subsets; most callers want that, not this.

#include <torch/torch.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/config/dataset_catalog.h"
#include "core/config/run_spec.h"

namespace ablate::data {

// One split held whole in memory.
struct Split {
  std::string name;      // "train" | "val" | "test"
  torch::Tensor images;  // uint8 [N, C, H, W], contiguous
  torch::Tensor labels;  // int64 [N], values in [0, num_classes)

  int64_t size() const { return labels.defined() ? labels.size(0) : 0; }
  bool empty() const { return size() == 0; }
  // The examples at `indices` (ascending order kept), under a new name.
  Split select(const std::vector<int64_t>& indices, const std::string& new_name) const;
  // Both tensors on `device` (no copy when already there).
  Split to(const torch::Device& device) const;
};

// The official splits of one dataset as read from disk, plus the files read (in reading order).
struct RawDataset {
  Split train;
  Split test;
  std::vector<std::string> files;  // empty for synthetic
  std::string generator;           // synthetic only: describe(options), hashed into the digest
};

// facts: config::facts_for(spec) (channels, image size, classes the loader must produce).
// root: the resolved directory (config::resolve_root); empty for synthetic.
using DatasetLoader =
    std::function<RawDataset(const config::DataSpec& spec, const config::DatasetFacts& facts, const std::string& root)>;

// Adds or replaces the loader for `name` (e.g. a user's own dataset in C++). The name must also be in
// config::dataset_catalog() for load_datasets() to know its shape.
void register_dataset(const std::string& name, DatasetLoader loader);

// Names that have a loader, sorted.
std::vector<std::string> registered_datasets();

// The loader for `name` (a copy: safe to call while another thread registers); throws
// std::invalid_argument listing the registered names when there is none.
DatasetLoader find_loader(const std::string& name);

}  // namespace ablate::data
