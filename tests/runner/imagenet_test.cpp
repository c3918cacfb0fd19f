// Dataset imagenet end to end, through the real executable, on ImageFolder trees the tests write: `ablate
// data check`, a tiny ResNeXt trained by `ablate run`, the paper's cardinality experiment on a generated
// tree, bad images failing a run or skipped, and the paper's settings without data failing only for the data.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "results/store.h"
#include "tests/support/image_tree.h"
#include "tests/support/run_command.h"
#include "tests/support/temp_path.h"

namespace ablate {
namespace {

namespace fs = std::filesystem;
using testing::ablate_command;
using testing::run_command;

using testing::quoted;
std::string experiments() { return quoted(fs::path(ABLATE_SOURCE_DIR) / "experiments"); }

const std::vector<std::string> kClasses = {"ant", "bee", "cat"};

class ImageNetCommands : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::unique_temp_path("imagenet_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    tree_ = dir_ / "tree";
  }
  void TearDown() override { fs::remove_all(dir_); }

  // The store options of one test: its own database and checkpoints.
  std::string store_options(const std::string& db = "r.db") const {
    return " --db " + quoted(dir_ / db) + " --checkpoints " + quoted(dir_ / (db + ".ckpt"));
  }

  fs::path dir_, tree_;
};

// Small enough to train in seconds: two stages of one ResNeXt block on 64 px crops.
constexpr const char* kTinyExperiment = R"(name: tiny-imagenet
title: "A tiny ResNeXt on a generated ImageFolder tree"
base:
  model: {stem: imagenet, blocks: [1, 1], base_channels: 8, stem_channels: 8, cardinality: 2, bottleneck_width: 4}
  data: {dataset: imagenet, horizontal_flip: true, image_size: 64, workers: 2}
  train: {epochs: 3, batch_size: 6, eval_batch_size: 8, lr: 0.05, weight_decay: 1.0e-4, schedule: {kind: cosine}}
variants:
  - name: ResNeXt tiny
)";

TEST_F(ImageNetCommands, DataCheckReportsClassesImagesAndEveryBadFile) {
  testing::write_class_tree(tree_, kClasses, 4, 2);
  // What ILSVRC-2012 and real folders hold besides plain RGB JPEGs.
  testing::write_file(tree_ / "train/ant/gray.JPEG", testing::encode_jpeg(testing::filled(40, 30, {90})));
  testing::write_file(tree_ / "train/bee/cmyk.JPEG", testing::encode_jpeg(testing::filled(40, 30, {10, 200, 30, 220})));
  testing::write_file(tree_ / "train/bee/png_named.JPEG", testing::encode_png(testing::filled(40, 30, {1, 2, 3})));
  const auto good = testing::encode_jpeg(testing::class_image(200, 150, 2, 0));
  testing::write_file(tree_ / "train/cat/cut.JPEG", std::vector<uint8_t>(good.begin(), good.begin() + good.size() * 2 / 3));
  testing::write_file(tree_ / "val/cat/text.JPEG", {'h', 'e', 'l', 'l', 'o', '\n'});
  testing::write_file(tree_ / "train/ant/notes.txt", {'x'});
  fs::create_directories(tree_ / "train" / "dog");

  const std::string check = ablate_command("data check imagenet --root " + quoted(tree_));
  const testing::CommandResult bad = run_command(check);
  EXPECT_EQ(bad.status, 1) << bad.output;
  for (const std::string expected :
       {"train: 4 classes, 16 images (0 to 6 per class)", "val:   3 classes, 7 images (2 to 3 per class)",
        "classes: ant, bee, cat, dog", "class folders without images (1):\n  train/dog",
        "files left out (not an image by extension, as for torchvision) (1):\n  train/ant/notes.txt",
        "unreadable images", "train/cat/cut.JPEG: cannot decode JPEG (libjpeg-turbo: Premature end of JPEG file)",
        "val/cat/text.JPEG: cannot decode JPEG (libjpeg-turbo: Not a JPEG file",
        "full ILSVRC-2012: no (4 training classes, not 1,000; 16 training images, not 1,281,167;",
        "2 unreadable images)", "usable for a run: no", "(written now)"}) {
    EXPECT_NE(bad.output.find(expected), std::string::npos) << "missing: " << expected << "\n" << bad.output;
  }
  // Grayscale, CMYK and a PNG named .JPEG decode: only the two bad files are listed.
  EXPECT_EQ(bad.output.find("gray.JPEG"), std::string::npos) << bad.output;
  EXPECT_EQ(bad.output.find("cmyk.JPEG"), std::string::npos) << bad.output;
  EXPECT_EQ(bad.output.find("png_named.JPEG"), std::string::npos) << bad.output;

  fs::remove(tree_ / "train/cat/cut.JPEG");
  fs::remove(tree_ / "val/cat/text.JPEG");
  const testing::CommandResult fixed = run_command(check);
  EXPECT_EQ(fixed.status, 0) << fixed.output;
  EXPECT_NE(fixed.output.find("usable for a run: yes"), std::string::npos) << fixed.output;
  const testing::CommandResult again = run_command(check);
  EXPECT_NE(again.output.find("(reused: the tree is unchanged)"), std::string::npos) << again.output;

  const testing::CommandResult missing = run_command(ablate_command("data check imagenet --root " + quoted(dir_ / "none")));
  EXPECT_EQ(missing.status, 1) << missing.output;
  EXPECT_NE(missing.output.find("no such folder"), std::string::npos) << missing.output;
  EXPECT_NE(missing.output.find("--set data.root=DIR"), std::string::npos) << missing.output;
}

