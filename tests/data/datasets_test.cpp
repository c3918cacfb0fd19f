#include "core/data/datasets.h"

#include <cstdlib>
#include <filesystem>
#include <set>

#include <gtest/gtest.h>

#include "core/data/idx.h"
#include "fixtures.h"

namespace ablate::data {
namespace {

using testing::expect_error;
using testing::TempDir;

std::vector<int64_t> class_counts(const Split& split, int64_t classes) {
  const torch::Tensor counts = torch::bincount(split.labels, {}, classes);
  return std::vector<int64_t>(counts.data_ptr<int64_t>(), counts.data_ptr<int64_t>() + classes);
}

// The installed Debian package (dataset-fashion-mnist; `make deps` installs it, so CI has it). Loaded once
// for the suite: inflating 30 MB takes about a second.
const Datasets& fashion_mnist() {
  static const Datasets loaded = [] {
    config::DataSpec spec;  // fashion-mnist is the default dataset; its root the package's
    return load_datasets(spec, 0);
  }();
  return loaded;
}

TEST(FashionMnist, LoadsTheOfficialSplitsBalanced) {
  const Datasets& d = fashion_mnist();
  EXPECT_EQ(d.root, std::getenv("ABLATE_DATA") ? std::string(std::getenv("ABLATE_DATA")) + "/fashion-mnist"
                                                : "/usr/share/datasets/fashion-mnist");
  EXPECT_EQ(d.train.images.sizes(), (std::vector<int64_t>{60000, 1, 28, 28}));
  EXPECT_EQ(d.test.images.sizes(), (std::vector<int64_t>{10000, 1, 28, 28}));
  EXPECT_EQ(d.train.images.scalar_type(), torch::kUInt8);
  EXPECT_EQ(class_counts(d.train, 10), std::vector<int64_t>(10, 6000));
  EXPECT_EQ(class_counts(d.test, 10), std::vector<int64_t>(10, 1000));
  EXPECT_TRUE(d.val.empty());
  EXPECT_EQ(&d.eval(), &d.test);
  EXPECT_EQ(d.num_classes, 10);
  EXPECT_EQ(d.channels, 1);
  EXPECT_EQ(d.image_size, 28);
  // Published Fashion-MNIST statistics: mean 0.2860, std 0.3530.
  ASSERT_EQ(d.mean.size(), 1u);
  EXPECT_NEAR(d.mean[0], 0.2860, 5e-4);
  EXPECT_NEAR(d.std[0], 0.3530, 5e-4);
  EXPECT_FALSE(d.normalization_given);
  EXPECT_EQ(d.files.size(), 4u);
  EXPECT_EQ(d.digest.size(), 64u);
}

TEST(FashionMnist, ValidationSplitAndSubsetAreStratifiedDisjointAndSeeded) {
  config::DataSpec spec;
  spec.val_size = 5000;
  spec.train_subset = 10000;
  const Datasets a = load_datasets(spec, 3);
  EXPECT_EQ(class_counts(a.val, 10), std::vector<int64_t>(10, 500));
  EXPECT_EQ(class_counts(a.train, 10), std::vector<int64_t>(10, 1000));
  EXPECT_EQ(&a.eval(), &a.val);
  EXPECT_EQ(a.test.size(), 10000);
  EXPECT_EQ(a.digest, fashion_mnist().digest);  // the same files were read
  EXPECT_EQ(describe(a), "fashion-mnist 1x28x28, 10 classes: train 10000, val 5000 (evaluated), test 10000; digest " +
                             a.digest.substr(0, 12));

  // Disjoint: no training image is also a validation image (compare image bytes via a hash per image).
  const auto hashes = [](const Split& s) {
    const torch::Tensor flat = s.images.view({s.size(), -1}).to(torch::kLong);
    const torch::Tensor weights = torch::arange(1, flat.size(1) + 1, torch::kLong);
    const torch::Tensor h = (flat * weights).sum(1) * 1000003 + (flat * weights * weights).sum(1);
    return std::vector<int64_t>(h.data_ptr<int64_t>(), h.data_ptr<int64_t>() + h.numel());
  };
  const auto val_hashes = hashes(a.val);
  const std::set<int64_t> val_set(val_hashes.begin(), val_hashes.end());
  int64_t shared = 0;
  for (int64_t h : hashes(a.train)) shared += val_set.count(h);
  EXPECT_LE(shared, 5);  // Fashion-MNIST has a handful of duplicate images; a leak would be thousands

  const Datasets same = load_datasets(spec, 3);
  EXPECT_TRUE(torch::equal(a.train.images, same.train.images));
  EXPECT_TRUE(torch::equal(a.val.labels, same.val.labels));
  const Datasets other = load_datasets(spec, 4);
  EXPECT_FALSE(torch::equal(a.train.images, other.train.images));
}

// A tiny MNIST-shaped dataset: 20 train / 10 test images, labels i % 10, image i filled with value i.
void write_mnist_fixture(const TempDir& dir, bool gzip) {
  const auto write = [&](const std::string& name, const IdxArray& array) {
    if (gzip) {
      testing::write_gz(dir.file(name + ".gz"), encode_idx(array));
    } else {
      testing::write_bytes(dir.file(name), encode_idx(array));
    }
  };
  for (const auto& [prefix, n] : {std::pair<std::string, int64_t>{"train", 20}, {"t10k", 10}}) {
    IdxArray images{{n, 28, 28}, {}}, labels{{n}, {}};
    for (int64_t i = 0; i < n; ++i) {
      images.values.insert(images.values.end(), 28 * 28, static_cast<uint8_t>(i));
      labels.values.push_back(static_cast<uint8_t>(i % 10));
    }
    write(prefix + "-images-idx3-ubyte", images);
    write(prefix + "-labels-idx1-ubyte", labels);
  }
}

TEST(Mnist, LoadsPlainOrGzipFixturesFromTheGivenRoot) {
  for (bool gzip : {false, true}) {
    TempDir dir;
    write_mnist_fixture(dir, gzip);
    config::DataSpec spec;
    spec.dataset = "mnist";
    spec.root = dir.path();
    const Datasets d = load_datasets(spec, 0);
    EXPECT_EQ(d.train.size(), 20) << gzip;
    EXPECT_EQ(d.test.size(), 10) << gzip;
    EXPECT_EQ(d.train.images[7].max().item<int>(), 7);
    EXPECT_EQ(d.train.labels[13].item<int64_t>(), 3);
    EXPECT_EQ(std::filesystem::path(d.files[0].path).filename().string(),
              gzip ? "train-images-idx3-ubyte.gz" : "train-images-idx3-ubyte");
  }
}

TEST(Mnist, MismatchedCountsAndBadLabelsAreNamed) {
  TempDir dir;
  write_mnist_fixture(dir, false);
  config::DataSpec spec;
  spec.dataset = "mnist";
  spec.root = dir.path();
  IdxArray labels{{19}, std::vector<uint8_t>(19, 0)};
  testing::write_bytes(dir.file("train-labels-idx1-ubyte"), encode_idx(labels));
  expect_error([&] { load_datasets(spec, 0); }, {"train-labels-idx1-ubyte", "expected 20 labels", "found 19"});
  labels = IdxArray{{20}, std::vector<uint8_t>(20, 0)};
  labels.values[11] = 10;
  testing::write_bytes(dir.file("train-labels-idx1-ubyte"), encode_idx(labels));
  expect_error([&] { load_datasets(spec, 0); }, {"label 10 at index 11", "expected 0..9"});
  std::filesystem::remove(dir.file("t10k-images-idx3-ubyte"));
  expect_error([&] { load_datasets(spec, 0); }, {dir.file("t10k-images-idx3-ubyte"), "no such file"});
}

TEST(Mnist, WrongImageSizeIsNamed) {
  TempDir dir;
  write_mnist_fixture(dir, false);
  IdxArray images{{20, 32, 32}, std::vector<uint8_t>(20 * 32 * 32, 0)};
  testing::write_bytes(dir.file("train-images-idx3-ubyte"), encode_idx(images));
  config::DataSpec spec;
  spec.dataset = "mnist";
  spec.root = dir.path();
  expect_error([&] { load_datasets(spec, 0); }, {"expected 28x28 images for mnist, found 32x32"});
}

TEST(Datasets, RootFallsBackToAblateDataEnvironment) {
  TempDir dir;
  const std::string root = dir.file("mnist");  // $ABLATE_DATA/<name>
  for (const auto& [prefix, n] : {std::pair<std::string, int64_t>{"train", 10}, {"t10k", 10}}) {
    IdxArray images{{n, 28, 28}, std::vector<uint8_t>(n * 784, 1)}, labels{{n}, {}};
    for (int64_t i = 0; i < n; ++i) labels.values.push_back(static_cast<uint8_t>(i));
    testing::write_bytes(root + "/" + prefix + "-images-idx3-ubyte", encode_idx(images));
    testing::write_bytes(root + "/" + prefix + "-labels-idx1-ubyte", encode_idx(labels));
  }
  const char* previous = std::getenv("ABLATE_DATA");
  const std::string saved = previous ? previous : "";
  setenv("ABLATE_DATA", dir.path().c_str(), 1);
  config::DataSpec spec;
  spec.dataset = "mnist";
  const Datasets d = load_datasets(spec, 0);
  if (previous) {
    setenv("ABLATE_DATA", saved.c_str(), 1);
  } else {
    unsetenv("ABLATE_DATA");
  }
  EXPECT_EQ(d.root, dir.file("mnist"));
  EXPECT_EQ(d.train.size(), 10);
}

TEST(Datasets, BadRequestsNameTheKey) {
  config::DataSpec spec;
  spec.dataset = "synthetic";
  spec.synthetic_train_size = 40;
  spec.synthetic_test_size = 10;
  spec.synthetic_image_size = 8;
  spec.synthetic_channels = 2;
  spec.synthetic_classes = 4;
  spec.train_subset = 41;
  expect_error([&] { load_datasets(spec, 0); }, {"data.train_subset", "40", "41"});
  spec.train_subset = 0;
  spec.val_size = 40;
  expect_error([&] { load_datasets(spec, 0); }, {"data.val_size", "40"});
  spec.val_size = 0;
  spec.mean = {0.5};
  spec.std = {0.5};
  expect_error([&] { load_datasets(spec, 0); }, {"data.mean", "expected 2 value(s)", "found 1"});
  spec.mean = {0.5, 0.5};
  spec.std = {0.5, 0.0};
  expect_error([&] { load_datasets(spec, 0); }, {"data.std", "positive"});
  spec.std = {0.5, 0.25};
  const Datasets d = load_datasets(spec, 0);
  EXPECT_TRUE(d.normalization_given);
  EXPECT_EQ(d.std, (std::vector<double>{0.5, 0.25}));
  spec.dataset = "imagenette";
  expect_error([&] { load_datasets(spec, 0); }, {"imagenette"});
}

TEST(Datasets, ChannelStatisticsMatchTorch) {
  const torch::Tensor images = torch::randint(0, 256, {7, 3, 5, 6}, torch::kUInt8);
  std::vector<double> mean, stddev;
  channel_statistics(images, mean, stddev);
  const torch::Tensor x = images.to(torch::kDouble) / 255.0;
  for (int c = 0; c < 3; ++c) {
    EXPECT_NEAR(mean[c], x.select(1, c).mean().item<double>(), 1e-12);
    EXPECT_NEAR(stddev[c], x.select(1, c).std(/*unbiased=*/false).item<double>(), 1e-9);
  }
}

}  // namespace
}  // namespace ablate::data

