#include "core/data/splits.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

namespace ablate::data {

IndexSplit stratified_split(const std::vector<int64_t>& labels, int64_t num_classes, int64_t count, Rng& rng,
                            const std::string& what) {
  const auto total = static_cast<int64_t>(labels.size());
  if (count < 0 || count > total) {
    throw std::invalid_argument(fmt::format("{}: expected 0..{} (the examples available), found {}", what, total,
                                            count));
  }
  std::vector<std::vector<int64_t>> by_class(num_classes);
  for (int64_t i = 0; i < total; ++i) by_class[labels[i]].push_back(i);

  std::vector<int64_t> quota(num_classes, count / num_classes);
  std::vector<int64_t> class_order(num_classes);
  std::iota(class_order.begin(), class_order.end(), 0);
  rng.shuffle(class_order);
  for (int64_t k = 0; k < count % num_classes; ++k) ++quota[class_order[k]];

  IndexSplit split;
  for (int64_t c = 0; c < num_classes; ++c) {
    auto& members = by_class[c];
    if (static_cast<int64_t>(members.size()) < quota[c]) {
      throw std::invalid_argument(fmt::format("{} {}: class {} has {} examples, {} needed for equal classes", what,
                                              count, c, members.size(), quota[c]));
    }
    rng.shuffle(members);
    split.chosen.insert(split.chosen.end(), members.begin(), members.begin() + quota[c]);
  }
  std::sort(split.chosen.begin(), split.chosen.end());
  split.rest.reserve(total - count);
  auto next_chosen = split.chosen.begin();
  for (int64_t i = 0; i < total; ++i) {
    if (next_chosen != split.chosen.end() && *next_chosen == i) {
      ++next_chosen;
    } else {
      split.rest.push_back(i);
    }
  }
  return split;
}

namespace {
constexpr uint64_t kSplitStream = 0xDA7A5B117ULL;  // keeps split draws apart from the loaders' of one seed
}  // namespace

TrainValIndices carve_train_val(const std::vector<int64_t>& labels, int64_t num_classes, int64_t val_size,
                                int64_t train_subset, int64_t seed, const std::string& dataset) {
  if (val_size < 0) throw std::invalid_argument(fmt::format("data.val_size: expected >= 0, found {}", val_size));
  if (train_subset < 0) {
    throw std::invalid_argument(fmt::format("data.train_subset: expected >= 0, found {}", train_subset));
  }
  const auto total = static_cast<int64_t>(labels.size());
  Rng rng(combine_seeds(static_cast<uint64_t>(seed), kSplitStream));
  TrainValIndices out;
  out.train.resize(static_cast<size_t>(total));
  std::iota(out.train.begin(), out.train.end(), 0);
  if (val_size > 0) {
    if (val_size >= total) {
      throw std::invalid_argument(fmt::format("data.val_size: expected fewer than the {} training images of {}, found {}",
                                              total, dataset, val_size));
    }
    const IndexSplit split = stratified_split(labels, num_classes, val_size, rng, "data.val_size");
    out.val = split.chosen;
    out.train = split.rest;
  }
  const auto left = static_cast<int64_t>(out.train.size());
  if (train_subset > 0 && train_subset < left) {
    std::vector<int64_t> train_labels(out.train.size());
    for (size_t i = 0; i < out.train.size(); ++i) train_labels[i] = labels[static_cast<size_t>(out.train[i])];
    const IndexSplit split = stratified_split(train_labels, num_classes, train_subset, rng, "data.train_subset");
    std::vector<int64_t> chosen;
    chosen.reserve(split.chosen.size());
    for (int64_t i : split.chosen) chosen.push_back(out.train[static_cast<size_t>(i)]);
    out.train = std::move(chosen);
  } else if (train_subset > left) {
    throw std::invalid_argument(fmt::format("data.train_subset: expected at most the {} training images of {}{}, found {}",
                                            left, dataset, val_size > 0 ? " left after val_size" : "", train_subset));
  }
  return out;
}

}  // namespace ablate::data
