#pragma once
// A run's stored metric history without the timing metrics (images/s, epoch seconds), which differ from
// one run to the next: what two runs of the same deterministic training must agree on exactly.

#include <cstdint>
#include <map>
#include <string>

#include "results/store.h"

namespace ablate::testing {

inline std::map<int64_t, std::map<std::string, double>> history_without_timing(const results::Store& store,
                                                                               const std::string& run_key) {
  std::map<int64_t, std::map<std::string, double>> history;
  for (const char* metric : {"train_loss", "train_top1_err", "val_loss", "val_top1_err", "val_top5_err", "lr"}) {
    for (const auto& point : store.curve(run_key, metric)) history[point.epoch][metric] = point.value;
  }
  return history;
}

}  // namespace ablate::testing