namespace ablate::data {
namespace {

TEST(Registry, ListsTheBuiltInsAndAcceptsAReplacementLoader) {
  EXPECT_EQ(registered_datasets(), (std::vector<std::string>{"cifar10", "cifar100", "fashion-mnist", "mnist", "synthetic"}));
  const DatasetLoader original = find_loader("mnist");
  register_dataset("mnist", [](const config::DataSpec&, const config::DatasetFacts& facts, const std::string&) {
    RawDataset raw;
    const auto labels = torch::arange(20, torch::kLong) % facts.classes;
    raw.train = Split{"train", torch::zeros({20, 1, 28, 28}, torch::kUInt8), labels};
    raw.test = Split{"test", torch::ones({10, 1, 28, 28}, torch::kUInt8), labels.narrow(0, 0, 10)};
    raw.generator = "in-memory mnist";
    return raw;
  });
  config::DataSpec spec;
  spec.dataset = "mnist";
  spec.root = "/nonexistent";
  const Datasets d = load_datasets(spec, 0);
  register_dataset("mnist", original);
  EXPECT_EQ(d.train.size(), 20);
  EXPECT_EQ(d.test.images.max().item<int>(), 1);
  testing::expect_error([&] { load_datasets(spec, 0); }, {"/nonexistent/train-images-idx3-ubyte"});
  testing::expect_error([&] { find_loader("imagenet"); }, {"no loader for \"imagenet\"", "cifar10, cifar100"});
}

}  // namespace
}  // namespace ablate::data
