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

TEST(ListCommand, SourceTreeHasSmoke) {
  const auto r = run_command(ablate_command("list --dir '" ABLATE_SOURCE_DIR "/experiments'"));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("smoke"), std::string::npos);
  EXPECT_NE(r.output.find("one-seed"), std::string::npos);
}

}  // namespace
}  // namespace ablate::config
