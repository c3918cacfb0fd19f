#include "core/data/augment.h"

#include <gtest/gtest.h>

namespace ablate::data {
namespace {

torch::Tensor numbered_images(int64_t b, int64_t c, int64_t h, int64_t w) {
  // Distinct, non-zero pixels, so a zero can only come from the padding.
  return (torch::arange(b * c * h * w, torch::kLong) % 250 + 1).to(torch::kUInt8).view({b, c, h, w});
}

torch::Tensor longs(std::vector<int64_t> values) { return torch::tensor(values, torch::kLong); }

TEST(Augment, FlipIsAnExactMirrorAndOnlyWhereAsked) {
  const torch::Tensor images = numbered_images(2, 3, 5, 7);
  const torch::Tensor out = crop_and_flip(images, longs({0, 0}), longs({0, 0}), longs({1, 0}), 0);
  EXPECT_TRUE(torch::equal(out[0], images[0].flip({2})));
  EXPECT_TRUE(torch::equal(out[1], images[1]));
}

TEST(Augment, CentredCropWithoutFlipIsTheIdentity) {
  const torch::Tensor images = numbered_images(2, 2, 6, 6);
  const torch::Tensor out = crop_and_flip(images, longs({4, 4}), longs({4, 4}), torch::Tensor(), 4);
  EXPECT_TRUE(torch::equal(out, images));
}

TEST(Augment, CropIsAShiftedWindowWithZerosWherePaddingShows) {
  const int64_t p = 4, h = 8, w = 10;
  const torch::Tensor images = numbered_images(3, 2, h, w);
  // Image 0: top-left corner of the padded image (shift down-right by p); image 1: bottom-right
  // (shift up-left by p); image 2: one row down, three columns right of centre.
  const torch::Tensor out = crop_and_flip(images, longs({0, 2 * p, p + 1}), longs({0, 2 * p, p + 3}), {}, p);
  using torch::indexing::Slice;
  // 0: out[y, x] = in[y - p, x - p]
  EXPECT_TRUE(torch::equal(out[0].index({Slice(), Slice(p), Slice(p)}), images[0].index({Slice(), Slice(0, h - p), Slice(0, w - p)})));
  EXPECT_EQ(out[0].index({Slice(), Slice(0, p)}).count_nonzero().item<int64_t>(), 0);
  EXPECT_EQ(out[0].index({Slice(), Slice(), Slice(0, p)}).count_nonzero().item<int64_t>(), 0);
  // 1: out[y, x] = in[y + p, x + p]
  EXPECT_TRUE(torch::equal(out[1].index({Slice(), Slice(0, h - p), Slice(0, w - p)}), images[1].index({Slice(), Slice(p), Slice(p)})));
  EXPECT_EQ(out[1].index({Slice(), Slice(h - p)}).count_nonzero().item<int64_t>(), 0);
  EXPECT_EQ(out[1].index({Slice(), Slice(), Slice(w - p)}).count_nonzero().item<int64_t>(), 0);
  // 2: out[y, x] = in[y + 1, x + 3]
  EXPECT_TRUE(torch::equal(out[2].index({Slice(), Slice(0, h - 1), Slice(0, w - 3)}), images[2].index({Slice(), Slice(1), Slice(3)})));
  EXPECT_EQ(out[2].index({Slice(), Slice(h - 1)}).count_nonzero().item<int64_t>(), 0);
  EXPECT_EQ(out[2].index({Slice(), Slice(), Slice(w - 3)}).count_nonzero().item<int64_t>(), 0);
  // Every non-zero output pixel of a window that shows some image is a pixel of that image.
  EXPECT_EQ(out[2].count_nonzero().item<int64_t>(), 2 * (h - 1) * (w - 3));
}

TEST(Augment, CropThenFlipMirrorsTheShiftedWindow) {
  const torch::Tensor images = numbered_images(1, 1, 6, 6);
  const torch::Tensor cropped = crop_and_flip(images, longs({1}), longs({3}), {}, 2);
  const torch::Tensor both = crop_and_flip(images, longs({1}), longs({3}), longs({1}), 2);
  EXPECT_TRUE(torch::equal(both, cropped.flip({3})));
}

TEST(Augment, NormalizerAppliesPerChannelMeanAndStd) {
  const Normalizer normalize({0.5, 0.25}, {0.5, 0.125}, torch::kCPU);
  const torch::Tensor images = torch::full({1, 2, 1, 1}, 255, torch::kUInt8);
  const torch::Tensor out = normalize(images);
  EXPECT_EQ(out.scalar_type(), torch::kFloat);
  EXPECT_NEAR(out[0][0][0][0].item<float>(), (1.0 - 0.5) / 0.5, 1e-6);
  EXPECT_NEAR(out[0][1][0][0].item<float>(), (1.0 - 0.25) / 0.125, 1e-5);
  EXPECT_THROW(Normalizer({0.5}, {0.5, 0.5}, torch::kCPU), std::invalid_argument);
}

}  // namespace
}  // namespace ablate::data
