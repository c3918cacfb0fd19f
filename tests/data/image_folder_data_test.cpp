// A DataSpec of dataset imagenet -> the images a run uses: classes, per-class subsets, carved validation,
// and clear errors for a missing or misshapen tree.
#include "core/data/image_folder_data.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/config/image_folder_classes.h"
#include "fixtures.h"
#include "tests/support/image_tree.h"

namespace ablate::data {
namespace {

namespace fs = std::filesystem;

config::DataSpec imagenet_at(const std::string& root) {
  config::DataSpec spec;
  spec.dataset = "imagenet";
  spec.root = root;
  spec.image_size = 224;
  return spec;
}

// Four classes, 6 train and 2 val images each; file contents do not matter here (nothing is decoded).
void write_tree(const fs::path& root) {
  for (const char* c : {"n01", "n02", "n03", "n04"}) {
    for (int i = 0; i < 6; ++i) testing::write_bytes((root / "train" / c / (std::to_string(i) + ".JPEG")).string(), {1});
    for (int i = 0; i < 2; ++i) testing::write_bytes((root / "val" / c / (std::to_string(i) + ".JPEG")).string(), {1});
  }
}

std::vector<int64_t> per_class(const ImageList& images, int64_t classes) {
  std::vector<int64_t> counts(static_cast<size_t>(classes), 0);
  for (int64_t label : images.labels()) ++counts[static_cast<size_t>(label)];
  return counts;
}

TEST(ImageFolderData, TheWholeTreeByDefault) {
  testing::TempDir dir;
  write_tree(dir.path());
  const ImageFolderData d = load_image_folder_data(imagenet_at(dir.path()), 0);
  EXPECT_EQ(d.classes, (std::vector<std::string>{"n01", "n02", "n03", "n04"}));
  EXPECT_EQ(d.train.size(), 24);
  EXPECT_EQ(d.eval.size(), 8);
  EXPECT_EQ(d.eval_name, "val");
  EXPECT_EQ(d.mean, imagenet_mean());
  EXPECT_EQ(d.digest.size(), 64u);
  EXPECT_NE(describe(d).find("4 classes, train 24, val 8"), std::string::npos) << describe(d);
  EXPECT_EQ(config::class_count(imagenet_at(dir.path())), 4);
}

TEST(ImageFolderData, FirstClassesAndAnEqualSubsetPerClass) {
  testing::TempDir dir;
  write_tree(dir.path());
  config::DataSpec spec = imagenet_at(dir.path());
  spec.classes = 3;
  spec.train_subset = 12;
  const ImageFolderData d = load_image_folder_data(spec, 7);
  EXPECT_EQ(d.classes, (std::vector<std::string>{"n01", "n02", "n03"}));
  EXPECT_EQ(per_class(d.train, 3), (std::vector<int64_t>{4, 4, 4}));
  EXPECT_EQ(per_class(d.eval, 3), (std::vector<int64_t>{2, 2, 2}));
  EXPECT_EQ(config::class_count(spec), 3);
  // The subset is a function of the seed; another seed draws another one.
  EXPECT_EQ(load_image_folder_data(spec, 7).digest, d.digest);
  EXPECT_NE(load_image_folder_data(spec, 8).digest, d.digest);
}

TEST(ImageFolderData, ValSizeCarvesAValidationSplitFromTrain) {
  testing::TempDir dir;
  write_tree(dir.path());
  config::DataSpec spec = imagenet_at(dir.path());
  spec.val_size = 8;
  const ImageFolderData d = load_image_folder_data(spec, 0);
  EXPECT_EQ(d.eval_name, "val (carved from train)");
  EXPECT_EQ(d.eval_dir, d.train_dir);
  EXPECT_EQ(per_class(d.eval, 4), (std::vector<int64_t>{2, 2, 2, 2}));
  EXPECT_EQ(d.train.size(), 16);
}

TEST(ImageFolderData, AMissingTreeSaysWhereItLookedAndHowToPointAtACopy) {
  testing::TempDir dir;
  const std::string root = (fs::path(dir.path()) / "nowhere").string();
  testing::expect_error([&] { load_image_folder_data(imagenet_at(root), 0); },
                        {root + "/train: no such folder", "ImageFolder", "--set data.root=DIR", "ABLATE_DATA"});
  // The paper's settings still expand without the data: 1000 classes.
  EXPECT_EQ(config::class_count(imagenet_at(root)), config::kImageNetClasses);
}

TEST(ImageFolderData, MisshapenTreesAreNamed) {
  testing::TempDir dir;
  const fs::path root = dir.path();
  testing::write_bytes((root / "train/a/1.JPEG").string(), {1});
  testing::write_bytes((root / "val/ILSVRC2012_val_00000001.JPEG").string(), {1});
  testing::expect_error([&] { load_image_folder_data(imagenet_at(root.string()), 0); },
                        {"val: no class folders (1 files lie directly in it)", "valprep.sh"});
  testing::write_bytes((root / "val/zebra/1.JPEG").string(), {1});
  testing::expect_error([&] { load_image_folder_data(imagenet_at(root.string()), 0); },
                        {"class folder \"zebra\" has no counterpart", "train"});

  config::DataSpec too_many = imagenet_at(root.string());
  too_many.classes = 5;
  testing::expect_error([&] { config::class_count(too_many); }, {"data.classes", "at most the 1 class folders", "5"});
}

TEST(ImageFolderData, EmptyClassFoldersAndStrayFilesAreWarnedAbout) {
  testing::TempDir dir;
  write_tree(dir.path());
  fs::create_directories(fs::path(dir.path()) / "train" / "n05");
  testing::write_bytes((fs::path(dir.path()) / "train/n01/README.txt").string(), {1});
  const ImageFolderData d = load_image_folder_data(imagenet_at(dir.path()), 0);
  EXPECT_EQ(d.classes.size(), 5u);  // an empty folder is still a class, as for torchvision's labels
  ASSERT_EQ(d.warnings.size(), 2u);
  EXPECT_NE(d.warnings[0].find("1 class folder without images (first: n05)"), std::string::npos) << d.warnings[0];
  EXPECT_NE(d.warnings[1].find("n01/README.txt"), std::string::npos) << d.warnings[1];
}

}  // namespace
}  // namespace ablate::data
