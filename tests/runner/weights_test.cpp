// Weights in and out through the real executable, on the smoke experiment: `ablate export` of a trained
// run, `ablate eval` of that file (an evaluation-only run, shown as such by `ablate runs` and `ablate
// table`), `model.init_from` starting a new run from it, and the errors of each.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "results/store.h"
#include "tests/support/read_text.h"
#include "tests/support/run_command.h"
#include "tests/support/temp_path.h"

namespace ablate {
namespace {

namespace fs = std::filesystem;
using testing::ablate_command;
using testing::run_command;

using testing::quoted;

class WeightsCommands : public ::testing::Test {
 protected:
  // `ablate COMMAND smoke --profile one-seed ARGUMENTS` with this test's experiments directory.
  testing::CommandResult ablate(const std::string& command, const std::string& arguments) const {
    return run_command(ablate_command(command + " smoke --profile one-seed --dir " +
                                      quoted(fs::path(ABLATE_SOURCE_DIR) / "experiments") + " " + arguments));
  }
  // This test's database and checkpoints, as options.
  std::string db() const { return " --db " + quoted(dir_ / "r.db"); }
  std::string checkpoints() const { return " --checkpoints " + quoted(dir_ / "ckpt"); }
  results::Store store() const { return results::Store::open((dir_ / "r.db").string()); }

