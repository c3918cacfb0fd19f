#include "core/data/cifar.h"

#include <gtest/gtest.h>

#include "core/config/run_spec.h"
#include "core/data/datasets.h"
#include "fixtures.h"

namespace ablate::data {
namespace {

using testing::expect_error;
using testing::TempDir;

// `count` records; record i has label labels[i % labels.size()] (cifar-100: coarse = fine / 5) and
// pixel p of it equals (i + p) mod 251, so any misplaced byte shows.
std::vector<uint8_t> cifar_records(int count, const std::vector<int>& labels, bool cifar100, int first = 0) {
  std::vector<uint8_t> bytes;
  for (int i = 0; i < count; ++i) {
    const int fine = labels[i % labels.size()];
    if (cifar100) bytes.push_back(static_cast<uint8_t>(fine / 5));
    bytes.push_back(static_cast<uint8_t>(fine));
    for (int p = 0; p < 3072; ++p) bytes.push_back(static_cast<uint8_t>((first + i + p) % 251));
  }
  return bytes;
}

TEST(Cifar, ReadsRecordsInChannelMajorOrder) {
  TempDir dir;
  testing::write_bytes(dir.file("batch.bin"), cifar_records(3, {7, 2, 9}, false));
  const CifarArray array = read_cifar(dir.file("batch.bin"), cifar10_layout());
  ASSERT_EQ(array.count, 3);
  EXPECT_EQ(array.labels, (std::vector<int64_t>{7, 2, 9}));
  ASSERT_EQ(array.pixels.size(), 3u * 3072u);
  EXPECT_EQ(array.pixels[0], 0);
  EXPECT_EQ(array.pixels[3072 + 1024], (1 + 1024) % 251);  // record 1, first green pixel
}

TEST(Cifar, Cifar100KeepsFineOrCoarseLabels) {
  TempDir dir;
  testing::write_bytes(dir.file("train.bin"), cifar_records(2, {99, 42}, true));
  EXPECT_EQ(read_cifar(dir.file("train.bin"), cifar100_layout(true)).labels, (std::vector<int64_t>{99, 42}));
  EXPECT_EQ(read_cifar(dir.file("train.bin"), cifar100_layout(false)).labels, (std::vector<int64_t>{19, 8}));
}

TEST(Cifar, TruncatedOrEmptyFileNamesTheRecordSize) {
  TempDir dir;
  std::vector<uint8_t> bytes = cifar_records(2, {1}, false);
  bytes.resize(1024);
  testing::write_bytes(dir.file("cut.bin"), bytes);
  expect_error([&] { read_cifar(dir.file("cut.bin"), cifar10_layout()); },
               {dir.file("cut.bin"), "multiple of 3073 bytes", "found 1024 bytes"});
  testing::write_bytes(dir.file("empty.bin"), {});
  expect_error([&] { read_cifar(dir.file("empty.bin"), cifar10_layout()); }, {"found 0 bytes"});
  testing::write_bytes(dir.file("c100.bin"), cifar_records(1, {3}, false));  // a cifar-10 record
  expect_error([&] { read_cifar(dir.file("c100.bin"), cifar100_layout(true)); }, {"multiple of 3074 bytes"});
}

TEST(Cifar, LabelOutOfRangeIsNamed) {
  TempDir dir;
  testing::write_bytes(dir.file("bad.bin"), cifar_records(3, {1, 1, 10}, false));
  expect_error([&] { read_cifar(dir.file("bad.bin"), cifar10_layout()); },
               {dir.file("bad.bin"), "record 2", "label 10", "expected 0..9"});
}

TEST(Cifar, Cifar10DatasetJoinsTheFiveBatchesFromTheArchiveFolder) {
  TempDir dir;
  const std::string folder = dir.file("cifar-10-batches-bin");  // as the official archive unpacks
  for (int b = 1; b <= 5; ++b) {
    testing::write_bytes(folder + "/data_batch_" + std::to_string(b) + ".bin",
                         cifar_records(4, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, false, 100 * b));
  }
  testing::write_bytes(folder + "/test_batch.bin", cifar_records(10, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, false));
  config::DataSpec spec;
  spec.dataset = "cifar10";
  spec.root = dir.path();
  const Datasets d = load_datasets(spec, 0);
  EXPECT_EQ(d.num_classes, 10);
  EXPECT_EQ(d.channels, 3);
  EXPECT_EQ(d.image_size, 32);
  EXPECT_EQ(d.train.images.sizes(), (std::vector<int64_t>{20, 3, 32, 32}));
  EXPECT_EQ(d.test.size(), 10);
  EXPECT_EQ(d.train.images[4][0][0][0].item<int>(), 200 % 251);  // first image of batch 2
  EXPECT_EQ(d.files.size(), 6u);
  EXPECT_EQ(d.digest.size(), 64u);
}

TEST(Cifar, Cifar100DatasetHonoursLabelKind) {
  TempDir dir;
  testing::write_bytes(dir.file("train.bin"), cifar_records(6, {0, 99, 50}, true));
  testing::write_bytes(dir.file("test.bin"), cifar_records(3, {0, 99, 50}, true));
  config::DataSpec spec;
  spec.dataset = "cifar100";
  spec.root = dir.path();
  Datasets fine = load_datasets(spec, 0);
  EXPECT_EQ(fine.num_classes, 100);
  EXPECT_EQ(fine.train.labels[1].item<int64_t>(), 99);
  spec.label_kind = "coarse";
  Datasets coarse = load_datasets(spec, 0);
  EXPECT_EQ(coarse.num_classes, 20);
  EXPECT_EQ(coarse.train.labels[1].item<int64_t>(), 19);
  spec.label_kind = "medium";
  expect_error([&] { load_datasets(spec, 0); }, {"data.label_kind", "medium"});
}

TEST(Cifar, MissingFilesNameBothPlacesTried) {
  TempDir dir;
  config::DataSpec spec;
  spec.dataset = "cifar10";
  spec.root = dir.path();
  expect_error([&] { load_datasets(spec, 0); }, {dir.file("data_batch_1.bin"), "cifar-10-batches-bin"});
}

}  // namespace
}  // namespace ablate::data
