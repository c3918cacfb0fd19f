// Dataset imagenet in the config: the model's classes follow the tree's class folders (or data.classes), the
// crop size follows data.image_size, the pipeline's keys are checked, and only the keys that change
// results are part of the run key (so adding them changed no other dataset's run keys).
#include <gtest/gtest.h>

#include <filesystem>

#include "core/config/expand.h"
#include "core/config/experiment.h"
#include "core/config/image_folder_classes.h"
#include "tests/config/config_test_util.h"

namespace ablate::config {
namespace {

namespace fs = std::filesystem;
using testing::config_error_of;
using testing::TempDir;

// An ImageFolder tree of class folders only (expansion never reads images).
std::string tree_with(const TempDir& dir, const std::vector<std::string>& classes) {
  for (const auto& c : classes) fs::create_directories(fs::path(dir.path()) / "tree" / "train" / c);
  return (fs::path(dir.path()) / "tree").string();
}

std::vector<RunSpec> expand_file(const TempDir& dir, const std::string& data, const std::vector<std::string>& sets = {}) {
  const std::string yaml = "name: t\nbase:\n  model: {stem: imagenet, blocks: [1, 1], base_channels: 8}\n  data: " + data +
                           "\nvariants:\n  - name: v\n";
  return expand(load_experiment(dir.write("x.yaml", yaml)), "", sets);
}

TEST(ImageNetConfig, ClassesFollowTheTreeAndImageSizeTheCrop) {
  TempDir dir;
  const std::string root = tree_with(dir, {"n01", "n02", "n03"});
  const RunSpec run = expand_file(dir, "{dataset: imagenet, root: " + root + ", image_size: 96}")[0];
  EXPECT_EQ(run.model.options.num_classes(), 3);
  EXPECT_EQ(run.model.options.input_channels(), 3);
  EXPECT_EQ(run.model.image_size, 96);
  EXPECT_EQ(run.data.image_size, 96);
  EXPECT_EQ(run.data.on_bad_image, "fail");

  const RunSpec two = expand_file(dir, "{dataset: imagenet, root: " + root + ", classes: 2}")[0];
  EXPECT_EQ(two.model.options.num_classes(), 2);
  EXPECT_EQ(two.model.image_size, 224);  // the default crop
  EXPECT_EQ(class_count(two.data), 2);

  // No tree: the paper's 1000 classes (or data.classes), so the paper's settings expand without the data.
  const RunSpec missing = expand_file(dir, "{dataset: imagenet, root: " + dir.path() + "/none}")[0];
  EXPECT_EQ(missing.model.options.num_classes(), 1000);
}

TEST(ImageNetConfig, KeysThatDoNotFitAreLocatedErrors) {
  TempDir dir;
  const std::string root = tree_with(dir, {"n01", "n02", "n03"});
  const std::string data = "{dataset: imagenet, root: " + root;
  EXPECT_NE(config_error_of([&] { expand_file(dir, data + ", classes: 5}"); })
                .find("x.yaml:4:" ),
            std::string::npos);
  EXPECT_NE(config_error_of([&] { expand_file(dir, data + ", classes: 5}"); })
                .find("base.data.classes: expected at most the 3 class folders of " + root + "/train, found 5"),
            std::string::npos);
  EXPECT_NE(config_error_of([&] { expand_file(dir, data + ", on_bad_image: ignore}"); })
                .find("base.data.on_bad_image: expected one of fail | skip"),
            std::string::npos);
  EXPECT_NE(config_error_of([&] { expand_file(dir, data + ", image_size: 16}"); }).find("base.data.image_size"),
            std::string::npos);
  EXPECT_NE(config_error_of([&] { expand_file(dir, data + ", crop_padding: 4}"); })
                .find("base.data.crop_padding: expected 0 for imagenet"),
            std::string::npos);
  EXPECT_NE(config_error_of([&] { expand_file(dir, data + ", workers: -1}"); }).find("base.data.workers"),
            std::string::npos);
  fs::create_directories(fs::path(dir.path()) / "empty" / "train");
  EXPECT_NE(config_error_of([&] { expand_file(dir, "{dataset: imagenet, root: " + dir.path() + "/empty}"); })
                .find("has no class folders"),
            std::string::npos);
  // A pinned num_classes other than the tree's classes is refused as for every dataset (one rule: equal).
  for (const char* pinned : {"model.num_classes=2", "model.num_classes=4"}) {
    EXPECT_NE(config_error_of([&] { expand_file(dir, data + "}", {pinned}); })
                  .find("model.num_classes: expected 3 (the classes of imagenet; or leave num_classes out), got "),
              std::string::npos)
        << pinned;
  }
}

TEST(ImageNetConfig, RunKeysChangeWithWhatChangesResultsOnly) {
  TempDir dir;
  const std::string root = tree_with(dir, {"a", "b", "c", "d"});
  const std::string data = "{dataset: imagenet, root: " + root + "}";
  const std::string base = expand_file(dir, data)[0].run_key;
  for (const std::string change : {"data.classes=3", "data.image_size=128", "data.on_bad_image=skip",
                                   "data.horizontal_flip=true", "data.train_subset=8"}) {
    EXPECT_NE(expand_file(dir, data, {change})[0].run_key, base) << change;
  }
  for (const std::string& placement : std::vector<std::string>{"data.workers=7", "data.root=" + root + "/."}) {
    EXPECT_EQ(expand_file(dir, data, {placement})[0].run_key, base) << placement;
  }
  // The other datasets' canonical form has none of the pipeline's keys: their run keys are as before.
  const RunSpec fashion = expand_file(dir, data, {"data.dataset=fashion-mnist", "data.image_size=64",
                                                  "data.classes=2", "data.on_bad_image=skip"})[0];
  for (const char* key : {"\"classes\"", "\"image_size\":64", "\"on_bad_image\"", "\"workers\""}) {
    EXPECT_EQ(fashion.canonical.find(key), std::string::npos) << key << " in " << fashion.canonical;
  }
  EXPECT_EQ(fashion.model.image_size, 28);
}

}  // namespace
}  // namespace ablate::config
