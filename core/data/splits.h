#pragma once
// Stratified index selection for the validation split and the training subset. Works on label lists,
// not images, so it is torch-free and cheap; callers gather the images afterwards.

#include <cstdint>
#include <string>
#include <vector>

#include "core/data/rng.h"

namespace ablate::data {

struct IndexSplit {
  std::vector<int64_t> chosen;  // ascending
  std::vector<int64_t> rest;    // ascending: every index not chosen
};

// Chooses `count` of the indices of `labels` (values in [0, num_classes)), count / num_classes from every
// class and one more from each of count % num_classes classes picked by `rng`; which examples of a class
// are taken is drawn by `rng` too. Deterministic given the rng's seed. `what` names the request in
// errors, e.g. "data.train_subset 70000: class 3 has 6000 examples, 7000 needed".
IndexSplit stratified_split(const std::vector<int64_t>& labels, int64_t num_classes, int64_t count, Rng& rng,
                            const std::string& what);

// What data.val_size and data.train_subset make of an official train split with these labels: `val`, a
// stratified validation split of val_size examples (empty when 0), and `train`, the rest, narrowed to a
// stratified subset of train_subset examples (all when 0). Indices into `labels`, ascending. Drawn from
// (seed, a stream of its own) in that order, so a run seed always gives the same subsets. Throws
// std::invalid_argument naming data.val_size or data.train_subset when they do not fit `dataset`'s split.
struct TrainValIndices {
  std::vector<int64_t> train;
  std::vector<int64_t> val;
};
TrainValIndices carve_train_val(const std::vector<int64_t>& labels, int64_t num_classes, int64_t val_size,
                                int64_t train_subset, int64_t seed, const std::string& dataset);

}  // namespace ablate::data
