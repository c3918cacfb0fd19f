// `ablate list` and `ablate show` through the real executable: exit status, rows, solved widths, and
// status 2 with a file:line message for a bad file.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/config/config_test_util.h"
#include "tests/support/run_command.h"

namespace ablate::config {
namespace {

using ablate::testing::ablate_command;
using ablate::testing::run_command;
using testing::TempDir;


const char* const kMatched = R"(name: matched
title: Matched widths
base:
  model: {stem: cifar, blocks: [1, 1, 1], base_channels: 16, stem_channels: 16}
  data: {dataset: synthetic, synthetic_train_size: 100, synthetic_test_size: 50, synthetic_image_size: 16, synthetic_channels: 1, synthetic_classes: 4}
variants:
  - {name: wide, model: {cardinality: 1, bottleneck_width: 32}}
  - {name: grouped, model: {cardinality: 8, match: {reference: wide, by: params}}}
profiles:
  fast: {seeds: [0, 1]}
)";

TEST(ShowCommand, SmokeRowsHaveKeysAndComplexity) {
  const auto r = run_command(ablate_command("show smoke --dir '" ABLATE_SOURCE_DIR "/experiments'"));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("smoke: Smoke test"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("ResNet 1x4d"), std::string::npos);
  EXPECT_NE(r.output.find("ResNeXt 4x2d"), std::string::npos);
  EXPECT_NE(r.output.find("4 runs"), std::string::npos);
}

TEST(ShowCommand, PrintsTheSolvedWidth) {
  TempDir dir;
  const std::string file = dir.write("matched.yaml", kMatched);
  const auto r = run_command(ablate_command("show '" + file + "' --profile fast"));
  ASSERT_EQ(r.status, 0) << r.output;
  // The width itself is the solver's business (tested in expand_test); show must name it, and agree with JSON.
  EXPECT_NE(r.output.find("matched: grouped: d = "), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("matches \"wide\" by params (network scope)"), std::string::npos) << r.output;

  const auto j = run_command(ablate_command("show '" + file + "' --format json --set train.epochs=2"));
  ASSERT_EQ(j.status, 0) << j.output;
  const auto out = nlohmann::json::parse(j.output);
  ASSERT_EQ(out["runs"].size(), 2u);
  const auto& grouped = out["runs"][1];
  EXPECT_EQ(grouped["variant"], "grouped");
  EXPECT_EQ(grouped["train"]["epochs"], 2);
  EXPECT_EQ(grouped["model"]["matched_reference"], "wide");
  EXPECT_GT(grouped["model"]["bottleneck_width"].get<int>(), 1);
  EXPECT_GT(grouped["complexity"]["params"].get<int64_t>(), 0);
  EXPECT_EQ(grouped["run_key"].get<std::string>().size(), 16u);
  // The text table and the JSON agree on the width.
  EXPECT_NE(r.output.find("d = " + std::to_string(grouped["model"]["bottleneck_width"].get<int>())),
            std::string::npos);
}

// The fair experiment solves its deeper arm: show names the solved depth and its budget difference, at the
// paper's scale and at the cpu profile's.
TEST(ShowCommand, FairDepthWidthPrintsTheSolvedDepth) {
  const auto paper = run_command(ablate_command("show fair-depth-width --db /nonexistent/ablate.db --dir '" ABLATE_SOURCE_DIR
                                                "/experiments'"));
  ASSERT_EQ(paper.status, 0) << paper.output;
  EXPECT_NE(paper.output.find("matched: ResNeXt 32x4d deeper: depth 203, blocks [3, 4, 57, 3] (32x4d) matches "
                              "\"ResNeXt-101 64x4d\" by macs, -0.07%"),
            std::string::npos)
      << paper.output;
  EXPECT_NE(paper.output.find("matched: ResNeXt-101 32xWd wider: d = 8 (32x8d)"), std::string::npos) << paper.output;
  const auto cpu = run_command(ablate_command("show fair-depth-width --profile cpu --db /nonexistent/ablate.db --dir '"
                                              ABLATE_SOURCE_DIR "/experiments'"));
  ASSERT_EQ(cpu.status, 0) << cpu.output;
  EXPECT_NE(cpu.output.find("matched: ResNeXt 32x4d deeper: depth 197, blocks [3, 4, 55, 3] (32x1d)"), std::string::npos)
      << cpu.output;
}

TEST(ShowCommand, BadFileExitsTwoWithLocatedErrors) {
  TempDir dir;
  std::string text = kMatched;
  text.replace(text.find("cardinality: 8"), 14, "cardinality: 8x");
  const auto r = run_command(ablate_command("show '" + dir.write("bad.yaml", text) + "'"));
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("ablate: error: "), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("bad.yaml:8:42: variants[1].model.cardinality: expected a positive integer, got \"8x\""),
            std::string::npos)
      << r.output;
}