TEST_F(ImageNetCommands, ATinyResNeXtTrainsOnAGeneratedTreeThroughAblateRun) {
  testing::write_class_tree(tree_, kClasses, 8, 3);
  const fs::path yaml = dir_ / "tiny.yaml";
  std::ofstream(yaml) << kTinyExperiment;
  const std::string root = " --set data.root=" + quoted(tree_);

  const testing::CommandResult shown = run_command(ablate_command("show " + quoted(yaml) + root + " --format json"));
  ASSERT_EQ(shown.status, 0) << shown.output;
  const auto runs = nlohmann::json::parse(shown.output).at("runs");
  EXPECT_EQ(runs.at(0).at("model").at("num_classes"), 3);  // from the tree's class folders
  EXPECT_EQ(runs.at(0).at("model").at("image_size"), 64);

  const testing::CommandResult trained = run_command(ablate_command("run " + quoted(yaml) + root + store_options()));
  ASSERT_EQ(trained.status, 0) << trained.output;
  results::Store store = results::Store::open((dir_ / "r.db").string());
  const auto stored = store.runs();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].status, results::RunStatus::Finished);
  EXPECT_EQ(stored[0].epochs_done, 3);
  EXPECT_EQ(stored[0].record.provenance.dataset_digest.size(), 64u);
  const auto loss = store.curve(stored[0].record.run_key, "train_loss");
  ASSERT_EQ(loss.size(), 3u);
  EXPECT_LT(loss.back().value, loss.front().value);  // colours are easy: it learns

  const testing::CommandResult table = run_command(ablate_command("table " + quoted(yaml) + root + " --db " + quoted(dir_ / "r.db")));
  ASSERT_EQ(table.status, 0) << table.output;
  EXPECT_NE(table.output.find("ResNeXt tiny"), std::string::npos) << table.output;
}

// ablate eval through the ImageNet pipeline (resize, centre crop, normalise, decode threads): the exported
// weights of a run evaluate to exactly what the run measured with them.
TEST_F(ImageNetCommands, ExportedWeightsEvaluateThroughTheImageNetPipelineAsTheRunMeasuredThem) {
  testing::write_class_tree(tree_, kClasses, 6, 5, 80);
  const fs::path yaml = dir_ / "tiny.yaml";
  std::ofstream(yaml) << kTinyExperiment;
  const std::string settings = quoted(yaml) + " --set data.root=" + quoted(tree_) + " --set train.epochs=1";
  const testing::CommandResult trained = run_command(ablate_command("run " + settings + store_options()));
  ASSERT_EQ(trained.status, 0) << trained.output;
  const std::string weights = quoted(dir_ / "tiny.pt");
  const testing::CommandResult exported = run_command(ablate_command(
      "export " + settings + " --variant 'ResNeXt tiny' --checkpoints " + quoted(dir_ / "r.db.ckpt") + " -o " + weights));
  ASSERT_EQ(exported.status, 0) << exported.output;
  const testing::CommandResult evaluated = run_command(ablate_command(
      "eval " + settings + " --variant 'ResNeXt tiny' --weights " + weights + " --db " + quoted(dir_ / "r.db")));
  ASSERT_EQ(evaluated.status, 0) << evaluated.output;

  results::Store store = results::Store::open((dir_ / "r.db").string());
  const auto runs = store.runs();
  ASSERT_EQ(runs.size(), 2u);
  ASSERT_TRUE(runs[1].record.evaluation_only);
  EXPECT_EQ(runs[1].record.provenance.dataset_digest, runs[0].record.provenance.dataset_digest);
  const auto measured = store.last_metrics(runs[0].record.run_key).values;
  const auto evaluation = store.last_metrics(runs[1].record.run_key).values;
  EXPECT_DOUBLE_EQ(evaluation.at("val_top1_err"), measured.at("val_top1_err"));
  EXPECT_DOUBLE_EQ(evaluation.at("val_top5_err"), measured.at("val_top5_err"));
  EXPECT_NEAR(evaluation.at("val_loss"), measured.at("val_loss"), 1e-6);
}

