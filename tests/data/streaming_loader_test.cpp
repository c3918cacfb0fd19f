// The streaming loader: batches that are a pure function of (seed, epoch) whatever the number of decode
// threads, normalised NCHW output, and what happens to unreadable files.
#include "core/data/streaming_loader.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <thread>

#include "core/data/file_bytes.h"
#include "core/data/image_folder_index.h"
#include "fixtures.h"
#include "tests/support/image_tree.h"

namespace ablate::data {
namespace {

namespace fs = std::filesystem;

struct Tree {
  testing::TempDir dir;
  std::string train_dir;
  ImageList images;
  Tree(int per_class = 7) {
    ablate::testing::write_class_tree(dir.path(), {"ant", "bee", "cat"}, per_class, 1);
    const ImageFolderIndex index = index_image_folder(dir.path());
    train_dir = index.train.dir;
    images = index.train.images;
  }
};

StreamingOptions options(int64_t workers, bool train = true) {
  StreamingOptions o;
  o.batch_size = 4;
  o.workers = workers;
  o.transform.size = 32;
  o.transform.train = train;
  o.shuffle = train;
  o.prefetch = 2;
  return o;
}

std::vector<Batch> epoch(StreamingLoader& loader, int64_t e) {
  loader.begin_epoch(e);
  std::vector<Batch> out;
  Batch batch;
  while (loader.next(batch)) out.push_back(batch);
  return out;
}

bool same(const std::vector<Batch>& a, const std::vector<Batch>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!torch::equal(a[i].images, b[i].images) || !torch::equal(a[i].labels, b[i].labels)) return false;
  }
  return true;
}

TEST(StreamingLoader, OneAndThreeWorkersGiveIdenticalBatches) {
  Tree tree;
  StreamingLoader one(tree.train_dir, tree.images, 5, options(1));
  StreamingLoader three(tree.train_dir, tree.images, 5, options(3));
  EXPECT_EQ(one.num_batches(), 6);  // 21 images in batches of 4
  const auto a = epoch(one, 2), b = epoch(three, 2);
  ASSERT_EQ(a.size(), 6u);
  EXPECT_TRUE(same(a, b));
  EXPECT_EQ(a.back().labels.size(0), 1);
  EXPECT_EQ(a[0].images.sizes(), (std::vector<int64_t>{4, 3, 32, 32}));
  EXPECT_EQ(a[0].images.scalar_type(), torch::kFloat);
  // Another epoch is another order and other crops; the same epoch again (a resume) is the same.
  EXPECT_FALSE(same(epoch(one, 3), a));
  EXPECT_TRUE(same(epoch(three, 2), a));
  // Another seed, other batches.
  StreamingLoader other(tree.train_dir, tree.images, 6, options(3));
  EXPECT_FALSE(same(epoch(other, 2), a));
}

TEST(StreamingLoader, ReplicaSharesConcatenateToTheSingleProcessBatches) {
  // 21 images in batches of 4 over 3 replicas: parts of 2, 1, 1 images, and 1, 0, 0 of the last batch.
  Tree tree;
  StreamingLoader alone(tree.train_dir, tree.images, 5, options(2));
  std::vector<std::unique_ptr<StreamingLoader>> replicas;
  for (int64_t rank = 0; rank < 3; ++rank) {
    StreamingOptions o = options(2);
    o.replica = {rank, 3};
    replicas.push_back(std::make_unique<StreamingLoader>(tree.train_dir, tree.images, 5, o));
  }
  const auto whole = epoch(alone, 1);
  std::vector<std::vector<Batch>> parts;
  for (auto& replica : replicas) parts.push_back(epoch(*replica, 1));
  ASSERT_EQ(whole.size(), 6u);
  for (const auto& part : parts) ASSERT_EQ(part.size(), whole.size()) << "every replica takes every step";
  for (size_t step = 0; step < whole.size(); ++step) {
    EXPECT_TRUE(torch::equal(torch::cat({parts[0][step].images, parts[1][step].images, parts[2][step].images}),
                             whole[step].images))
        << "step " << step;
    EXPECT_TRUE(torch::equal(torch::cat({parts[0][step].labels, parts[1][step].labels, parts[2][step].labels}),
                             whole[step].labels));
  }
  EXPECT_EQ(parts[0][0].labels.size(0), 2);
  EXPECT_EQ(parts[2].back().labels.size(0), 0) << "an empty part of the last batch";
  EXPECT_EQ(parts[2].back().images.sizes(), (std::vector<int64_t>{0, 3, 32, 32}));
}

