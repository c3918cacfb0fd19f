#include "core/data/batch_loader.h"

#include <gtest/gtest.h>

namespace ablate::data {
namespace {

// 50 images of 1x6x6, image i filled with value i + 1 and labelled i % 5: a batch's pixels name its images.
Split numbered_split() {
  const torch::Tensor ids = torch::arange(50, torch::kLong);
  const torch::Tensor images = (ids + 1).to(torch::kUInt8).view({50, 1, 1, 1}).expand({50, 1, 6, 6}).contiguous();
  return Split{"train", images, ids % 5};
}

std::vector<torch::Tensor> epoch_images(BatchLoader& loader, int64_t epoch) {
  loader.begin_epoch(epoch);
  std::vector<torch::Tensor> out;
  Batch batch;
  while (loader.next(batch)) out.push_back(batch.images.clone());
  return out;
}

bool same_epochs(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!torch::equal(a[i], b[i])) return false;
  }
  return true;
}

LoaderOptions augmenting() { return LoaderOptions().crop_padding(2).horizontal_flip(true); }

TEST(BatchLoader, EveryExampleOnceAnEpochInShuffledOrder) {
  BatchLoader loader(numbered_split(), 16, 0);
  EXPECT_EQ(loader.num_batches(), 4);
  std::vector<int64_t> seen;
  Batch batch;
  int64_t batches = 0;
  while (loader.next(batch)) {
    EXPECT_EQ(batch.index, batches++);
    EXPECT_EQ(batch.images.scalar_type(), torch::kFloat);
    // Pixel value * 255 recovers id + 1 (no normalisation given: x / 255).
    const torch::Tensor ids = (batch.images.select(1, 0).select(1, 0).select(1, 0) * 255).round().to(torch::kLong) - 1;
    EXPECT_TRUE(torch::equal(ids % 5, batch.labels));
    seen.insert(seen.end(), ids.data_ptr<int64_t>(), ids.data_ptr<int64_t>() + ids.numel());
  }
  EXPECT_EQ(batches, 4);
  ASSERT_EQ(seen.size(), 50u);
  EXPECT_FALSE(std::is_sorted(seen.begin(), seen.end()));
  std::sort(seen.begin(), seen.end());
  for (int64_t i = 0; i < 50; ++i) EXPECT_EQ(seen[i], i);
  EXPECT_FALSE(loader.next(batch));
}

TEST(BatchLoader, SameSeedSameBatchesOtherSeedOrEpochDifferent) {
  BatchLoader a(numbered_split(), 8, 42, augmenting()), b(numbered_split(), 8, 42, augmenting());
  BatchLoader c(numbered_split(), 8, 43, augmenting());
  const auto first = epoch_images(a, 0);
  EXPECT_TRUE(same_epochs(first, epoch_images(b, 0)));
  EXPECT_FALSE(same_epochs(first, epoch_images(c, 0)));
  EXPECT_FALSE(same_epochs(first, epoch_images(a, 1)));
}

TEST(BatchLoader, ResumingAtEpochKReproducesIt) {
  BatchLoader running(numbered_split(), 8, 5, augmenting());
  std::vector<torch::Tensor> epoch3;
  for (int64_t e = 0; e <= 3; ++e) epoch3 = epoch_images(running, e);
  BatchLoader resumed(numbered_split(), 8, 5, augmenting());
  EXPECT_TRUE(same_epochs(epoch3, epoch_images(resumed, 3)));
  // Half-way through an epoch, begin_epoch rewinds to its start.
  Batch batch;
  resumed.begin_epoch(3);
  resumed.next(batch);
  EXPECT_TRUE(same_epochs(epoch3, epoch_images(resumed, 3)));
}

TEST(BatchLoader, OrderedLoaderKeepsTheSplitOrderAndTheLastPartialBatch) {
  BatchLoader loader(numbered_split(), 16, 0, LoaderOptions().shuffle(false));
  EXPECT_EQ(loader.num_batches(), 4);
  Batch batch;
  std::vector<int64_t> sizes;
  int64_t expected_first = 0;
  while (loader.next(batch)) {
    sizes.push_back(batch.size());
    EXPECT_EQ(batch.labels[0].item<int64_t>(), expected_first % 5);
    expected_first += batch.size();
  }
  EXPECT_EQ(sizes, (std::vector<int64_t>{16, 16, 16, 2}));
  BatchLoader dropping(numbered_split(), 16, 0, LoaderOptions().drop_last(true));
  EXPECT_EQ(dropping.num_batches(), 3);
  EXPECT_EQ(epoch_images(dropping, 0).size(), 3u);
}

TEST(BatchLoader, AugmentedBatchesAreCropsAndFlipsOfTheSameImages) {
  BatchLoader loader(numbered_split(), 50, 1, augmenting().shuffle(false));
  Batch batch;
  ASSERT_TRUE(loader.next(batch));
  const torch::Tensor pixels = (batch.images * 255).round().to(torch::kLong).view({50, 36});
  int64_t shifted = 0;
  for (int64_t i = 0; i < 50; ++i) {
    // Each output pixel is the image's value or padding zero, and the window always overlaps the image.
    const torch::Tensor row = pixels[i];
    EXPECT_TRUE(((row == 0) | (row == i + 1)).all().item<bool>()) << i;
    EXPECT_GE((row == i + 1).sum().item<int64_t>(), 16) << i;  // at least a 4x4 overlap with padding 2
    shifted += (row == 0).any().item<bool>();
  }
  EXPECT_GT(shifted, 30);  // 24 of 25 offsets show some padding
}

TEST(BatchLoader, NormalisesAndHonoursChannelsLast) {
  auto options = LoaderOptions().shuffle(false).mean({0.1}).stddev({0.2}).channels_last(true);
  Split split = numbered_split();
  split.images = split.images.expand({50, 3, 6, 6}).contiguous();
  EXPECT_THROW(BatchLoader(split, 10, 0, options), std::invalid_argument);  // 3 channels, one mean
  options.mean({0.1, 0.1, 0.1}).stddev({0.2, 0.2, 0.2});
  BatchLoader loader(split, 10, 0, options);
  Batch batch;
  ASSERT_TRUE(loader.next(batch));
  EXPECT_TRUE(batch.images.is_contiguous(torch::MemoryFormat::ChannelsLast));
  EXPECT_NEAR(batch.images[0][2][3][3].item<float>(), (1.0 / 255 - 0.1) / 0.2, 1e-6);
}

TEST(BatchLoader, RejectsBadArguments) {
  EXPECT_THROW(BatchLoader(numbered_split(), 0, 0), std::invalid_argument);
  EXPECT_THROW(BatchLoader(Split{"val", torch::zeros({0, 1, 4, 4}, torch::kUInt8), torch::zeros({0}, torch::kLong)}, 4, 0),
               std::invalid_argument);
  EXPECT_THROW(BatchLoader(numbered_split(), 4, 0, LoaderOptions().crop_padding(-1)), std::invalid_argument);
  BatchLoader loader(numbered_split(), 4, 0);
  EXPECT_THROW(loader.begin_epoch(-1), std::invalid_argument);
}

}  // namespace
}  // namespace ablate::data
