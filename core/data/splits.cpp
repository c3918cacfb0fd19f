#include "core/data/splits.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>

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

}  // namespace ablate::data