TEST(StreamingLoader, EveryImageOnceAnEpochAndAnAbandonedEpochRestartsCleanly) {
  Tree tree;
  StreamingLoader loader(tree.train_dir, tree.images, 0, options(2));
  loader.begin_epoch(0);
  Batch batch;
  ASSERT_TRUE(loader.next(batch));  // then abandoned while the workers are ahead
  const auto full = epoch(loader, 0);
  std::vector<int64_t> counts(3, 0);
  int64_t images = 0;
  for (const auto& b : full) {
    images += b.labels.size(0);
    for (int64_t i = 0; i < b.labels.size(0); ++i) ++counts[static_cast<size_t>(b.labels[i].item<int64_t>())];
  }
  EXPECT_EQ(images, 21);
  EXPECT_EQ(counts, (std::vector<int64_t>{7, 7, 7}));
  StreamingLoader fresh(tree.train_dir, tree.images, 0, options(1));
  EXPECT_TRUE(same(epoch(fresh, 0), full));
}

TEST(StreamingLoader, EvaluationIsInOrderNormalisedAndChannelsLastOnRequest) {
  Tree tree;
  StreamingOptions o = options(2, /*train=*/false);
  o.channels_last = true;
  StreamingLoader loader(tree.train_dir, tree.images, 0, o);
  const auto batches = epoch(loader, 0);
  EXPECT_EQ(batches[0].labels[0].item<int64_t>(), 0);  // ant_0 first: the index's order
  EXPECT_EQ(batches.back().labels[0].item<int64_t>(), 2);
  EXPECT_TRUE(batches[0].images.is_contiguous(torch::MemoryFormat::ChannelsLast));
  // ant is red: (x - mean) / std is high in R, low in B.
  const torch::Tensor mean_rgb = batches[0].images[0].mean({1, 2});
  EXPECT_GT(mean_rgb[0].item<float>(), 0.8);
  EXPECT_LT(mean_rgb[2].item<float>(), -0.8);
  EXPECT_TRUE(same(epoch(loader, 1), batches));  // no randomness at evaluation
}

TEST(StreamingLoader, BatchesHoldTheTransformedImagesNormalisedInEitherLayout) {
  Tree tree;
  // The first image as the transform alone makes it, normalised by hand: (x / 255 - mean) / std.
  ImageTransformer transform(options(1, /*train=*/false).transform);
  const std::string path = tree.train_dir + "/" + std::string(tree.images.path(0));
  const std::vector<uint8_t> bytes = read_file_bytes(path);
  torch::Tensor pixels = torch::empty({32, 32, 3}, torch::kUInt8);
  transform(bytes.data(), bytes.size(), path, 0, pixels.data_ptr<uint8_t>());
  const torch::Tensor mean = torch::tensor({0.485, 0.456, 0.406}).view({3, 1, 1});
  const torch::Tensor stddev = torch::tensor({0.229, 0.224, 0.225}).view({3, 1, 1});
  const torch::Tensor expected = (pixels.permute({2, 0, 1}).to(torch::kDouble) / 255.0 - mean) / stddev;
  for (const bool channels_last : {false, true}) {
    StreamingOptions o = options(2, /*train=*/false);
    o.channels_last = channels_last;
    StreamingLoader loader(tree.train_dir, tree.images, 0, o);
    const auto batches = epoch(loader, 0);
    EXPECT_TRUE(torch::allclose(batches[0].images[0].to(torch::kDouble), expected, 0, 1e-5)) << channels_last;
    EXPECT_EQ(batches[0].images.is_contiguous(), !channels_last);
  }
}

