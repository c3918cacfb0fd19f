// JPEG and PNG decoding: colour models to RGB, DCT-domain reductions, and the errors that name the file.
#include "core/data/image_decoder.h"

#include <gtest/gtest.h>

#include <cmath>

#include "fixtures.h"
#include "tests/support/image_tree.h"

namespace ablate::data {
namespace {

using ablate::testing::encode_jpeg;
using ablate::testing::encode_png;
using ablate::testing::filled;
using ablate::testing::Pixels;

RgbImage decode(const std::vector<uint8_t>& bytes, ScalingFactor scale = {}) {
  ImageDecoder decoder;
  const ImageHeader header = decoder.read_header(bytes.data(), bytes.size(), "mem");
  RgbImage image;
  decoder.decode(bytes.data(), bytes.size(), header, scale, image, "mem");
  return image;
}

double mean_abs_difference(const RgbImage& image, std::vector<int> rgb) {
  double sum = 0;
  for (size_t i = 0; i < image.pixels.size(); ++i) sum += std::abs(image.pixels[i] - rgb[i % 3]);
  return sum / static_cast<double>(image.pixels.size());
}

TEST(ImageDecoder, RgbJpegAtFullAndReducedSize) {
  const auto bytes = encode_jpeg(filled(100, 60, {200, 100, 30}));
  const RgbImage full = decode(bytes);
  EXPECT_EQ(full.width, 100);
  EXPECT_EQ(full.height, 60);
  ASSERT_EQ(full.pixels.size(), 100u * 60 * 3);
  EXPECT_LT(mean_abs_difference(full, {200, 100, 30}), 2.0);
  // 1/4 of 100 x 60, rounded up as libjpeg rounds.
  const RgbImage quarter = decode(bytes, {1, 4});
  EXPECT_EQ(quarter.width, 25);
  EXPECT_EQ(quarter.height, 15);
  EXPECT_LT(mean_abs_difference(quarter, {200, 100, 30}), 2.0);
}

TEST(ImageDecoder, OnlyThePowerOfTwoReductionsAreOffered) {
  std::vector<std::pair<int, int>> factors;
  for (const auto& f : ImageDecoder::jpeg_reductions()) factors.emplace_back(f.num, f.denom);
  EXPECT_EQ(factors, (std::vector<std::pair<int, int>>{{1, 2}, {1, 4}, {1, 8}}));
}

TEST(ImageDecoder, GrayscaleBecomesThreeEqualChannels) {
  Pixels gray = filled(40, 30, {0});
  for (int y = 0; y < 30; ++y) {
    for (int x = 0; x < 40; ++x) gray.at(x, y)[0] = static_cast<uint8_t>(x * 6);
  }
  const RgbImage image = decode(encode_jpeg(gray));
  ASSERT_EQ(image.pixels.size(), 40u * 30 * 3);
  for (size_t i = 0; i < image.pixels.size(); i += 3) {
    EXPECT_EQ(image.pixels[i], image.pixels[i + 1]);
    EXPECT_EQ(image.pixels[i], image.pixels[i + 2]);
  }
  EXPECT_NEAR(image.pixels[(15 * 40 + 20) * 3], 120, 4);
}

TEST(ImageDecoder, CmykBecomesRgbAsPillowConvertsIt) {
  // Stored (Adobe-inverted) C, M, Y, K = 215, 155, 95, 195: Pillow gives R = C*K/255 = 164, G = 119, B = 73.
  const RgbImage image = decode(encode_jpeg(filled(32, 32, {215, 155, 95, 195})));
  ASSERT_EQ(image.pixels.size(), 32u * 32 * 3);
  EXPECT_LT(mean_abs_difference(image, {164, 119, 73}), 2.0);
}

TEST(ImageDecoder, PngIsDecodedByContentWhateverItsName) {
  Pixels p = filled(20, 10, {10, 20, 30});
  p.at(3, 4)[0] = 250;
  const auto bytes = encode_png(p);
  ImageDecoder decoder;
  const ImageHeader header = decoder.read_header(bytes.data(), bytes.size(), "n02105855_2933.JPEG");
  EXPECT_EQ(header.format, ImageFormat::png);
  const RgbImage image = decode(bytes);
  ASSERT_EQ(image.width, 20);
  EXPECT_EQ(image.pixels, p.data);  // lossless
}

TEST(ImageDecoder, DamagedAndForeignFilesNameThePathAndTheReason) {
  testing::TempDir dir;
  const auto good = encode_jpeg(ablate::testing::class_image(120, 90, 1, 0));
  const std::vector<uint8_t> truncated(good.begin(), good.begin() + static_cast<long>(good.size() / 2));
  const std::string text = "not an image at all\n";
  const std::vector<uint8_t> text_bytes(text.begin(), text.end());
  const std::vector<uint8_t> bmp = {'B', 'M', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

  ImageDecoder decoder;
  RgbImage image;
  const auto decode_file = [&](const std::vector<uint8_t>& bytes, const std::string& path) {
    const ImageHeader header = decoder.read_header(bytes.data(), bytes.size(), path);
    decoder.decode(bytes.data(), bytes.size(), header, {}, image, path);
  };
  testing::expect_error([&] { decode_file(truncated, "train/a/cut.JPEG"); },
                        {"train/a/cut.JPEG", "libjpeg-turbo", "Premature end of JPEG file"});
  testing::expect_error([&] { decode_file(text_bytes, "train/a/notes.JPEG"); },
                        {"train/a/notes.JPEG", "libjpeg-turbo", "Not a JPEG file"});
  testing::expect_error([&] { decode_file(bmp, "train/a/x.jpg"); }, {"train/a/x.jpg", "BMP", "JPEG and PNG"});
  testing::expect_error([&] { decode_file({}, "train/a/empty.jpg"); }, {"train/a/empty.jpg", "empty file"});
  // The decoder is still usable after errors.
  decode_file(good, "ok.jpg");
  EXPECT_EQ(image.width, 120);
}

}  // namespace
}  // namespace ablate::data
