// The data-parallel split of every batch (replica_split.h): the parts of a step are disjoint, cover the
// single process's batch, differ in size by at most one; the loader's replica batches, concatenated in
// rank order, are exactly the single process's batches (order, crops and flips included).
#include "core/data/replica_split.h"

#include <gtest/gtest.h>

#include "core/data/batch_loader.h"

namespace ablate::data {
namespace {

TEST(ReplicaSplit, PartsCoverEachStepOnceAndDifferByAtMostOne) {
  for (const int64_t size : {1, 7, 100, 1001}) {
    for (const int64_t batch : {1, 3, 10, 100}) {
      for (const int64_t count : {1, 2, 3, 8}) {
        const int64_t steps = (size + batch - 1) / batch;
        for (int64_t step = 0; step < steps; ++step) {
          int64_t expected = step * batch, smallest = batch, largest = 0;
          for (int64_t rank = 0; rank < count; ++rank) {
            const PositionRange part = replica_positions(size, batch, step, {rank, count});
            EXPECT_EQ(part.begin, expected) << size << " " << batch << " " << count << " " << step << " " << rank;
            expected = part.end;
            smallest = std::min(smallest, part.size());
            largest = std::max(largest, part.size());
            if (rank == 0) {
              EXPECT_GT(part.size(), 0) << "rank 0 always has images";
            }
          }
          EXPECT_EQ(expected, std::min(size, (step + 1) * batch));
          EXPECT_LE(largest - smallest, 1);
        }
        EXPECT_EQ(replica_positions(size, batch, steps, {0, count}).size(), 0) << "past the last batch";
      }
    }
  }
  EXPECT_EQ(replica_positions(1000, 256, 1, {1, 8}).begin, 256 + 32);
  EXPECT_EQ(replica_positions(1000, 256, 1, {1, 8}).size(), 32);
}

TEST(ReplicaSplit, GlobalBatchMustSplitEvenly) {
  EXPECT_EQ(per_replica_batch(256, 8), 32);
  EXPECT_EQ(per_replica_batch(100, 1), 100);
  try {
    per_replica_batch(100, 3);
    FAIL() << "100 does not split over 3";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("train.batch_size: the global batch of 100 does not split evenly over 3"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(per_replica_batch(2, 4), std::invalid_argument);
  EXPECT_THROW(per_replica_batch(8, 0), std::invalid_argument);
  EXPECT_THROW(replica_positions(10, 2, 0, {2, 2}), std::invalid_argument);
  EXPECT_THROW(replica_positions(10, 2, 0, {-1, 2}), std::invalid_argument);
}

TEST(ReplicaSplit, LoaderSharesConcatenateToTheSingleProcessBatches) {
  const torch::Tensor ids = torch::arange(53, torch::kLong);
  const Split split{"train", (ids + 1).to(torch::kUInt8).view({53, 1, 1, 1}).expand({53, 1, 6, 6}).contiguous(), ids % 5};
  const LoaderOptions options = LoaderOptions().crop_padding(2).horizontal_flip(true);
  BatchLoader alone(split, 10, 3, options);
  BatchLoader rank0(split, 10, 3, LoaderOptions(options).replica({0, 3}));
  BatchLoader rank1(split, 10, 3, LoaderOptions(options).replica({1, 3}));
  BatchLoader rank2(split, 10, 3, LoaderOptions(options).replica({2, 3}));
  for (int64_t epoch : {0, 4}) {
    for (BatchLoader* loader : {&alone, &rank0, &rank1, &rank2}) loader->begin_epoch(epoch);
    Batch whole;
    int64_t steps = 0;
    while (alone.next(whole)) {
      Batch a, b, c;
      ASSERT_TRUE(rank0.next(a) && rank1.next(b) && rank2.next(c));
      EXPECT_TRUE(torch::equal(torch::cat({a.images, b.images, c.images}), whole.images)) << "epoch " << epoch;
      EXPECT_TRUE(torch::equal(torch::cat({a.labels, b.labels, c.labels}), whole.labels));
      ++steps;
    }
    EXPECT_EQ(steps, alone.num_batches());
    EXPECT_EQ(rank2.num_batches(), alone.num_batches()) << "every replica takes the same number of steps";
    Batch extra;
    EXPECT_FALSE(rank0.next(extra));
  }
}

}  // namespace
}  // namespace ablate::data