TEST(StreamingLoader, AnUnreadableImageFailsItsBatchNamingTheFile) {
  Tree tree(3);
  ablate::testing::write_file(fs::path(tree.train_dir) / "bee" / "bee_1.JPEG", {'h', 'i', '\n'});
  StreamingOptions o = options(2, /*train=*/false);
  StreamingLoader loader(tree.train_dir, tree.images, 0, o);
  loader.begin_epoch(0);
  Batch batch;
  ASSERT_TRUE(loader.next(batch));  // ant_0..2, bee_0
  testing::expect_error([&] { loader.next(batch); },
                        {"bee/bee_1.JPEG", "Not a JPEG file", "data.on_bad_image: fail"});
}

TEST(StreamingLoader, SkippingLeavesTheImageOutWithACountedWarning) {
  Tree tree(3);
  const auto good = ablate::testing::encode_jpeg(ablate::testing::class_image(200, 150, 1, 0));
  ablate::testing::write_file(fs::path(tree.train_dir) / "bee" / "bee_1.JPEG",
                              std::vector<uint8_t>(good.begin(), good.begin() + static_cast<long>(good.size() * 2 / 3)));
  // In order (ant_0..2 bee_0 | bee_1 ...): the bad file shares its batch, which shrinks to 3.
  StreamingOptions o = options(3, /*train=*/false);
  o.skip_bad_images = true;
  StreamingLoader loader(tree.train_dir, tree.images, 0, o);
  for (int64_t e = 0; e < 2; ++e) {
    const auto batches = epoch(loader, e);
    int64_t images = 0;
    for (const auto& b : batches) images += b.labels.size(0);
    EXPECT_EQ(images, 8);  // 9 minus the truncated one
    EXPECT_EQ(batches.size(), 3u);
  }
  const std::vector<std::string> warnings = loader.take_warnings();
  ASSERT_EQ(warnings.size(), 3u);  // the file, named once; then one count per epoch
  EXPECT_NE(warnings[0].find("bee/bee_1.JPEG"), std::string::npos) << warnings[0];
  EXPECT_NE(warnings[0].find("Premature end of JPEG file"), std::string::npos) << warnings[0];
  EXPECT_NE(warnings[1].find("epoch 1: 1 unreadable image"), std::string::npos) << warnings[1];
  EXPECT_NE(warnings[2].find("epoch 2: 1 unreadable image"), std::string::npos) << warnings[2];
  EXPECT_TRUE(loader.take_warnings().empty());
}

TEST(StreamingLoader, WorkersStopAtThePrefetchBound) {
  Tree tree;
  StreamingOptions o = options(3, /*train=*/false);
  o.prefetch = 1;
  StreamingLoader loader(tree.train_dir, tree.images, 0, o);
  loader.begin_epoch(0);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // ample time to read ahead, were it allowed
  fs::remove_all(tree.train_dir);
  Batch batch;
  ASSERT_TRUE(loader.next(batch));  // decoded before the files went
  EXPECT_EQ(batch.labels.size(0), 4);
  testing::expect_error([&] { loader.next(batch); }, {"no such file"});  // batch 2 was never read ahead
}

TEST(StreamingLoader, RejectsBadOptions) {
  Tree tree(1);
  testing::expect_error([&] { StreamingLoader(tree.train_dir, ImageList(), 0, options(1)); }, {"no images"});
  testing::expect_error([&] { StreamingLoader(tree.train_dir, tree.images, 0, options(0)); }, {"data.workers", "found 0"});
}

}  // namespace
}  // namespace ablate::data
