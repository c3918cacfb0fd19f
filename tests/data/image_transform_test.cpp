// torchvision's ImageNet transforms: RandomResizedCrop's window rule, the evaluation resize + centre crop
// (exact size, the image's centre in the middle), flips, and when a JPEG is decoded at reduced size.
#include "core/data/image_transform.h"

#include <gtest/gtest.h>

#include <cmath>

#include "tests/support/image_tree.h"

namespace ablate::data {
namespace {

namespace images = ablate::testing;  // the files the tests encode

std::vector<uint8_t> transform(const std::vector<uint8_t>& bytes, const TransformOptions& options, uint64_t seed = 0) {
  ImageTransformer t(options);
  std::vector<uint8_t> out(static_cast<size_t>(options.size * options.size * 3));
  t(bytes.data(), bytes.size(), "mem.jpg", seed, out.data());
  return out;
}

const uint8_t* pixel(const std::vector<uint8_t>& image, int64_t side, int64_t x, int64_t y) {
  return image.data() + (y * side + x) * 3;
}

TEST(RandomResizedCrop, WindowsFitTheImageWithinTheScaleAndRatioRanges) {
  Rng rng(7);
  int64_t fallbacks = 0;
  for (int i = 0; i < 2000; ++i) {
    const int64_t width = 50 + i % 400, height = 40 + (i * 7) % 300;
    const CropWindow w = random_resized_crop_window(width, height, rng);
    ASSERT_GE(w.top, 0);
    ASSERT_GE(w.left, 0);
    ASSERT_LE(w.top + w.height, height);
    ASSERT_LE(w.left + w.width, width);
    const double area = static_cast<double>(w.width * w.height) / static_cast<double>(width * height);
    const double ratio = static_cast<double>(w.width) / static_cast<double>(w.height);
    if (w.width == width || w.height == height) {
      ++fallbacks;
      continue;
    }
    // Rounding w and h to integers moves both by up to half a pixel.
    EXPECT_GE(area, 0.08 * 0.9);
    EXPECT_GE(ratio, 0.75 * 0.9);
    EXPECT_LE(ratio, 4.0 / 3.0 * 1.1);
  }
  EXPECT_LT(fallbacks, 200);
}

TEST(RandomResizedCrop, FallsBackToTheCentreClampedToTheRatioRange) {
  // A 1000x10 strip: no draw of ratio <= 4/3 fits 10 rows at >= 8% of the area, so the fallback is the
  // centre 13x10 (round(10 * 4/3)).
  Rng rng(1);
  const CropWindow w = random_resized_crop_window(1000, 10, rng);
  EXPECT_EQ(w.height, 10);
  EXPECT_EQ(w.width, 13);
  EXPECT_EQ(w.left, (1000 - 13) / 2);
  EXPECT_EQ(w.top, 0);
}

TEST(ImageTransform, EvalGivesTheExactSizeWithTheImagesCentreInTheMiddle) {
  // 400x300 grey with a red 100x100 square in the middle and a blue left border: Resize(256) makes it
  // 341x256, CenterCrop(224) keeps the square in the middle and cuts the border off.
  images::Pixels p = images::filled(400, 300, {128, 128, 128});
  for (int y = 100; y < 200; ++y) {
    for (int x = 150; x < 250; ++x) {
      p.at(x, y)[0] = 230;
      p.at(x, y)[1] = 20;
      p.at(x, y)[2] = 20;
    }
  }
  for (int y = 0; y < 300; ++y) {
    for (int x = 0; x < 40; ++x) p.at(x, y)[2] = 255;
  }
  for (const bool dct : {false, true}) {
    TransformOptions options;
    options.dct_scaling = dct;
    const auto out = transform(images::encode_png(p), options);  // PNG: lossless, so exact expectations hold
    ASSERT_EQ(out.size(), 224u * 224 * 3);
    const uint8_t* centre = pixel(out, 224, 112, 112);
    EXPECT_EQ(centre[0], 230);
    EXPECT_EQ(centre[1], 20);
    // The square spans 256/300 * 100 = 85 px around the centre.
    EXPECT_EQ(pixel(out, 224, 112 - 40, 112)[0], 230);
    EXPECT_EQ(pixel(out, 224, 112 + 40, 112 + 40)[0], 230);
    EXPECT_EQ(pixel(out, 224, 112 - 45, 112)[0], 128);
    EXPECT_EQ(pixel(out, 224, 0, 0)[2], 128);  // the border was 34 px wide after resizing, 58 px were cut
  }
  // The same picture as a JPEG: the same layout, within JPEG's error.
  const auto jpeg = transform(images::encode_jpeg(p, 95), TransformOptions());
  ASSERT_EQ(jpeg.size(), 224u * 224 * 3);
  EXPECT_NEAR(pixel(jpeg, 224, 112, 112)[0], 230, 6);
  EXPECT_NEAR(pixel(jpeg, 224, 112, 112)[1], 20, 6);
  EXPECT_NEAR(pixel(jpeg, 224, 112 - 45, 112)[0], 128, 6);
  EXPECT_NEAR(pixel(jpeg, 224, 0, 0)[2], 128, 6);
}

TEST(ImageTransform, EvalResizeFollowsTheOutputSize) {
  TransformOptions options;
  options.size = 64;  // resize = round(64 * 256 / 224) = 73
  const auto out = transform(images::encode_jpeg(images::filled(90, 120, {10, 200, 100})), options);
  EXPECT_EQ(out.size(), 64u * 64 * 3);
  EXPECT_NEAR(pixel(out, 64, 32, 32)[1], 200, 3);
}

TEST(ImageTransform, TrainDrawsAreAFunctionOfTheSeedAndFlipsMirror) {
  const auto bytes = images::encode_jpeg(images::class_image(300, 200, 2, 5));
  TransformOptions options;
  options.train = true;
  options.size = 96;
  EXPECT_EQ(transform(bytes, options, 11), transform(bytes, options, 11));
  EXPECT_NE(transform(bytes, options, 11), transform(bytes, options, 12));

  // Find a seed whose crop is mirrored; without flips the same draw gives the mirror image.
  for (uint64_t seed = 0; seed < 50; ++seed) {
    Rng rng(seed);
    const TransformPlan plan = plan_transform(options, 300, 200, ImageFormat::jpeg, &rng);
    if (!plan.mirror) continue;
    TransformOptions no_flip = options;
    no_flip.flip = false;
    const auto flipped = transform(bytes, options, seed), plain = transform(bytes, no_flip, seed);
    for (int64_t y = 0; y < 96; y += 17) {
      for (int64_t x = 0; x < 96; x += 13) {
        for (int c = 0; c < 3; ++c) EXPECT_EQ(pixel(flipped, 96, x, y)[c], pixel(plain, 96, 95 - x, y)[c]);
      }
    }
    return;
  }
  FAIL() << "no mirrored draw in 50 seeds";
}

TEST(ImageTransform, BigJpegsDecodeAtAReductionSmallCropsDoNot) {
  TransformOptions eval;
  // 2000x1500 resized to 341x256: 1/4 (500x375) still covers it, 1/8 (250x188) does not.
  Rng unused(0);
  TransformPlan plan = plan_transform(eval, 2000, 1500, ImageFormat::jpeg, &unused);
  EXPECT_EQ(plan.scale.denom, 4);
  EXPECT_NEAR(plan.box.width(), 224.0 * 500 / 341, 1e-9);
  // The same image as a PNG, or with scaling off, is decoded whole.
  EXPECT_EQ(plan_transform(eval, 2000, 1500, ImageFormat::png, &unused).scale.denom, 1);
  eval.dct_scaling = false;
  EXPECT_EQ(plan_transform(eval, 2000, 1500, ImageFormat::jpeg, &unused).scale.denom, 1);
  // 500x375 needs its full size for 341x256.
  eval.dct_scaling = true;
  EXPECT_EQ(plan_transform(eval, 500, 375, ImageFormat::jpeg, &unused).scale.denom, 1);

  TransformOptions train;
  train.train = true;
  for (uint64_t seed = 0; seed < 200; ++seed) {
    Rng rng(seed);
    const TransformPlan p = plan_transform(train, 2000, 1500, ImageFormat::jpeg, &rng);
    // The reduced crop is never smaller than the output: nothing is upsampled that a full decode would not.
    EXPECT_GE(p.box.width(), 224.0 - 1e-9);
    EXPECT_GE(p.box.height(), 224.0 - 1e-9);
    if (p.scale.denom > 1 && p.scale.denom < 8) {  // the smallest reduction that fits: half of it would not
      EXPECT_LT(std::min(p.box.width(), p.box.height()) / 2, 224.0 + 1.0) << "seed " << seed;
    }
  }
}

TEST(ImageTransform, ADecodeReductionChangesPixelsOnlySlightly) {
  const auto bytes = images::encode_jpeg(images::class_image(1200, 900, 3, 1));
  TransformOptions exact;
  exact.dct_scaling = false;
  TransformOptions reduced;
  const auto a = transform(bytes, exact), b = transform(bytes, reduced);
  double diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff += std::abs(a[i] - b[i]);
  EXPECT_LT(diff / static_cast<double>(a.size()), 4.0);
}

}  // namespace
}  // namespace ablate::data
