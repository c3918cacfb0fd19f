// Expansion: merge order, extends, list replacement, dataset retargeting, match solving and run identity.
#include "core/config/expand.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <set>

#include "core/config/dataset_catalog.h"
#include "core/config/experiment.h"
#include "core/config/run_spec_json.h"
#include "core/config/sha256.h"
#include "core/config/weights_source.h"
#include "core/models/complexity.h"
#include "tests/config/config_test_util.h"

namespace ablate::config {
namespace {

using testing::config_error_of;
using testing::TempDir;

const char* const kSynthetic =
    "{dataset: synthetic, synthetic_train_size: 100, synthetic_test_size: 50, synthetic_image_size: 16, "
    "synthetic_channels: 3, synthetic_classes: 4}";

std::string small_experiment(const std::string& train, const std::string& variants, const std::string& extra = "") {
  return "name: t\nbase:\n  model: {stem: cifar, blocks: [1, 1, 1], base_channels: 8, stem_channels: 8}\n"
         "  data: " + std::string(kSynthetic) + "\n  train: " + train + "\nvariants:\n" + variants + extra;
}

const RunSpec& only_run_of(const std::vector<RunSpec>& runs, const std::string& variant, int64_t seed = 0) {
  for (const auto& r : runs) {
    if (r.variant == variant && r.seed == seed) return r;
  }
  throw std::runtime_error("no run " + variant);
}

TEST(Expand, SmokeExperimentHasItsDocumentedShape) {
  const Experiment e = load_experiment(std::string(ABLATE_SOURCE_DIR) + "/experiments/smoke.yaml");
  EXPECT_EQ(e.name, "smoke");
  EXPECT_EQ(e.variant_names(), (std::vector<std::string>{"ResNet 1x4d", "ResNeXt 4x2d"}));
  EXPECT_EQ(e.profile_names(), (std::vector<std::string>{"one-seed"}));
  EXPECT_EQ(e.table.group_by, "group");
  EXPECT_EQ(e.table.metrics, (std::vector<std::string>{"top1_err", "top5_err"}));
  EXPECT_EQ(e.plot.x, "params");

  const auto runs = expand(e);
  ASSERT_EQ(runs.size(), 4u);
  EXPECT_EQ(runs[0].variant, "ResNet 1x4d");
  EXPECT_EQ(runs[0].seed, 0);
  EXPECT_EQ(runs[1].seed, 1);
  const RunSpec& resnext = runs[2];
  EXPECT_EQ(resnext.model.options.cardinality(), 4);
  EXPECT_EQ(resnext.model.options.bottleneck_width(), 2);
  EXPECT_EQ(resnext.model.options.input_channels(), 3);
  EXPECT_EQ(resnext.model.options.num_classes(), 10);
  EXPECT_EQ(resnext.model.image_size, 16);
  EXPECT_EQ(resnext.data.root, "");
  EXPECT_EQ(resnext.labels.at("group"), "ResNeXt");
  // Small enough for seconds on a CPU.
  EXPECT_LT(models::count_params(resnext.model.options), 100000);

  const auto quick = expand(e, "one-seed");
  ASSERT_EQ(quick.size(), 2u);
  EXPECT_EQ(quick[0].train.epochs, 1);
  EXPECT_TRUE(quick[0].train.schedule.milestones.empty());
  EXPECT_EQ(quick[0].profile, "one-seed");
}

TEST(Expand, MergeOrderIsBaseProfileVariantSet) {
  TempDir dir;
  const std::string path = dir.write(
      "x.yaml", small_experiment("{epochs: 5, lr: 0.5, momentum: 0.5, weight_decay: 0.001}",
                                 "  - name: plain\n"
                                 "  - name: own\n    train: {epochs: 3}\n",
                                 "profiles:\n  p: {base: {train: {epochs: 4, lr: 0.25}}}\n"));
  const Experiment e = load_experiment(path);
  EXPECT_EQ(only_run_of(expand(e), "plain").train.epochs, 5);
  EXPECT_EQ(only_run_of(expand(e, "p"), "plain").train.epochs, 4);
  EXPECT_EQ(only_run_of(expand(e, "p"), "own").train.epochs, 3);  // variant over profile
  const auto set = expand(e, "p", {"train.epochs=2", "train.momentum=0.75"});
  EXPECT_EQ(only_run_of(set, "own").train.epochs, 2);  // --set over everything
  EXPECT_DOUBLE_EQ(only_run_of(set, "own").train.lr, 0.25);
  EXPECT_DOUBLE_EQ(only_run_of(set, "own").train.momentum, 0.75);
  EXPECT_DOUBLE_EQ(only_run_of(set, "own").train.weight_decay, 0.001);
  // Later --set arguments win over earlier ones.
  EXPECT_EQ(only_run_of(expand(e, "", {"train.epochs=2", "train.epochs=7"}), "plain").train.epochs, 7);
}

TEST(Expand, WidthScaleShrinksGivenWidthsButNotMatchedOnes) {
  TempDir dir;
  const std::string path = dir.write(
      "w.yaml", small_experiment("{epochs: 1}",
                                 "  - name: wide\n    model: {cardinality: 1, bottleneck_width: 64}\n"
                                 "  - name: narrow\n    model: {cardinality: 64, bottleneck_width: 4}\n"
                                 "  - name: matched\n    model: {cardinality: 4, match: {reference: wide}}\n",
                                 "profiles:\n  small: {base: {model: {width_scale: 0.25}}}\n"));
  const Experiment e = load_experiment(path);
  EXPECT_EQ(only_run_of(expand(e), "wide").model.options.bottleneck_width(), 64);
  const auto small = expand(e, "small");
  EXPECT_EQ(only_run_of(small, "wide").model.options.bottleneck_width(), 16);
  EXPECT_EQ(only_run_of(small, "narrow").model.options.bottleneck_width(), 1);
  // The solver matches the scaled reference, 1x16d, not 1x64d.
  const auto& matched = only_run_of(small, "matched").model;
  EXPECT_EQ(matched.matched_reference, "wide");
  EXPECT_LT(matched.options.bottleneck_width(), only_run_of(expand(e), "matched").model.options.bottleneck_width());
  EXPECT_LT(std::abs(matched.match_relative_difference), 0.1);
  const std::string bad = config_error_of([&] { expand(e, "", {"model.width_scale=0"}); });
  EXPECT_NE(bad.find("model.width_scale: expected a width scale in (0, 64], got 0"), std::string::npos) << bad;
}

TEST(Expand, AnOverlayScheduleKindDropsTheBaseKindsKeys) {
  TempDir dir;
  const std::string path = dir.write(
      "s.yaml", small_experiment("{epochs: 10, schedule: {kind: multistep, milestones: [5, 8], gamma: 0.2}}",
                                 "  - name: v\n",
                                 "profiles:\n  cos: {base: {train: {epochs: 4, schedule: {kind: cosine, min_lr: 0.001}}}}\n"
                                 "  gam: {base: {train: {schedule: {gamma: 0.5}}}}\n"));
  const Experiment e = load_experiment(path);
  const RunSpec cosine = only_run_of(expand(e, "cos"), "v");
  EXPECT_EQ(cosine.train.schedule.kind, ScheduleKind::cosine);
  EXPECT_TRUE(cosine.train.schedule.milestones.empty());
  EXPECT_DOUBLE_EQ(cosine.train.schedule.min_lr, 0.001);
  // Without a kind, an overlay still merges key by key.
  const RunSpec gamma = only_run_of(expand(e, "gam"), "v");
  EXPECT_EQ(gamma.train.schedule.milestones, (std::vector<int64_t>{5, 8}));
  EXPECT_DOUBLE_EQ(gamma.train.schedule.gamma, 0.5);
  // The same rule for --set.
  EXPECT_EQ(only_run_of(expand(e, "", {"train.schedule={kind: step, step_size: 3}"}), "v").train.schedule.step_size, 3);
}

TEST(Expand, ListsReplaceAndSetTakesListsAndSeeds) {
  TempDir dir;
  const Experiment e = load_experiment(
      dir.write("x.yaml", small_experiment("{epochs: 9, schedule: {kind: multistep, milestones: [3, 6, 8]}}",
                                           "  - name: a\n    train: {schedule: {milestones: [4]}}\n  - name: b\n")));
  const auto runs = expand(e);
  EXPECT_EQ(only_run_of(runs, "a").train.schedule.milestones, (std::vector<int64_t>{4}));
  EXPECT_EQ(only_run_of(runs, "b").train.schedule.milestones, (std::vector<int64_t>{3, 6, 8}));
  const auto set = expand(e, "", {"train.schedule.milestones=[1, 2]", "seeds=[5, 6, 7]"});
  EXPECT_EQ(set.size(), 6u);
  EXPECT_EQ(only_run_of(set, "a", 7).train.schedule.milestones, (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(only_run_of(expand(e, "", {"model.blocks=[2, 1, 1]"}), "b").model.options.blocks(),
            (std::vector<int64_t>{2, 1, 1}));
}

TEST(Expand, ExtendsInheritsBaseProfilesAndHints) {
  TempDir dir;
  dir.write("parent/base.yaml", small_experiment("{epochs: 6, lr: 0.2}", "  - name: inherited\n",
                                                 "profiles:\n  short: {base: {train: {epochs: 2}}, seeds: [3]}\n"
                                                 "table: {metrics: [top5_err]}\n"));
  const std::string child = dir.write(
      "child/x.yaml", "name: child\nextends: ../parent/base.yaml\nbase:\n  train: {lr: 0.3}\n"
                      "variants:\n  - name: mine\n    labels: {group: g}\nprofiles:\n  short: {seeds: [4]}\n"
                      "table: {group_by: group}\n");
  const Experiment e = load_experiment(child);
  EXPECT_EQ(e.name, "child");
  ASSERT_EQ(e.extends.size(), 1u);
  EXPECT_EQ(e.variant_names(), (std::vector<std::string>{"mine"}));  // variants replace
  EXPECT_EQ(e.table.group_by, "group");
  EXPECT_EQ(e.table.metrics, (std::vector<std::string>{"top5_err"}));  // hints merge
  const auto runs = expand(e);
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].train.epochs, 6);
  EXPECT_DOUBLE_EQ(runs[0].train.lr, 0.3);
  EXPECT_EQ(runs[0].experiment, "child");
  const auto short_runs = expand(e, "short");
  ASSERT_EQ(short_runs.size(), 1u);
  EXPECT_EQ(short_runs[0].seed, 4);             // the child's profile merged over the parent's
  EXPECT_EQ(short_runs[0].train.epochs, 2);     // and the parent's profile settings kept

  // A child without variants inherits them.
  const Experiment bare = load_experiment(dir.write("child/bare.yaml", "name: bare\nextends: ../parent/base.yaml\n"));
  EXPECT_EQ(bare.variant_names(), (std::vector<std::string>{"inherited"}));
}

TEST(Expand, DatasetDrivesInputsClassesAndImageSize) {
  TempDir dir;
  const Experiment e = load_experiment(dir.write("x.yaml", small_experiment("{epochs: 1}", "  - name: a\n")));
  ::unsetenv("ABLATE_DATA");
  const RunSpec fashion = expand(e, "", {"data.dataset=fashion-mnist"})[0];
  EXPECT_EQ(fashion.model.options.input_channels(), 1);
  EXPECT_EQ(fashion.model.options.num_classes(), 10);
  EXPECT_EQ(fashion.model.image_size, 28);
  EXPECT_EQ(fashion.data.root, "/usr/share/datasets/fashion-mnist");
  EXPECT_EQ(fashion.data.synthetic_classes, 0);  // synthetic settings do not follow a real dataset

  const RunSpec coarse = expand(e, "", {"data={dataset: cifar100, label_kind: coarse, root: /d/c100}"})[0];
  EXPECT_EQ(coarse.model.options.num_classes(), 20);
  EXPECT_EQ(coarse.model.options.input_channels(), 3);
  EXPECT_EQ(coarse.data.root, "/d/c100");

  ::setenv("ABLATE_DATA", "/srv/data", 1);
  EXPECT_EQ(expand(e, "", {"data.dataset=cifar10"})[0].data.root, "/srv/data/cifar10");
  ::unsetenv("ABLATE_DATA");
  EXPECT_EQ(resolve_root("mnist", ""), "data/mnist");
  EXPECT_EQ(resolve_root("synthetic", "/ignored"), "");
}

TEST(Expand, OverlayDepthReplacesBaseBlocksAndPresetIsAStartingPoint) {
  TempDir dir;
  const Experiment e = load_experiment(dir.write(
      "x.yaml", small_experiment("{epochs: 1}", "  - name: deep\n    model: {depth: 20}\n"
                                                "  - name: preset\n    model: {preset: resnext29_8x64d, base_channels: 8}\n")));
  const auto runs = expand(e);
  EXPECT_EQ(only_run_of(runs, "deep").model.options.blocks(), (std::vector<int64_t>{2, 2, 2}));
  const RunSpec& preset = only_run_of(runs, "preset");
  EXPECT_EQ(preset.model.options.blocks(), (std::vector<int64_t>{3, 3, 3}));
  EXPECT_EQ(preset.model.options.cardinality(), 8);
  EXPECT_EQ(preset.model.options.bottleneck_width(), 64);
  EXPECT_EQ(preset.model.options.base_channels(), 8);
  EXPECT_EQ(preset.model.options.num_classes(), 4);  // the data's, not the preset's 10
  EXPECT_EQ(preset.model.preset, "resnext29_8x64d+base8,stem8,classes4");
}

// Paper Table 3 at ImageNet scale: ResNeXt-50 with C = 32 at the complexity of ResNet-50 has d = 4,
// whether the reference is the preset or a variant; Table 2's block-scope widths for C = 2, 4, 8.
TEST(Expand, MatchSolvesTheBottleneckWidth) {
  TempDir dir;
  const Experiment e = load_experiment(dir.write("x.yaml", R"(name: table3
base:
  model: {depth: 50}
  data: {dataset: imagenet}
variants:
  - {name: ResNet-50 1x64d, model: {cardinality: 1, bottleneck_width: 64}}
  - {name: by preset, model: {cardinality: 32, match: {reference: resnet50, by: params}}}
  - {name: by variant, model: {cardinality: 32, match: {reference: ResNet-50 1x64d, by: macs}}}
  - {name: C2, model: {cardinality: 2, match: {reference: ResNet-50 1x64d, scope: block}}}
  - {name: C4, model: {cardinality: 4, match: {reference: ResNet-50 1x64d, scope: block}}}
  - {name: C8, model: {cardinality: 8, match: {reference: C4, scope: block}}}
)"));
  const auto runs = expand(e);
  const RunSpec& by_preset = only_run_of(runs, "by preset");
  EXPECT_EQ(by_preset.model.options.bottleneck_width(), 4);
  EXPECT_EQ(by_preset.model.matched_reference, "resnet50");
  EXPECT_EQ(by_preset.model.matched_by, "params");
  EXPECT_EQ(by_preset.model.matched_scope, "network");
  EXPECT_EQ(by_preset.model.preset, "resnext50_32x4d");
  EXPECT_NEAR(by_preset.model.match_relative_difference, (25028904.0 - 25557032.0) / 25557032.0, 1e-9);
  EXPECT_EQ(only_run_of(runs, "by variant").model.options.bottleneck_width(), 4);
  EXPECT_EQ(only_run_of(runs, "by variant").model.matched_by, "macs");
  EXPECT_EQ(only_run_of(runs, "C2").model.options.bottleneck_width(), 40);
  EXPECT_EQ(only_run_of(runs, "C4").model.options.bottleneck_width(), 24);
  EXPECT_EQ(only_run_of(runs, "C8").model.options.bottleneck_width(), 14);  // chained through C4
  // The unmatched reference keeps its own width; a --set of a width would replace a match.
  EXPECT_EQ(only_run_of(runs, "ResNet-50 1x64d").model.matched_reference, "");
  EXPECT_EQ(only_run_of(expand(e, "", {"model.bottleneck_width=8"}), "C2").model.options.bottleneck_width(), 8);
}

// match with solve: depth: the stage blocks are solved, the width stays the template's, whether given
// beside the match or inherited from the base (a match would otherwise drop an inherited width).
TEST(Expand, DepthMatchSolvesTheBlocksAndKeepsTheWidth) {
  TempDir dir;
  const Experiment e = load_experiment(dir.write("x.yaml", R"(name: deeper
base:
  model: {depth: 50, cardinality: 1, bottleneck_width: 64}
  data: {dataset: imagenet}
variants:
  - {name: ResNet-101, model: {depth: 101}}
  - {name: deeper inherited, model: {match: {reference: ResNet-101, by: macs, solve: depth}}}
  - {name: deeper given, model: {bottleneck_width: 64, match: {reference: resnet101, solve: depth}}}
  - {name: ResNeXt deeper, model: {cardinality: 32, bottleneck_width: 4,
                                   match: {reference: resnext101_64x4d, by: macs, solve: depth}}}
)"));
  const auto runs = expand(e);
  for (const char* name : {"deeper inherited", "deeper given"}) {
    const RunSpec& run = only_run_of(runs, name);
    EXPECT_EQ(run.model.options.blocks(), (std::vector<int64_t>{3, 4, 23, 3})) << name;
    EXPECT_EQ(run.model.options.bottleneck_width(), 64) << name;
    EXPECT_EQ(run.model.matched_solve, "depth") << name;
    EXPECT_EQ(run.model.match_relative_difference, 0.0) << name;
    EXPECT_EQ(run.model.preset, "resnet101") << name;
  }
  const RunSpec& resnext = only_run_of(runs, "ResNeXt deeper");
  EXPECT_EQ(resnext.model.options.bottleneck_width(), 4);
  EXPECT_EQ(resnext.model.options.cardinality(), 32);
  EXPECT_EQ(resnext.model.options.blocks().size(), 4u);
  EXPECT_GT(resnext.model.options.blocks()[2], 23);
  EXPECT_LT(std::abs(resnext.model.match_relative_difference), 0.02);
  EXPECT_EQ(only_run_of(runs, "ResNet-101").model.matched_solve, "");
  // A later width (--set, here for every variant, the reference too) keeps the depth match: the blocks are
  // solved again at that width (without the match they would stay ResNet-50's [3, 4, 6, 3]).
  const auto narrowed = expand(e, "", {"model.bottleneck_width=8"});
  const RunSpec& narrow = only_run_of(narrowed, "deeper inherited");
  EXPECT_EQ(narrow.model.options.bottleneck_width(), 8);
  EXPECT_EQ(narrow.model.matched_solve, "depth");
  EXPECT_EQ(narrow.model.options.blocks(), (std::vector<int64_t>{3, 4, 23, 3}));

  // A width given beside a width match is still an error, and so is a depth match at block scope.
  const std::string bad = config_error_of([&] {
    load_experiment(dir.write("bad.yaml", R"(name: bad
variants:
  - {name: a}
  - {name: b, model: {bottleneck_width: 4, match: {reference: a}}}
  - {name: c, model: {match: {reference: a, solve: depth, scope: block}}}
  - {name: d, model: {match: {reference: a, solve: height}}}
)"));
  });
  EXPECT_NE(bad.find("give bottleneck_width or match, not both"), std::string::npos) << bad;
  EXPECT_NE(bad.find("solve: depth needs scope network"), std::string::npos) << bad;
  EXPECT_NE(bad.find("solve"), std::string::npos) << bad;
  EXPECT_NE(bad.find("height"), std::string::npos) << bad;
}

std::string hashed_experiment(const std::string& body) {
  return "name: h\nvariants:\n  - name: v\n" + body;
}

std::vector<RunSpec> runs_of(const std::string& text, const std::vector<std::string>& set = {}) {
  TempDir dir;
  return expand(load_experiment(dir.write("x.yaml", text)), "", set);
}

TEST(RunIdentity, KeyOrderAndNumberSpellingDoNotMatter) {
  const std::string common = "base:\n  model: {stem: cifar, blocks: [1, 1, 1], base_channels: 8}\n";
  const auto a = runs_of(hashed_experiment(
      "base:\n  model: {stem: cifar, blocks: [1, 1, 1], base_channels: 8}\n"
      "  train: {lr: 0.1, weight_decay: 0.0001, momentum: 0.9, schedule: {gamma: 0.10}}\n"));
  const auto b = runs_of(hashed_experiment(
      "base:\n  train: {schedule: {gamma: 1e-1}, momentum: 9.0e-1, weight_decay: 1.0e-4, lr: 1e-1}\n"
      "  model: {base_channels: 8, blocks: [1, 1, 1], stem: cifar}\n"));
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(a[0].canonical, b[0].canonical);
  EXPECT_EQ(a[0].run_key, b[0].run_key);
  EXPECT_EQ(a[0].run_key.size(), 16u);
  EXPECT_EQ(a[0].run_key.find_first_not_of("0123456789abcdef"), std::string::npos);
  // The same settings through --set are the same run.
  const auto c = runs_of(hashed_experiment(common), {"train.lr=0.1", "train.weight_decay=1e-4"});
  EXPECT_EQ(c[0].run_key, a[0].run_key);
}

TEST(RunIdentity, SemanticChangesChangeTheKeyAndSeedsShareTheGroup) {
  const std::string common = "base:\n  model: {stem: cifar, blocks: [1, 1, 1], base_channels: 8}\n";
  const auto base = runs_of(hashed_experiment(common) + "seeds: [0, 1]\n");
  ASSERT_EQ(base.size(), 2u);
  EXPECT_NE(base[0].run_key, base[1].run_key);
  EXPECT_EQ(base[0].group_key, base[1].group_key);
  EXPECT_NE(base[0].group_key, base[0].run_key);

  std::set<std::string> keys = {base[0].run_key};
  const std::vector<std::vector<std::string>> changes = {
      {"train.epochs=2"}, {"train.lr=0.05"}, {"model.cardinality=2"}, {"model.shortcut=false"},
      {"data.train_subset=1000"}, {"train.precision=bf16"}, {"train.schedule={kind: cosine}"},
      {"data.dataset=mnist"}, {"train.nesterov=true"}, {"model.zero_init_last_bn=true"}};
  for (const auto& change : changes) {
    const auto runs = runs_of(hashed_experiment(common), change);
    EXPECT_TRUE(keys.insert(runs[0].run_key).second) << change[0] << " did not change the run key";
    EXPECT_NE(runs[0].group_key, base[0].group_key) << change[0];
  }
  // Renaming the variant or the experiment is a different run too.
  EXPECT_NE(runs_of("name: h\nvariants:\n  - name: w\n" + common)[0].run_key, base[0].run_key);
  EXPECT_NE(runs_of("name: g\nvariants:\n  - name: v\n" + common)[0].run_key, base[0].run_key);
}

TEST(RunIdentity, PlacementTitlesPaperValuesAndLabelsAreNotIdentity) {
  const std::string common = "base:\n  model: {stem: cifar, blocks: [1, 1, 1], base_channels: 8}\n";
  const auto base = runs_of(hashed_experiment(common));
  const auto decorated = runs_of("name: h\ntitle: Something\ndescription: more\nvariants:\n  - name: v\n"
                                 "    paper: {top1_err: 22.2}\n    labels: {group: x}\n" +
                                 common + "table: {group_by: group}\n");
  EXPECT_EQ(decorated[0].run_key, base[0].run_key);
  EXPECT_EQ(decorated[0].paper.at("top1_err"), 22.2);
  const auto placed = runs_of(hashed_experiment(common),
                              {"train.device=cuda:1", "train.threads=2", "data.root=/elsewhere", "train.channels_last=false"});
  EXPECT_EQ(placed[0].run_key, base[0].run_key);
}

// The training key: what the training computes (model, data, train settings, seed), not what the run is
// called. Two experiments that train the same network on the same data with the same seed share it.
TEST(RunIdentity, TrainingKeyFollowsTheTrainingNotTheNames) {
  const std::string common = "base:\n  model: {stem: cifar, blocks: [1, 1, 1], base_channels: 8}\n";
  const auto base = runs_of(hashed_experiment(common) + "seeds: [0, 1]\n");
  ASSERT_EQ(base.size(), 2u);
  EXPECT_EQ(base[0].training_key.size(), 16u);
  EXPECT_EQ(base[0].training_key.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(base[0].training_key, base[0].run_key);
  EXPECT_NE(base[0].training_key, base[1].training_key) << "the seed decides the training";

  // Other experiment and variant names, a profile, paper values, labels and placement: same training.
  const auto renamed = runs_of("name: other-experiment\ntitle: T\nvariants:\n  - name: another variant\n"
                               "    paper: {top1_err: 22.2}\n    labels: {group: x, setting: y}\n" +
                               common + "table: {group_by: group}\n");
  EXPECT_NE(renamed[0].run_key, base[0].run_key);
  EXPECT_EQ(renamed[0].training_key, base[0].training_key);
  const auto placed = runs_of(hashed_experiment(common), {"train.device=cuda:1", "train.threads=2",
                                                          "data.root=/elsewhere", "train.eval_batch_size=7"});
  EXPECT_EQ(placed[0].training_key, base[0].training_key);

  // lr, seed, data subset, model, epochs, schedule: another training.
  std::set<std::string> keys = {base[0].training_key, base[1].training_key};
  const std::vector<std::vector<std::string>> changes = {
      {"train.lr=0.05"}, {"seeds=[7]"}, {"data.train_subset=1000"}, {"model.cardinality=2"},
      {"model.blocks=[1, 2, 1]"}, {"train.epochs=2"}, {"train.schedule={kind: cosine}"}, {"data.val_size=100"}};
  for (const auto& change : changes) {
    const auto runs = runs_of(hashed_experiment(common), change);
    EXPECT_TRUE(keys.insert(runs[0].training_key).second) << change[0] << " did not change the training key";
  }
  // The JSON of a run carries it, and reading that JSON back gives the same key.
  const nlohmann::json json = to_json(base[0]);
  EXPECT_EQ(json.at("training_key"), base[0].training_key);
  EXPECT_EQ(run_spec_from_json(json).training_key, base[0].training_key);
}

// Schedule kind, precision and device became enums (parsed once, printed with the same text): the run
// keys of stored runs must not change. These keys were computed by the code before the change (commit
// 2b2d099); the seed is not the default and each schedule kind, both precisions and a cuda:N appear.
TEST(RunIdentity, KeysOfRunsStoredBeforeTheEnumsAreUnchanged) {
  TempDir dir;
  const std::string path = dir.write("identity.yaml", R"(name: identity
base:
  model: {stem: cifar, blocks: [1, 1, 1], base_channels: 8}
  data: {dataset: synthetic, synthetic_train_size: 100, synthetic_test_size: 50, synthetic_image_size: 16, synthetic_channels: 1, synthetic_classes: 4}
  train: {epochs: 6, precision: bf16, device: "cuda:1", schedule: {kind: cosine, warmup_epochs: 1, min_lr: 0.001}}
seeds: [3]
variants:
  - name: cosine
  - name: step
    train: {precision: fp32, device: cpu, schedule: {kind: step, step_size: 2, gamma: 0.5}}
  - name: multistep
    train: {schedule: {kind: multistep, milestones: [2, 4]}}
)");
  const auto runs = expand(load_experiment(path));
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_EQ(runs[0].run_key, "92aefbae13432e3f");
  EXPECT_EQ(runs[0].group_key, "2efce39f54bd2464");
  EXPECT_EQ(runs[1].run_key, "8561e6f240cd818e");
  EXPECT_EQ(runs[1].group_key, "c3f6b81c2215d6bb");
  EXPECT_EQ(runs[2].run_key, "1fb11c59060e0a5d");
  EXPECT_EQ(runs[2].group_key, "78ceefd69e70383e");
  EXPECT_EQ(runs[0].train.device, parse_device("cuda:1"));
  EXPECT_EQ(runs[0].train.precision, Precision::bf16);
  EXPECT_EQ(runs[1].train.schedule.kind, ScheduleKind::step);
}

TEST(TrainEnums, ParsedOnceAndPrintedWithTheSameText) {
  for (const auto& name : schedule_kind_names()) EXPECT_EQ(to_string(parse_schedule_kind(name)), name);
  for (const auto& name : precision_names()) EXPECT_EQ(to_string(parse_precision(name)), name);
  for (const char* device : {"auto", "cpu", "cuda", "cuda:0", "cuda:12"}) EXPECT_EQ(to_string(parse_device(device)), device);
  EXPECT_EQ(parse_device("cuda").index, -1);
  EXPECT_EQ(parse_device("cuda:12").index, 12);
  EXPECT_EQ(parse_device("auto").kind, DeviceKind::automatic);
  const auto message_of = [](auto parse, const char* text) -> std::string {
    try {
      parse(text);
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_EQ(message_of(parse_schedule_kind, "linear"),
            "train.schedule.kind: expected step, multistep or cosine, got \"linear\"");
  EXPECT_EQ(message_of(parse_precision, "fp16"), "train.precision: expected fp32 or bf16, got \"fp16\"");
  for (const char* bad : {"gpu", "cuda:", "cuda:x", "cuda:99999", "CPU", ""}) {
    EXPECT_EQ(message_of(parse_device, bad),
              std::string("train.device: expected auto, cpu, cuda or cuda:N, got \"") + bad + "\"");
  }
}

TEST(RunIdentity, JsonRoundTripKeepsEverything) {
  const Experiment e = load_experiment(std::string(ABLATE_SOURCE_DIR) + "/experiments/smoke.yaml");
  for (const RunSpec& run : expand(e, "one-seed")) {
    const nlohmann::json j = to_json(run);
    EXPECT_EQ(j.at("run_key"), run.run_key);
    const RunSpec back = run_spec_from_json(nlohmann::json::parse(j.dump()));
    EXPECT_EQ(back.run_key, run.run_key);
    EXPECT_EQ(back.group_key, run.group_key);
    EXPECT_EQ(to_json(back), j);
  }
  // Sorted keys, compact: the canonical text is itself stable.
  const RunSpec run = expand(e)[0];
  EXPECT_EQ(run.canonical.rfind("{\"data\":{", 0), 0u) << run.canonical;
  EXPECT_EQ(run.canonical.find("\"root\""), std::string::npos);
  EXPECT_EQ(run.canonical.find("\"device\""), std::string::npos);
  EXPECT_NE(run.canonical.find("\"seed\":0"), std::string::npos);
}

// model.init_from counts by the bytes of the file, not by where it lies.
TEST(RunIdentity, InitFromCountsByTheFilesDigest) {
  ablate::testing::CaseTempDir dir("weights");  // not TempDir: runs_of() makes and removes that one
  const std::string common = "base:\n  model: {stem: cifar, blocks: [1, 1, 1], base_channels: 8}\n";
  const std::string a = dir.write("a/weights.pt", "some bytes");
  const std::string b = dir.write("b/copy.pt", "some bytes");
  const std::string other = dir.write("c/other.pt", "other bytes");
  const RunSpec scratch = runs_of(hashed_experiment(common))[0];
  const RunSpec from_a = runs_of(hashed_experiment(common), {"model.init_from=" + a})[0];
  EXPECT_NE(from_a.run_key, scratch.run_key) << "fine-tuning is not training from scratch";
  EXPECT_NE(from_a.group_key, scratch.group_key);
  EXPECT_EQ(from_a.model.init_from.path, a);
  EXPECT_EQ(from_a.model.init_from.sha256, sha256_hex("some bytes"));
  EXPECT_NE(from_a.canonical.find("\"init_from_sha256\":\"" + sha256_hex("some bytes") + "\""), std::string::npos);
  EXPECT_EQ(from_a.canonical.find(a), std::string::npos) << "the path is not identity";
  EXPECT_EQ(runs_of(hashed_experiment(common), {"model.init_from=" + b})[0].run_key, from_a.run_key);
  EXPECT_NE(runs_of(hashed_experiment(common), {"model.init_from=" + other})[0].run_key, from_a.run_key);
  // Given in the file, relative to the working directory; an empty value clears a lower layer's.
  const std::string relative = std::filesystem::relative(a).string();
  const std::string in_file = "base:\n  model: {stem: cifar, blocks: [1, 1, 1], base_channels: 8, init_from: " +
                              relative + "}\n";
  EXPECT_EQ(runs_of(hashed_experiment(in_file))[0].run_key, from_a.run_key);
  EXPECT_EQ(runs_of(hashed_experiment(in_file), {"model.init_from=\"\""})[0].run_key, scratch.run_key);
  // Stored and read back with the path.
  const RunSpec back = run_spec_from_json(to_json(from_a));
  EXPECT_EQ(back.model.init_from.path, a);
  EXPECT_EQ(back.run_key, from_a.run_key);
}

TEST(RunIdentity, EvaluationRunsHaveTheirOwnKeyAndKnowTheirSetting) {
  ablate::testing::CaseTempDir dir("weights");
  const std::string common = "base:\n  model: {stem: cifar, blocks: [1, 1, 1], base_channels: 8}\n";
  const RunSpec planned = runs_of(hashed_experiment(common))[0];
  const WeightsSource weights = weights_source(dir.write("w.pt", "weights"));
  const RunSpec evaluation = evaluation_spec(planned, weights);
  EXPECT_TRUE(evaluation.evaluation_only());
  EXPECT_FALSE(planned.evaluation_only());
  EXPECT_NE(evaluation.run_key, planned.run_key);
  EXPECT_NE(evaluation.run_key, evaluation_spec(planned, weights_source(dir.write("v.pt", "other"))).run_key);
  // Evaluating weights is not the same run as fine-tuning from them.
  const RunSpec fine_tuned = runs_of(hashed_experiment(common), {"model.init_from=" + weights.path})[0];
  EXPECT_NE(evaluation.run_key, fine_tuned.run_key);
  // The stored config leads back to the planned run, which is how tables place an evaluation.
  const RunSpec stored = run_spec_from_json(nlohmann::json::parse(to_json(evaluation).dump()));
  EXPECT_EQ(stored.run_key, evaluation.run_key);
  EXPECT_EQ(stored.evaluated_weights.path, weights.path);
  EXPECT_EQ(evaluated_setting(stored).run_key, planned.run_key);
  EXPECT_THROW(weights_source(dir.file("absent.pt")), std::runtime_error);
  EXPECT_THROW(weights_source(dir.path()), std::runtime_error);
}

TEST(DatasetCatalog, FactsAndSynthetic) {
  ASSERT_NE(find_dataset("cifar100"), nullptr);
  EXPECT_EQ(find_dataset("cifar100")->coarse_classes, 20);
  EXPECT_EQ(find_dataset("fashion-mnist")->channels, 1);
  EXPECT_EQ(find_dataset("nope"), nullptr);
  DataSpec synthetic;
  synthetic.dataset = "synthetic";
  synthetic.synthetic_channels = 2;
  synthetic.synthetic_image_size = 12;
  synthetic.synthetic_classes = 7;
  const DatasetFacts facts = facts_for(synthetic);
  EXPECT_EQ(facts.channels, 2);
  EXPECT_EQ(facts.image_size, 12);
  EXPECT_EQ(facts.classes, 7);
  DataSpec unknown;
  unknown.dataset = "svhn";
  EXPECT_THROW(facts_for(unknown), std::invalid_argument);
}

TEST(ExperimentLookup, NamesPathsAndDirectories) {
  TempDir dir;
  const std::string file = dir.write("abl.yaml", small_experiment("{epochs: 1}", "  - name: a\n"));
  dir.write("notes.txt", "not an experiment");
  EXPECT_EQ(find_experiment("abl", dir.path()), file);
  EXPECT_EQ(find_experiment(file), file);
  EXPECT_EQ(list_experiment_files(dir.path()), (std::vector<std::string>{file}));
  ::setenv("ABLATE_EXPERIMENTS", dir.path().c_str(), 1);
  EXPECT_EQ(experiments_dir(), dir.path());
  EXPECT_EQ(find_experiment("abl"), file);
  ::unsetenv("ABLATE_EXPERIMENTS");
  EXPECT_EQ(experiments_dir("/x"), "/x");
  EXPECT_NE(config_error_of([&] { find_experiment(dir.path() + "/missing.yaml"); }).find("no such experiment file"),
            std::string::npos);
}

}  // namespace
}  // namespace ablate::config
