// Bad input: every fixture is a small experiment file (or --set argument) with one mistake, and the
// expected message names the file, line and column, the key path, and what was expected.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/config/expand.h"
#include "core/config/experiment.h"
#include "tests/config/config_test_util.h"

namespace ablate::config {
namespace {

using testing::config_error_of;
using testing::replace;
using testing::TempDir;

// Valid except for what a fixture changes: lines 1-11 are referred to by line number below.
const char* const kValid = R"(name: t
base:
  model: {stem: cifar, blocks: [1, 1, 1], base_channels: 8, stem_channels: 8}
  data: {dataset: synthetic, synthetic_train_size: 100, synthetic_test_size: 50, synthetic_image_size: 16, synthetic_channels: 1, synthetic_classes: 4}
  train: {epochs: 5, schedule: {kind: multistep, milestones: [2, 3]}}
seeds: [0, 1]
variants:
  - name: a
  - name: b
    model: {cardinality: 2, bottleneck_width: 2}
profiles: {fast: {seeds: [0], base: {train: {epochs: 4}}}}
)";

struct Fixture {
  const char* name;
  std::string yaml;                   // the file x.yaml
  std::vector<std::string> expected;  // substrings of the error message, each must appear
  std::string profile = "";           // expand with this profile (after a successful load)
  std::vector<std::string> set = {};  // and these --set overrides
  std::string other_file = "";        // written as y.yaml beside x.yaml (for extends)
};

std::vector<Fixture> fixtures() {
  const std::string v = kValid;
  return {
      {"malformed_flow", replace(v, "seeds: [0, 1]", "seeds: [0, 1"), {"x.yaml:", "malformed YAML"}},
      {"malformed_indent", replace(v, "seeds: [0, 1]", "seeds: [0, 1]\n  oops: 1"), {"x.yaml:7:", "malformed YAML"}},
      {"tab_indentation", replace(v, "  train:", "\ttrain:"), {"x.yaml:5:1: tab character in indentation"}},
      {"duplicate_top_key", replace(v, "seeds: [0, 1]", "seeds: [0, 1]\nseeds: [2]"),
       {"x.yaml:7:1: seeds: duplicate key \"seeds\" (first given at line 6)"}},
      {"duplicate_nested_key", replace(v, "{cardinality: 2,", "{cardinality: 2, cardinality: 4,"),
       {"x.yaml:10:29: variants[1].model.cardinality: duplicate key \"cardinality\""}},
      {"unknown_top_key", replace(v, "seeds:", "sedes:"),
       {"x.yaml:6:1: sedes: unknown key \"sedes\" (did you mean \"seeds\"?)"}},
      {"unknown_model_key", replace(v, "bottleneck_width: 2", "bottleneck_widht: 2"),
       {"x.yaml:10:29: variants[1].model.bottleneck_widht: unknown key \"bottleneck_widht\" (did you mean "
        "\"bottleneck_width\"?)"}},
      {"unknown_data_key_in_profile", replace(v, "{train: {epochs: 4}}", "{data: {train_subet: 10}}"),
       {"x.yaml:11:45: profiles.fast.base.data.train_subet: unknown key \"train_subet\" (did you mean "
        "\"train_subset\"?)"}},
      {"unknown_train_key", replace(v, "  - name: a", "  - name: a\n    train: {epoch: 2}"),
       {"x.yaml:9:13: variants[0].train.epoch: unknown key \"epoch\" (did you mean \"epochs\"?)"}},
      {"unknown_schedule_key", replace(v, "milestones: [2, 3]", "milestone: [2, 3]"),
       {"x.yaml:5:50: base.train.schedule.milestone: unknown key \"milestone\" (did you mean \"milestones\"?)"}},
      {"unknown_match_key", replace(v, "bottleneck_width: 2}", "match: {refrence: a}}"),
       {"variants[1].model.match.refrence: unknown key \"refrence\" (did you mean \"reference\"?)",
        "variants[1].model.match.reference: match needs a reference"}},
      {"unknown_variant_key", replace(v, "  - name: a", "  - name: a\n    papr: {top1_err: 1}"),
       {"x.yaml:9:5: variants[0].papr: unknown key \"papr\" (did you mean \"paper\"?)"}},
      {"unknown_paper_metric", replace(v, "  - name: a", "  - name: a\n    paper: {top1: 1}"),
       {"x.yaml:9:13: variants[0].paper.top1: unknown key \"top1\""}},
      {"unknown_profile_key", replace(v, "{fast: {seeds:", "{fast: {seed:"),
       {"x.yaml:11:19: profiles.fast.seed: unknown key \"seed\" (did you mean \"seeds\"?)"}},
      {"unknown_table_key", v + "table: {group: g}\n", {"x.yaml:12:9: table.group: unknown key \"group\""}},
      {"wrong_type_cardinality", replace(v, "cardinality: 2", "cardinality: 32x"),
       {"x.yaml:10:26: variants[1].model.cardinality: expected a positive integer, got \"32x\""}},
      {"wrong_type_quoted_integer", replace(v, "epochs: 5", "epochs: \"5\""),
       {"x.yaml:5:19: base.train.epochs: expected a positive integer, got \"5\""}},
      {"wrong_type_lr", replace(v, "{epochs: 5,", "{epochs: 5, lr: fast,"),
       {"x.yaml:5:26: base.train.lr: expected a learning rate in (0, 1e6], got \"fast\""}},
      {"wrong_type_bool", replace(v, "{epochs: 5,", "{epochs: 5, nesterov: 1,"),
       {"base.train.nesterov: expected true or false, got 1"}},
      {"wrong_type_list", replace(v, "blocks: [1, 1, 1]", "blocks: 3"),
       {"x.yaml:3:32: base.model.blocks: expected a list of positive integers, got 3"}},
      {"wrong_type_map", replace(v, "  - name: a", "  - name: a\n    model: [1]"),
       {"x.yaml:9:12: variants[0].model: expected a map of keys, got a list"}},
      {"zero_epochs", replace(v, "{epochs: 4}", "{epochs: 0}"),
       {"x.yaml:11:54: profiles.fast.base.train.epochs: expected a positive integer, got 0"}},
      {"negative_width", replace(v, "bottleneck_width: 2", "bottleneck_width: -4"),
       {"variants[1].model.bottleneck_width: expected a positive integer, got -4"}},
      {"momentum_out_of_range", replace(v, "{epochs: 5,", "{epochs: 5, momentum: 1.5,"),
       {"base.train.momentum: expected a number in [0, 1), got 1.5"}},
      {"missing_name", replace(v, "name: t\n", ""), {"x.yaml:1:1: name: required key missing"}},
      {"missing_variants", v.substr(0, v.find("variants:")), {"x.yaml:1:1: variants: required key missing"}},
      {"empty_file", "", {"x.yaml:1:1: expected a map of experiment keys", "got an empty file"}},
      {"variant_without_name", replace(v, "  - name: a", "  - {model: {cardinality: 1}}"),
       {"x.yaml:8:5: variants[0].name: every variant needs a name"}},
      {"duplicate_variant_name", replace(v, "  - name: b", "  - name: a"),
       {"x.yaml:9:11: variants[1].name: variant name \"a\" is already used (line 8)"}},
      {"duplicate_seed", replace(v, "seeds: [0, 1]", "seeds: [0, 1, 0]"),
       {"x.yaml:6:15: seeds[2]: seed 0 is listed twice"}},
      {"milestones_not_increasing", replace(v, "milestones: [2, 3]", "milestones: [3, 2]"),
       {"x.yaml:5:66: base.train.schedule.milestones[1]: expected milestones in increasing order (after 3), got 2"}},
      {"milestone_beyond_epochs", replace(v, "milestones: [2, 3]", "milestones: [2, 5]"),
       {"base.train.schedule.milestones[1]: expected a milestone in [1, 5) (below train.epochs), got 5"}},
      {"milestone_beyond_profile_epochs", replace(v, "{epochs: 4}", "{epochs: 3}"),
       {"x.yaml:5:66: base.train.schedule.milestones[1]: expected a milestone in [1, 3) (below train.epochs), got 3"}},
      {"step_without_step_size", replace(v, "{kind: multistep, milestones: [2, 3]}", "{kind: step}"),
       {"base.train.schedule.kind: schedule kind step needs step_size"}},
      {"unknown_dataset", replace(v, "dataset: synthetic", "dataset: cifar-10"),
       {"x.yaml:4:19: base.data.dataset: expected one of fashion-mnist | mnist | cifar10 | cifar100 | imagenet | "
        "synthetic, got \"cifar-10\" (did you mean \"cifar10\"?)"}},
      {"synthetic_missing_field", replace(v, ", synthetic_classes: 4", ""),
       {"x.yaml:4:10: base.data.dataset: dataset synthetic needs data.synthetic_classes"}},
      {"bad_depth", replace(v, "  - name: a", "  - name: a\n    model: {depth: 30}"),
       {"x.yaml:9:20: variants[0].model.depth: unsupported depth 30 for the cifar stem"}},
      {"unknown_preset", replace(v, "  - name: a", "  - name: a\n    model: {preset: resnet5O}"),
       {"variants[0].model.preset: unknown preset \"resnet5O\""}},
      {"input_channels_mismatch", replace(v, "  - name: a", "  - name: a\n    model: {input_channels: 3}"),
       {"variants[0].model.input_channels: expected 1 (the channels of synthetic"}},
      {"image_too_small", replace(v, "stem: cifar, blocks: [1, 1, 1], ", "depth: 50, "),
       {"x.yaml:3:10: base.model: variant \"a\": "}},
      {"unknown_match_reference", replace(v, "bottleneck_width: 2}", "match: {reference: A}}"),
       {"x.yaml:10:48: variants[1].model.match.reference: unknown match reference \"A\": expected a variant of this "
        "experiment (did you mean \"a\"?)"}},
      {"match_cycle",
       replace(replace(v, "  - name: a", "  - name: a\n    model: {match: {reference: b}}"), "bottleneck_width: 2}",
               "match: {reference: a}}"),
       {"match references form a cycle: a -> b -> a"}},
      {"match_itself", replace(v, "bottleneck_width: 2}", "match: {reference: b}}"),
       {"variants[1].model.match.reference: variant \"b\" cannot match its own complexity"}},
      {"width_and_match", replace(v, "bottleneck_width: 2}", "bottleneck_width: 2, match: {reference: a}}"),
       {"variants[1].model.match: give bottleneck_width or match, not both"}},
      {"profile_unknown_variant", replace(v, "{fast: {seeds: [0],", "{fast: {variants: [c], seeds: [0],"),
       {"x.yaml:11:30: profiles.fast.variants[0]: unknown variant \"c\""}},
      {"table_unknown_label", v + "table: {group_by: depth}\n",
       {"x.yaml:12:19: table.group_by: no variant has the label \"depth\""}},
      {"extends_missing_file", "extends: nowhere.yaml\n" + v,
       {"x.yaml:1:10: extends: cannot read \"nowhere.yaml\""}},
      {"extends_cycle", "extends: y.yaml\n" + v, {"y.yaml:1:10: extends: extends forms a cycle: x.yaml -> y.yaml -> x.yaml"},
       "", {}, "extends: x.yaml\n"},
      {"extends_error_in_parent", "extends: y.yaml\n" + v, {"y.yaml:2:3: base.modle: unknown key \"modle\""}, "", {},
       "base:\n  modle: {}\n"},
      {"unknown_profile", v, {"x.yaml: unknown profile \"fsat\" (did you mean \"fast\"?); this experiment has: fast"},
       "fsat"},
      {"set_unknown_path", v, {"--set train.epoch=2: train.epoch: unknown key \"epoch\" (did you mean \"epochs\"?)"}, "",
       {"train.epoch=2"}},
      {"set_unknown_root", v, {"--set trian.epochs=2: trian: unknown key \"trian\" (did you mean \"train\"?)"}, "",
       {"trian.epochs=2"}},
      {"set_bad_value", v, {"--set train.epochs=abc: train.epochs: expected a positive integer, got \"abc\""}, "",
       {"train.epochs=abc"}},
      {"set_missing_equals", v, {"--set train.epochs: expected PATH=VALUE"}, "", {"train.epochs"}},
      {"set_bad_path", v, {"--set train..epochs=2: malformed key path \"train..epochs\""}, "", {"train..epochs=2"}},
      {"set_malformed_value", v, {"--set train.schedule.milestones=[1,: train.schedule.milestones: malformed value"},
       "", {"train.schedule.milestones=[1,"}},
      {"init_from_missing_file", replace(v, "  - name: a", "  - name: a\n    model: {init_from: no-such-weights.pt}"),
       {"x.yaml:9:", "variants[0].model.init_from: weights file 'no-such-weights.pt' does not exist"}},
      {"set_init_from_missing_file", v,
       {"--set model.init_from=nowhere/w.pt: model.init_from: weights file 'nowhere/w.pt' does not exist"}, "",
       {"model.init_from=nowhere/w.pt"}},
      {"set_bad_seeds", v, {"--set seeds=[1,1]: seeds[1]: seed 1 is listed twice"}, "", {"seeds=[1,1]"}},
      // The model against the data: one rule (equal), checked at expansion (issue 16, item 3).
      {"num_classes_above_dataset", replace(v, "  - name: a", "  - name: a\n    model: {num_classes: 5}"),
       {"x.yaml:9:26: variants[0].model.num_classes: expected 4 (the classes of synthetic; or leave num_classes out), "
        "got 5"}},
      {"num_classes_below_dataset", v,
       {"--set model.num_classes=3: model.num_classes: expected 4 (the classes of synthetic"}, "", {"model.num_classes=3"}},
      // Every layer is checked where it is written, even when a later layer overrides the key (item 4).
      {"overridden_base_value",
       replace(replace(v, "stem: cifar,", "stem: cifar, cardinality: 32x,"), "  - name: a", "  - name: a\n    model: {cardinality: 1}"),
       {"x.yaml:3:37: base.model.cardinality: expected a positive integer, got \"32x\""}},
      {"overridden_base_negative",
       replace(replace(v, "stem: cifar,", "stem: cifar, cardinality: -4,"), "  - name: a", "  - name: a\n    model: {cardinality: 1}"),
       {"x.yaml:3:37: base.model.cardinality: expected a positive integer, got -4"}},
      {"overridden_profile_value", replace(v, "{epochs: 4}", "{epochs: 4, lr: -1}"),
       {"x.yaml:11:61: profiles.fast.base.train.lr: expected a learning rate in (0, 1e6], got -1"}, "fast",
       {"train.lr=0.1"}},
      {"overridden_variant_value", replace(v, "bottleneck_width: 2", "bottleneck_width: two"),
       {"x.yaml:10:47: variants[1].model.bottleneck_width: expected a positive integer, got \"two\""}, "",
       {"model.bottleneck_width=2"}},
      {"overridden_set_value", v, {"--set train.epochs=abc: train.epochs: expected a positive integer, got \"abc\""},
       "", {"train.epochs=abc", "train.epochs=3"}},
      {"overridden_parent_value", "extends: y.yaml\n" + replace(v, "stem: cifar,", "stem: cifar, cardinality: 1,"),
       {"y.yaml:2:24: base.model.cardinality: expected a positive integer, got \"32x\""}, "", {},
       "base:\n  model: {cardinality: 32x}\n"},
      {"overridden_unknown_schedule_kind", replace(v, "{epochs: 4}", "{epochs: 4, schedule: {kind: linear}}"),
       {"x.yaml:11:74: profiles.fast.base.train.schedule.kind: expected one of step | multistep | cosine, got \"linear\""},
       "", {"train.schedule.kind=multistep"}},
      // Range messages name both bounds (item 5).
      {"lr_above_cap", v, {"--set train.lr=1e9: train.lr: expected a learning rate in (0, 1e6], got 1e9"}, "",
       {"train.lr=1e9"}},
      // A --set that nulls a section is an error, not a silent no-op (item 12).
      {"set_null_train", v, {"--set train=null: train: expected a map of keys, got null (--set cannot remove a section"},
       "", {"train=null"}},
      {"set_null_schedule", v, {"--set train.schedule=~: train.schedule: expected a map of keys, got null"}, "",
       {"train.schedule=~"}},
      {"set_empty_model", v, {"--set model=: model: expected a map of keys, got null"}, "", {"model="}},
      {"set_null_match", v, {"--set model.match=null: model.match: expected a map of keys, got null"}, "",
       {"model.match=null"}},
      // bf16 where it can never run is refused at expansion (item 7; GPUs are checked by the trainer).
      {"bf16_on_cpu", replace(v, "{epochs: 5,", "{epochs: 5, device: cpu, precision: bf16,"),
       {"x.yaml:5:46: base.train.precision: bf16 needs a CUDA GPU with bf16 support, but train.device is cpu"}},
  };
}

class BadInput : public ::testing::TestWithParam<Fixture> {};

TEST_P(BadInput, ReportsFileLineAndExpectation) {
  const Fixture& f = GetParam();
  TempDir dir;
  const std::string path = dir.write("x.yaml", f.yaml);
  if (!f.other_file.empty()) dir.write("y.yaml", f.other_file);
  const std::string message = config_error_of([&] {
    const Experiment e = load_experiment(path);
    expand(e, f.profile, f.set);
  });
  for (const auto& expected : f.expected) {
    EXPECT_NE(message.find(expected), std::string::npos) << "expected: " << expected << "\nmessage:\n" << message;
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, BadInput, ::testing::ValuesIn(fixtures()),
                         [](const ::testing::TestParamInfo<Fixture>& info) { return std::string(info.param.name); });

TEST(BadInputTest, ValidBaselineLoads) {
  TempDir dir;
  const Experiment e = load_experiment(dir.write("x.yaml", kValid));
  EXPECT_EQ(expand(e).size(), 4u);
  EXPECT_EQ(expand(e, "fast").size(), 2u);
}

TEST(BadInputTest, EveryErrorOfAFileIsReportedOncePerLine) {
  TempDir dir;
  std::string text = replace(kValid, "cardinality: 2", "cardinality: 0");
  text = replace(text, "seeds: [0, 1]", "seeds: [0, -1]\ncolour: red");
  const std::string message = config_error_of([&] { load_experiment(dir.write("x.yaml", text)); });
  // Three problems, three lines, none repeated although the variant is expanded once per profile.
  EXPECT_NE(message.find("seeds[1]: expected a non-negative integer, got -1"), std::string::npos) << message;
  EXPECT_NE(message.find("colour: unknown key \"colour\""), std::string::npos) << message;
  EXPECT_NE(message.find("variants[1].model.cardinality: expected a positive integer, got 0"), std::string::npos)
      << message;
  EXPECT_EQ(std::count(message.begin(), message.end(), '\n'), 2) << message;
}

// A bad train.epochs is one error: the schedule's rules are not also run against a default epochs (issue
// 16, item 13: a repeated message, dropped by the ErrorList for the second variant, used to let them run).
TEST(BadInputTest, BadEpochsIsReportedAloneForEveryVariant) {
  TempDir dir;
  const Experiment e = load_experiment(dir.write("x.yaml", kValid));
  for (const char* bad : {"train.epochs=0", "train.epochs=abc", "train.epochs=-2"}) {
    const std::string message = config_error_of([&] { expand(e, "", {bad}); });
    EXPECT_EQ(std::count(message.begin(), message.end(), '\n'), 0) << message;
    EXPECT_NE(message.find("train.epochs: expected a positive integer"), std::string::npos) << message;
  }
  const std::string in_file =
      config_error_of([&] { load_experiment(dir.write("y.yaml", replace(kValid, "{epochs: 5,", "{epochs: x,"))); });
  EXPECT_EQ(in_file, dir.path() + "/y.yaml:5:19: base.train.epochs: expected a positive integer, got \"x\"");
}

// Every bounded key's message names both ends of its range (item 5).
TEST(BadInputTest, EveryBoundedKeyNamesBothBounds) {
  TempDir dir;
  const Experiment e = load_experiment(dir.write("x.yaml", kValid));
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"train.lr=1e9"}, "train.lr: expected a learning rate in (0, 1e6], got 1e9"},
      {{"train.lr=0"}, "train.lr: expected a learning rate in (0, 1e6], got 0"},
      {{"train.momentum=1"}, "train.momentum: expected a number in [0, 1), got 1"},
      {{"train.weight_decay=-0.1"}, "train.weight_decay: expected a number in [0, 1), got -0.1"},
      {{"train.label_smoothing=2"}, "train.label_smoothing: expected a number in [0, 1), got 2"},
      {{"train.schedule.gamma=1.5"}, "train.schedule.gamma: expected a number in (0, 1], got 1.5"},
      {{"train.schedule={kind: cosine, min_lr: 2e6}"}, "train.schedule.min_lr: expected a number in [0, 1e6], got 2e6"},
      {{"train.schedule={kind: cosine, min_lr: 0.5}"}, "train.schedule.min_lr: expected a floor in [0, 0.1) (below train.lr)"},
      {{"train.schedule.warmup_epochs=5"}, "train.schedule.warmup_epochs: expected warm-up epochs in [0, 5) (fewer than train.epochs)"},
      {{"train.schedule.milestones=[2, 9]"}, "train.schedule.milestones[1]: expected a milestone in [1, 5) (below train.epochs)"},
      {{"model.width_scale=65"}, "model.width_scale: expected a width scale in (0, 64], got 65"},
      {{"model.blocks=[1, 1, 1, 1, 1, 1, 1, 1, 1]"}, "model.blocks: expected a list of 1 to 8 stages"},
      {{"data.synthetic_noise=2e9"}, "data.synthetic_noise: expected a number in [0, 1e9], got 2e9"},
      {{"data.train_subset=101"}, "data.train_subset: expected an integer in [0, 100] (the train split of synthetic), got 101"},
      {{"data.val_size=100"}, "data.val_size: expected an integer in [0, 100) (fewer than the 100 training images), got 100"},
  };
  for (const auto& [set, expected] : cases) {
    const std::string message = config_error_of([&] { expand(e, "", set); });
    EXPECT_NE(message.find(expected), std::string::npos) << set[0] << "\nexpected: " << expected << "\ngot: " << message;
  }
  const std::string paper =
      config_error_of([&] { load_experiment(dir.write("p.yaml", replace(kValid, "  - name: a", "  - name: a\n    paper: {top1_err: 101}"))); });
  EXPECT_NE(paper.find("variants[0].paper.top1_err: expected a percentage in [0, 100], got 101"), std::string::npos) << paper;
}

TEST(BadInputTest, MissingFileNamesIt) {
  const std::string message = config_error_of([] { load_experiment("/nonexistent/x.yaml"); });
  EXPECT_EQ(message, "/nonexistent/x.yaml: cannot read the file (missing or unreadable)");
}

TEST(BadInputTest, UnknownExperimentNameSuggestsOne) {
  TempDir dir;
  dir.write("smoke.yaml", kValid);
  const std::string message = config_error_of([&] { find_experiment("smoek", dir.path()); });
  EXPECT_NE(message.find("unknown experiment \"smoek\" (did you mean \"smoke\"?)"), std::string::npos) << message;
}

}  // namespace
}  // namespace ablate::config
