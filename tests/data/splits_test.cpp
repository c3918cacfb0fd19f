#include "core/data/splits.h"

#include <gtest/gtest.h>

#include "fixtures.h"

namespace ablate::data {
namespace {

std::vector<int64_t> labels_cycle(int64_t n, int64_t classes) {
  std::vector<int64_t> labels(n);
  for (int64_t i = 0; i < n; ++i) labels[i] = (i * 7) % classes;
  return labels;
}

std::vector<int64_t> counts(const std::vector<int64_t>& labels, const std::vector<int64_t>& indices, int64_t k) {
  std::vector<int64_t> c(k, 0);
  for (int64_t i : indices) ++c[labels[i]];
  return c;
}

TEST(StratifiedSplit, EqualPerClassDisjointAndComplete) {
  const auto labels = labels_cycle(1000, 10);
  Rng rng(1);
  const IndexSplit split = stratified_split(labels, 10, 300, rng, "test");
  EXPECT_EQ(counts(labels, split.chosen, 10), std::vector<int64_t>(10, 30));
  EXPECT_EQ(split.chosen.size() + split.rest.size(), 1000u);
  std::vector<int64_t> all = split.chosen;
  all.insert(all.end(), split.rest.begin(), split.rest.end());
  std::sort(all.begin(), all.end());
  for (int64_t i = 0; i < 1000; ++i) ASSERT_EQ(all[i], i);
  EXPECT_TRUE(std::is_sorted(split.chosen.begin(), split.chosen.end()));
}

TEST(StratifiedSplit, RemainderGoesOneEachToSomeClasses) {
  const auto labels = labels_cycle(1000, 10);
  Rng rng(2);
  const auto c = counts(labels, stratified_split(labels, 10, 303, rng, "test").chosen, 10);
  EXPECT_EQ(std::count(c.begin(), c.end(), 31), 3);
  EXPECT_EQ(std::count(c.begin(), c.end(), 30), 7);
}

TEST(StratifiedSplit, DeterministicGivenTheSeed) {
  const auto labels = labels_cycle(500, 5);
  Rng a(9), b(9), c(10);
  const auto first = stratified_split(labels, 5, 50, a, "test").chosen;
  EXPECT_EQ(first, stratified_split(labels, 5, 50, b, "test").chosen);
  EXPECT_NE(first, stratified_split(labels, 5, 50, c, "test").chosen);
}

TEST(StratifiedSplit, TooFewInAClassIsNamed) {
  std::vector<int64_t> labels(100, 0);
  labels[0] = 1;  // class 1 has a single example
  Rng rng(0);
  testing::expect_error([&] { stratified_split(labels, 2, 10, rng, "data.train_subset"); },
                        {"data.train_subset 10", "class 1 has 1 examples, 5 needed"});
  testing::expect_error([&] { stratified_split(labels, 2, 101, rng, "data.train_subset"); },
                        {"data.train_subset", "0..100", "101"});
}

}  // namespace
}  // namespace ablate::data
