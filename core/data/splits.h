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

}  // namespace ablate::data