  testing::CaseTempDir scratch_{"weights"};
  const fs::path dir_ = scratch_.path();
};

const char* const kResNet = "--variant 'ResNet 1x4d'";

// The metadata entry of an exported file, read without LibTorch: a uint8 tensor holding JSON, stored
// uncompressed in the zip archive (nlohmann::json sorts its keys, so the object starts with "ablate_commit").
nlohmann::json exported_metadata(const fs::path& file) {
  const std::string bytes = testing::read_text(file);
  const size_t start = bytes.find("{\"ablate_commit\"");
  if (start == std::string::npos) return nullptr;
  int depth = 0;
  bool in_string = false;
  for (size_t i = start; i < bytes.size(); ++i) {
    const char c = bytes[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '}') {
      depth += c == '{' ? 1 : -1;
      if (depth == 0) return nlohmann::json::parse(bytes.substr(start, i + 1 - start));
    }
  }
  return nullptr;
}

TEST_F(WeightsCommands, ExportedWeightsEvaluateToTheTrainedRunsMetrics) {
  const auto trained = ablate("run", "--only 'ResNet 1x4d' --set train.deterministic=true" + db() + checkpoints());
  ASSERT_EQ(trained.status, 0) << trained.output;
  const auto exported = ablate("export", std::string(kResNet) + " --set train.deterministic=true -o " + quoted(dir_ / "w.pt") + checkpoints());
  ASSERT_EQ(exported.status, 0) << exported.output;
  EXPECT_NE(exported.output.find("epoch 1/1"), std::string::npos) << exported.output;
  ASSERT_TRUE(fs::exists(dir_ / "w.pt"));
  const nlohmann::json meta = exported_metadata(dir_ / "w.pt");
  ASSERT_TRUE(meta.is_object()) << "no metadata entry";
  EXPECT_EQ(meta.at("experiment"), "smoke");
  EXPECT_EQ(meta.at("variant"), "ResNet 1x4d");
  EXPECT_EQ(meta.at("epoch"), 1);
  EXPECT_EQ(meta.at("ablate_version"), "0.1");
  EXPECT_EQ(meta.at("model").at("cardinality"), 1);
  EXPECT_TRUE(meta.at("torchvision").is_null()) << "a cifar-stem net has no torchvision constructor";

  const auto evaluated = ablate("eval", std::string(kResNet) + " --set train.deterministic=true --weights " +
                                            quoted(dir_ / "w.pt") + db() + checkpoints());
  ASSERT_EQ(evaluated.status, 0) << evaluated.output;
  EXPECT_NE(evaluated.output.find("1 runs evaluated, 0 skipped, 0 failed"), std::string::npos) << evaluated.output;

  results::Store saved = store();
  const auto runs = saved.runs();
  ASSERT_EQ(runs.size(), 2u);
  const results::RunInfo& training = runs[0];
  const results::RunInfo& evaluation = runs[1];
  EXPECT_FALSE(training.record.evaluation_only);
  EXPECT_TRUE(evaluation.record.evaluation_only);
  EXPECT_EQ(evaluation.status, results::RunStatus::Finished);
  EXPECT_EQ(evaluation.epochs_done, 1);
  EXPECT_EQ(evaluation.record.epochs_planned, 1);
  EXPECT_NE(evaluation.record.run_key, training.record.run_key);
  EXPECT_EQ(meta.at("run_key"), training.record.run_key);
  EXPECT_FALSE(fs::exists(dir_ / "ckpt" / evaluation.record.run_key)) << "an evaluation writes no checkpoint";
  // The same weights through the same evaluation: the numbers the training run stored for its last epoch.
  const auto trained_metrics = saved.last_metrics(training.record.run_key).values;
  const auto evaluated_metrics = saved.last_metrics(evaluation.record.run_key).values;
  for (const char* name : {"val_top1_err", "val_top5_err"}) {
    EXPECT_DOUBLE_EQ(evaluated_metrics.at(name), trained_metrics.at(name)) << name;
  }
  EXPECT_NEAR(evaluated_metrics.at("val_loss"), trained_metrics.at("val_loss"), 1e-6);
  EXPECT_EQ(evaluated_metrics.count("train_loss"), 0u) << "nothing was trained";
  EXPECT_LT(evaluated_metrics.at("val_top1_err"), 80.0) << "chance is 90%: the weights were loaded";

  // Marked in the listing, text and JSON, and as a row of its own under its variant in the table.
  const auto listed = run_command(ablate_command("runs smoke" + db()));
  ASSERT_EQ(listed.status, 0) << listed.output;
  EXPECT_NE(listed.output.find("eval only"), std::string::npos) << listed.output;
  const auto json = run_command(ablate_command("runs smoke --format json" + db()));
  ASSERT_EQ(json.status, 0) << json.output;
  const auto parsed = nlohmann::json::parse(json.output);
  EXPECT_EQ(parsed.at(0).at("evaluation_only"), false);
  EXPECT_EQ(parsed.at(1).at("evaluation_only"), true);
  const auto table = ablate("table", "--format md --set train.deterministic=true" + db());
  ASSERT_EQ(table.status, 0) << table.output;
  const size_t trained_row = table.output.find("\n| ResNet 1x4d ");
  const size_t evaluated_row = table.output.find("\n| ResNet 1x4d, evaluated: w.pt ");
  EXPECT_NE(trained_row, std::string::npos) << table.output;
  ASSERT_NE(evaluated_row, std::string::npos) << table.output;
  EXPECT_LT(trained_row, evaluated_row) << "the evaluation follows its setting";
  EXPECT_NE(table.output.find("evaluation-only runs (ablate eval)"), std::string::npos) << table.output;

  // The same bytes evaluated again: nothing new.
  const auto again =
      ablate("eval", std::string(kResNet) + " --set train.deterministic=true --weights " + quoted(dir_ / "w.pt") + db());
  ASSERT_EQ(again.status, 0) << again.output;
  EXPECT_NE(again.output.find("finished earlier, skipped"), std::string::npos) << again.output;
  EXPECT_EQ(store().runs().size(), 2u);
}

TEST_F(WeightsCommands, InitFromStartsANewRunFromTheWeights) {
  const auto scratch = ablate("run", "--only 'ResNet 1x4d'" + db() + checkpoints());
  ASSERT_EQ(scratch.status, 0) << scratch.output;
  ASSERT_EQ(ablate("export", std::string(kResNet) + " -o " + quoted(dir_ / "w.pt") + checkpoints()).status, 0);

  const std::string init = "--only 'ResNet 1x4d' --set model.init_from=" + quoted(dir_ / "w.pt");
  const auto shown_scratch = ablate("show", "--format json");
  const auto shown_init = ablate("show", "--format json --set model.init_from=" + quoted(dir_ / "w.pt"));
  ASSERT_EQ(shown_init.status, 0) << shown_init.output;
  const auto key_of = [](const std::string& output) {
    return nlohmann::json::parse(output).at("runs").at(0).at("run_key").get<std::string>();
  };
  EXPECT_NE(key_of(shown_init.output), key_of(shown_scratch.output)) << "init_from is part of the run key";

  const auto fine_tuned = ablate("run", init + db() + checkpoints());
  ASSERT_EQ(fine_tuned.status, 0) << fine_tuned.output;
  results::Store saved = store();
  const auto runs = saved.runs();
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_NE(runs[1].record.run_key, runs[0].record.run_key);
  EXPECT_NE(runs[1].record.config_json.find("init_from"), std::string::npos);
  // Starting from trained weights, the first epoch's training loss is far below training from scratch.
  const double scratch_loss = saved.curve(runs[0].record.run_key, "train_loss").front().value;
  const double tuned_loss = saved.curve(runs[1].record.run_key, "train_loss").front().value;
  EXPECT_LT(tuned_loss, scratch_loss * 0.8) << "scratch " << scratch_loss << ", from weights " << tuned_loss;
}

TEST_F(WeightsCommands, ErrorsNameTheRunTheFileAndWhatDoesNotFit) {
  // Nothing trained yet: nothing to export.
  const auto untrained = ablate("export", std::string(kResNet) + " -o " + quoted(dir_ / "w.pt") + checkpoints());
  EXPECT_EQ(untrained.status, 2) << untrained.output;
  EXPECT_NE(untrained.output.find("has no checkpoint in"), std::string::npos) << untrained.output;
  EXPECT_NE(untrained.output.find("ablate run smoke"), std::string::npos) << untrained.output;
  EXPECT_FALSE(fs::exists(dir_ / "w.pt"));

  ASSERT_EQ(ablate("run", "--only 'ResNet 1x4d'" + db() + checkpoints()).status, 0);
  const auto no_epoch = ablate("export", std::string(kResNet) + " --epoch 7 -o " + quoted(dir_ / "w.pt") + checkpoints());
  EXPECT_EQ(no_epoch.status, 2) << no_epoch.output;
  EXPECT_NE(no_epoch.output.find("no checkpoint of epoch 7 (on disk: epoch 1;"), std::string::npos) << no_epoch.output;
  const auto bad_variant = ablate("export", "--variant 'ResNet 9x9d' -o " + quoted(dir_ / "w.pt") + checkpoints());
  EXPECT_EQ(bad_variant.status, 2) << bad_variant.output;
  EXPECT_NE(bad_variant.output.find("--variant \"ResNet 9x9d\": no such variant in smoke"), std::string::npos)
      << bad_variant.output;
  ASSERT_EQ(ablate("export", std::string(kResNet) + " --epoch 1 -o " + quoted(dir_ / "w.pt") + checkpoints()).status, 0);

  // ResNet 1x4d's weights under ResNeXt 4x2d's settings: the evaluation fails, stored with the mismatch.
  const auto mismatch =
      ablate("eval", "--variant 'ResNeXt 4x2d' --weights " + quoted(dir_ / "w.pt") + db() + checkpoints());
  EXPECT_EQ(mismatch.status, 1) << mismatch.output;
  EXPECT_NE(mismatch.output.find("the weights do not fit the model"), std::string::npos) << mismatch.output;
  EXPECT_NE(mismatch.output.find("tensors of another shape (layer1.0.conv1.weight: file [4, 8, 1, 1], model [8, 8, 1, 1]"),
            std::string::npos)
      << mismatch.output;
  results::Store saved = store();
  const auto runs = saved.runs();
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_TRUE(runs[1].record.evaluation_only);
  EXPECT_EQ(runs[1].status, results::RunStatus::Failed);
  EXPECT_NE(runs[1].error.find("do not fit"), std::string::npos) << runs[1].error;
  EXPECT_EQ(runs[1].error_log, (dir_ / "ckpt" / runs[1].record.run_key / "failure.log").string());
  EXPECT_TRUE(fs::exists(runs[1].error_log)) << "the full text, as for a failed training run";

  const auto missing = ablate("eval", std::string(kResNet) + " --weights " + quoted(dir_ / "none.pt") + db());
  EXPECT_EQ(missing.status, 2) << missing.output;
  EXPECT_NE(missing.output.find("weights file '" + (dir_ / "none.pt").string() + "' does not exist"), std::string::npos)
      << missing.output;
  const auto missing_init = ablate("run", "--set model.init_from=" + quoted(dir_ / "none.pt") + db() + checkpoints());
  EXPECT_EQ(missing_init.status, 2) << missing_init.output;
  EXPECT_NE(missing_init.output.find("model.init_from: weights file"), std::string::npos) << missing_init.output;
}

}  // namespace
}  // namespace ablate
