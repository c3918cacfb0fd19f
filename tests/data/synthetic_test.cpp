#include "core/data/synthetic.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "core/data/datasets.h"
#include "fixtures.h"

namespace ablate::data {
namespace {

SyntheticOptions small() {
  SyntheticOptions o;
  o.train_size = 200;
  o.test_size = 100;
  o.image_size = 12;
  o.channels = 3;
  o.classes = 5;
  o.noise = 0.8;
  return o;
}

torch::Tensor as_tensor(const SyntheticSplit& s, const SyntheticOptions& o) {
  return torch::from_blob(const_cast<uint8_t*>(s.pixels.data()), {s.count, o.channels * o.image_size * o.image_size},
                          torch::kUInt8)
      .to(torch::kFloat);
}

TEST(Synthetic, DeterministicAndBalanced) {
  const SyntheticData a = make_synthetic(small()), b = make_synthetic(small());
  EXPECT_EQ(a.train.pixels, b.train.pixels);
  EXPECT_EQ(a.test.pixels, b.test.pixels);
  // Train and test are different draws, not copies.
  EXPECT_NE(std::vector<uint8_t>(a.train.pixels.begin(), a.train.pixels.begin() + a.test.pixels.size()), a.test.pixels);
  EXPECT_EQ(a.train.pixels.size(), 200u * 3 * 12 * 12);
  for (int64_t i = 0; i < 200; ++i) ASSERT_EQ(a.train.labels[i], i % 5);
  SyntheticOptions other = small();
  other.seed = 1;
  EXPECT_NE(make_synthetic(other).train.pixels, a.train.pixels);
}

TEST(Synthetic, ClassesDifferAndAreLearnableByNearestMean) {
  const SyntheticOptions o = small();
  const SyntheticData data = make_synthetic(o);
  const torch::Tensor train = as_tensor(data.train, o), test = as_tensor(data.test, o);
  const torch::Tensor train_labels = torch::tensor(data.train.labels), test_labels = torch::tensor(data.test.labels);
  std::vector<torch::Tensor> means;
  for (int64_t c = 0; c < o.classes; ++c) means.push_back(train.index({train_labels == c}).mean(0));
  const torch::Tensor centroids = torch::stack(means);
  // Class patterns are far apart compared with the noise of a single pixel.
  const torch::Tensor gaps = torch::cdist(centroids, centroids);
  EXPECT_GT((gaps + torch::eye(o.classes) * 1e9).min().item<float>(), 100.0f);
  const torch::Tensor predicted = torch::cdist(test, centroids).argmin(1);
  const double accuracy = (predicted == test_labels).to(torch::kFloat).mean().item<double>();
  EXPECT_GT(accuracy, 0.95);
}

TEST(Synthetic, LoadsThroughTheRegistryWithItsShape) {
  config::DataSpec spec;
  spec.dataset = "synthetic";
  spec.synthetic_train_size = 30;
  spec.synthetic_test_size = 10;
  spec.synthetic_image_size = 16;
  spec.synthetic_channels = 3;
  spec.synthetic_classes = 3;
  spec.synthetic_noise = 0.5;
  const Datasets a = load_datasets(spec, 0), b = load_datasets(spec, 7);
  EXPECT_EQ(a.train.images.sizes(), (std::vector<int64_t>{30, 3, 16, 16}));
  EXPECT_EQ(a.num_classes, 3);
  EXPECT_TRUE(torch::equal(a.train.images, b.train.images));  // the run seed does not change the data
  EXPECT_EQ(a.digest, b.digest);
  spec.synthetic_noise = 0.6;
  EXPECT_NE(load_datasets(spec, 0).digest, a.digest);
  spec.synthetic_classes = 1;
  testing::expect_error([&] { load_datasets(spec, 0); }, {"data.synthetic_classes", ">= 2", "found 1"});
}

}  // namespace
}  // namespace ablate::data
