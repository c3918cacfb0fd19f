#pragma once
// load_datasets: a DataSpec -> the splits a run trains and evaluates on, whole in memory as uint8
// tensors, with the facts the model needs (classes, channels, image size), the normalisation the
// loader applies, and a digest of the data for provenance.
//
// Which split is evaluated: with data.val_size == 0 the official test split is `eval()`; with
// val_size > 0 a stratified validation split of that many images is carved from the official train
// split first (those images are removed from training) and `eval()` is the validation split, so model
// selection never sees the test set. The test split stays loaded either way (`test`), for a final report.
//
// Determinism: the validation split and the training subset are drawn from `seed` (the run seed), so
// seeds of one setting see different subsets, and a run with a given seed always sees the same one.
// Synthetic images never depend on the seed (synthetic.h).

#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/config/run_spec.h"
#include "core/data/registry.h"

namespace ablate::data {

struct DataFile {
  std::string path;
  std::string sha256;  // of the bytes on disk (the .gz file itself when gzip'd)
};

struct Datasets {
  std::string dataset;  // registry name, e.g. "fashion-mnist"
  std::string root;     // resolved directory; empty for synthetic
  int64_t num_classes = 0;
  int64_t channels = 0;
  int64_t image_size = 0;

  Split train;  // official train, minus the validation split, then the stratified subset if asked
  Split val;    // empty unless data.val_size > 0
  Split test;   // official test split, always loaded
  // The split to evaluate on every epoch and select models by: val when carved, else test.
  const Split& eval() const { return val.empty() ? test : val; }

  // Per-channel normalisation in [0, 1] pixel units (x/255 - mean) / std: data.mean/std when given,
  // else computed over `train` (after the subset). normalization_given says which.
  std::vector<double> mean;
  std::vector<double> std;
  bool normalization_given = false;

  // Provenance: SHA-256 over the lines "<sha256 of file>  <file name>\n" of the files read, in reading
  // order: `cd ROOT && sha256sum FILES... | sha256sum` reproduces it. Synthetic: SHA-256 of its
  // generator description. Subsets and validation splits are not part of it (they follow from the
  // spec and the seed).
  std::string digest;
  std::vector<DataFile> files;
};

// Resolves the root (config::resolve_root: data.root, else $ABLATE_DATA/<name>, else the package
// default), reads or generates the dataset, carves val, draws the subset, and computes the
// normalisation. Throws std::runtime_error / std::invalid_argument naming the file or the data.* key at
// fault, with what was expected and found.
Datasets load_datasets(const config::DataSpec& spec, int64_t seed);

// One line for logs and run records, e.g. "fashion-mnist 1x28x28, 10 classes: train 55000, val 5000
// (evaluated), test 10000; digest 3b9c1e0a5d2f".
std::string describe(const Datasets& datasets);

// Per-channel mean and standard deviation of uint8 NCHW images, in [0, 1] pixel units (population std).
void channel_statistics(const torch::Tensor& images, std::vector<double>& mean, std::vector<double>& stddev);

}  // namespace ablate::data