TEST_F(ImageNetCommands, ThePapersCardinalityExperimentRunsOnAGeneratedTree) {
  testing::write_class_tree(tree_, kClasses, 4, 2, 80);
  // The paper's base settings of Table 3, shrunk only where a 2-core test must: one epoch, 64 px crops.
  const std::string overrides = " --set data.root=" + quoted(tree_) +
                                " --set train.epochs=1 --set 'train.schedule.milestones=[]' --set data.image_size=64"
                                " --set data.workers=2";
  const testing::CommandResult trained = run_command(ablate_command(
      "run cardinality --dir " + experiments() + " --only 'ResNeXt-50 32x4d'" + overrides + store_options()));
  ASSERT_EQ(trained.status, 0) << trained.output;
  const testing::CommandResult table =
      run_command(ablate_command("table cardinality --dir " + experiments() + overrides + " --db " + quoted(dir_ / "r.db")));
  ASSERT_EQ(table.status, 0) << table.output;
  EXPECT_NE(table.output.find("32x4d"), std::string::npos) << table.output;
  EXPECT_NE(table.output.find("22.2"), std::string::npos) << table.output;  // the paper's value beside ours
}

TEST_F(ImageNetCommands, ABadImageFailsTheRunOrIsSkippedAsConfigured) {
  testing::write_class_tree(tree_, kClasses, 4, 2);
  const auto good = testing::encode_jpeg(testing::class_image(200, 150, 1, 0));
  testing::write_file(tree_ / "train/bee/bee_2.JPEG", std::vector<uint8_t>(good.begin(), good.begin() + good.size() / 2));
  const fs::path yaml = dir_ / "tiny.yaml";
  std::ofstream(yaml) << kTinyExperiment;
  const std::string run = "run " + quoted(yaml) + " --set data.root=" + quoted(tree_) + " --set train.epochs=1";

  const testing::CommandResult failed = run_command(ablate_command(run + store_options("fail.db")));
  EXPECT_EQ(failed.status, 1) << failed.output;
  EXPECT_NE(failed.output.find("bee/bee_2.JPEG: cannot decode JPEG (libjpeg-turbo: Premature end of JPEG file)"),
            std::string::npos)
      << failed.output;
  results::Store store = results::Store::open((dir_ / "fail.db").string());
  ASSERT_EQ(store.runs().size(), 1u);
  EXPECT_EQ(store.runs()[0].status, results::RunStatus::Failed);
  EXPECT_NE(store.runs()[0].error.find("bee_2.JPEG"), std::string::npos) << store.runs()[0].error;

  const testing::CommandResult skipped =
      run_command(ablate_command(run + " --set data.on_bad_image=skip" + store_options("skip.db")));
  EXPECT_EQ(skipped.status, 0) << skipped.output;
  EXPECT_NE(skipped.output.find("left out: "), std::string::npos) << skipped.output;
  EXPECT_NE(skipped.output.find("epoch 1: 1 unreadable image"), std::string::npos) << skipped.output;
}

TEST_F(ImageNetCommands, ThePapersSettingsFailOnlyBecauseTheDataIsMissing) {
  const fs::path empty = dir_ / "datasets";
  fs::create_directories(empty);
  const std::string env = "ABLATE_DATA=" + quoted(empty) + " ";
  const testing::CommandResult shown = run_command(env + ablate_command("show cardinality --dir " + experiments()));
  EXPECT_EQ(shown.status, 0) << shown.output;
  EXPECT_NE(shown.output.find("25,557,032"), std::string::npos) << shown.output;  // ResNet-50, 1000 classes

  const testing::CommandResult run = run_command(
      env + ablate_command("run cardinality --dir " + experiments() + " --only 'ResNet-50 1x64d'" + store_options()));
  EXPECT_EQ(run.status, 2) << run.output;
  EXPECT_NE(run.output.find((empty / "imagenet" / "train").string() + ": no such folder"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("--set data.root=DIR"), std::string::npos) << run.output;
  EXPECT_EQ(run.output.find("no loader"), std::string::npos) << run.output;
}

}  // namespace
}  // namespace ablate