TEST(ShowCommand, BadSetAndProfileExitTwo) {
  TempDir dir;
  const std::string file = dir.write("matched.yaml", kMatched);
  const auto set = run_command(ablate_command("show '" + file + "' --set train.epoch=3"));
  EXPECT_EQ(set.status, 2);
  EXPECT_NE(set.output.find("--set train.epoch=3: train.epoch: unknown key \"epoch\" (did you mean \"epochs\"?)"),
            std::string::npos)
      << set.output;
  const auto profile = run_command(ablate_command("show '" + file + "' --profile fats"));
  EXPECT_EQ(profile.status, 2);
  EXPECT_NE(profile.output.find("unknown profile \"fats\" (did you mean \"fast\"?)"), std::string::npos)
      << profile.output;
  const auto missing = run_command(ablate_command("show no-such-experiment --dir '" + dir.path() + "'"));
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.output.find("unknown experiment \"no-such-experiment\""), std::string::npos) << missing.output;
}

TEST(ListCommand, ListsGoodFilesAndReportsBadOnes) {
  TempDir dir;
  dir.write("matched.yaml", kMatched);
  const auto good = run_command(ablate_command("list --dir '" + dir.path() + "'"));
  ASSERT_EQ(good.status, 0) << good.output;
  EXPECT_NE(good.output.find("matched"), std::string::npos);
  EXPECT_NE(good.output.find("Matched widths"), std::string::npos);
  EXPECT_NE(good.output.find("fast"), std::string::npos);

  dir.write("broken.yaml", "name: broken\nvariants: [{name: a, modle: {}}]\n");
  const auto bad = run_command(ablate_command("list --dir '" + dir.path() + "'"));
  EXPECT_EQ(bad.status, 2) << bad.output;
  EXPECT_NE(bad.output.find("Matched widths"), std::string::npos) << bad.output;
  EXPECT_NE(bad.output.find("broken.yaml:2:22: variants[0].modle: unknown key \"modle\" (did you mean \"model\"?)"),
            std::string::npos)
      << bad.output;
}

// Nine levels of nine aliases under an arbitrary key of a file's base. Before the node budget, `ablate list`
// and `ablate show` grew past 6 GB expanding it; the address-space cap keeps a regression from taking the
// machine with it (LibTorch itself maps well under 3 GB).
std::string bounded(const std::string& arguments) {
  return "bash -c 'ulimit -v 3000000; exec timeout 120 " + ablate_command(arguments) + "'";
}

TEST(ListCommand, AliasBombInTheFolderStaysBounded) {
  TempDir dir;
  dir.write("matched.yaml", kMatched);
  std::string bomb = "name: bomb\nvariants: [{name: a}]\nbase:\n  model:\n    junk:\n";
  bomb += "      l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int level = 1; level <= 9; ++level) {
    bomb += "      l" + std::to_string(level) + ": &l" + std::to_string(level) + " [";
    for (int i = 0; i < 9; ++i) bomb += (i ? ", *l" : "*l") + std::to_string(level - 1);
    bomb += "]\n";
  }
  const std::string file = dir.write("bomb.yaml", bomb);
  const std::string expected = "bomb.yaml:12:16: more than 1000000 YAML nodes once aliases are expanded; a file may "
                               "hold at most 1000000 nodes and 16 MB";
  const auto list = run_command(bounded("list --dir \"" + dir.path() + "\""));
  EXPECT_EQ(list.status, 2) << list.output;
  EXPECT_NE(list.output.find("Matched widths"), std::string::npos) << list.output;  // the good file still listed
  EXPECT_NE(list.output.find(expected), std::string::npos) << list.output;
  const auto show = run_command(bounded("show \"" + file + "\""));
  EXPECT_EQ(show.status, 2) << show.output;
  EXPECT_NE(show.output.find(expected), std::string::npos) << show.output;
}

// One rule for the model against the data, checked at expansion: `show` and `run` print the same line and
// `run` stops before it opens the store or trains anything (issue 16, item 3).
TEST(RunCommand, NumClassesMismatchIsTheSameErrorAsShowAndNothingStarts) {
  TempDir dir;
  const std::string file = dir.write("matched.yaml", kMatched);
  const std::string expected =
      "ablate: error: --set model.num_classes=12: model.num_classes: expected 4 (the classes of synthetic; or leave "
      "num_classes out), got 12\n";
  const auto show = run_command(ablate_command("show '" + file + "' --set model.num_classes=12"));
  EXPECT_EQ(show.status, 2);
  EXPECT_EQ(show.output, expected);
  const std::string db = dir.path() + "/results.db";
  const auto run = run_command(ablate_command("run '" + file + "' --set model.num_classes=12 --db '" + db +
                                              "' --checkpoints '" + dir.path() + "/checkpoints'"));
  EXPECT_EQ(run.status, 2);
  EXPECT_EQ(run.output, expected);
  EXPECT_FALSE(std::filesystem::exists(db));
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/checkpoints"));
}

TEST(ListCommand, SourceTreeHasSmoke) {
  const auto r = run_command(ablate_command("list --dir '" ABLATE_SOURCE_DIR "/experiments'"));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("smoke"), std::string::npos);
  EXPECT_NE(r.output.find("one-seed"), std::string::npos);
}

}  // namespace
}  // namespace ablate::config
