#pragma once
// An experiment (written to a scratch folder) and a store filled through the store API, shared by the
// table, figure and report tests: finished groups, an unfinished one (running + failed seeds), one
// never fully run, a variant without paper value, and a profile that plans one seed only.

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include "core/config/expand.h"
#include "core/config/experiment.h"
#include "results/run_record.h"
#include "results/store.h"
#include "store_test_support.h"

namespace ablate::results::testing {

constexpr const char* kExperiment = R"(name: tables
title: "Cardinality at preserved complexity: 50% & more_{x}"
base:
  model: {stem: cifar, blocks: [1, 1, 1], base_channels: 8, stem_channels: 8}
  data: {dataset: synthetic, synthetic_train_size: 200, synthetic_test_size: 100, synthetic_image_size: 16,
         synthetic_channels: 3, synthetic_classes: 10, synthetic_noise: 0.5}
  train: {epochs: 4, batch_size: 50}
seeds: [0, 1, 2]
variants:
  - {name: "ResNet 1x8d", model: {cardinality: 1, bottleneck_width: 8}, labels: {group: "depth 11"},
     paper: {top1_err: 23.9}}
  - {name: "ResNeXt 2x4d", model: {cardinality: 2, bottleneck_width: 4}, labels: {group: "depth 11"},
     paper: {top1_err: 23.0}}
  - {name: "ResNeXt 4x2d", model: {cardinality: 4, bottleneck_width: 2}, labels: {group: "depth 11"},
     paper: {top1_err: 22.2}}
  - {name: "ResNeXt 8x1d", model: {cardinality: 8, bottleneck_width: 1}, labels: {group: "depth 11"}}
  - {name: "ResNet-20 1x8d", model: {blocks: [2, 2, 2], cardinality: 1, bottleneck_width: 8},
     labels: {group: "depth 20"}, paper: {top1_err: 22.0}}
  - {name: "ResNeXt-20 | 4x2d", model: {blocks: [2, 2, 2], cardinality: 4, bottleneck_width: 2},
     labels: {group: "depth 20"}, paper: {top1_err: 21.2}}
profiles:
  one-seed: {seeds: [0]}
table: {group_by: group, metrics: [top1_err]}
claims:
  - {text: "8x1d beats 1x8d", better: "ResNeXt 8x1d", than: "ResNet 1x8d"}
  - {text: "2x4d beats 1x8d", better: "ResNeXt 2x4d", than: "ResNet 1x8d"}
  - {text: "error falls with cardinality", trend: ["ResNet 1x8d", "ResNeXt 2x4d", "ResNeXt 8x1d"],
     direction: decreasing}
  - {text: "4x2d beats 1x8d", better: "ResNeXt 4x2d", than: "ResNet 1x8d"}
)";

// The val error a (variant, seed) run logs at an epoch: falling with epochs, seeds 0.3 apart.
inline double val_error(std::size_t variant, int64_t seed, int64_t epoch) {
  return 40.0 - 3.0 * static_cast<double>(epoch) - 0.5 * static_cast<double>(variant) + 0.3 * static_cast<double>(seed);
}

class ExperimentStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string file = dir_.file("tables.yaml");
    std::ofstream(file) << kExperiment;
    experiment_ = config::load_experiment(file);
  }


  // Trains `epochs` epochs of a run on paper; then finishes, fails or leaves it running.
  enum class End { finish, fail, keep_running };
  void simulate(Store& store, const config::RunSpec& run, std::size_t variant, int64_t epochs, End end) {
    store.claim_run(run_record(run));
    for (int64_t e = 1; e <= epochs; ++e) {
      store.log_epoch(run.run_key, e, {{"val_top1_err", val_error(variant, run.seed, e)},
                                       {"train_top1_err", val_error(variant, run.seed, e) - 5},
                                       {"epoch_seconds", 1.5}});
    }
    if (end == End::finish) store.finish(run.run_key);
    if (end == End::fail) store.fail(run.run_key, "diverged");
  }

  // Default profile: variants 0, 1, 3, 4, 5 finished (all seeds); variant 2 has seed 0 finished,
  // seed 1 running at epoch 2, seed 2 failed. Variant 5 ran only seed 0 => progress.
  void fill_default(Store& store) {
    const auto runs = config::expand(experiment_, "");
    std::vector<std::string> order = experiment_.variant_names();
    for (const config::RunSpec& run : runs) {
      const std::size_t v = std::find(order.begin(), order.end(), run.variant) - order.begin();
      if (v == 2) {
        simulate(store, run, v, run.seed == 0 ? 4 : run.seed == 1 ? 2 : 1,
                 run.seed == 0 ? End::finish : run.seed == 1 ? End::keep_running : End::fail);
      } else if (v == 5) {
        if (run.seed == 0) simulate(store, run, v, 4, End::finish);
      } else {
        simulate(store, run, v, 4, End::finish);
      }
    }
  }

  ScratchDir dir_;
  config::Experiment experiment_;
};

}  // namespace ablate::results::testing
