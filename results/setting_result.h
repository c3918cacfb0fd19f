#pragma once
// One setting (variant) of an experiment with everything a table row, a comparison or a claim needs:
// plain data collected from the experiment and the results store (collect_settings, table_builder.h),
// so layouts and statistics are testable without a store.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "results/table_model.h"

namespace ablate::results {

struct SettingResult {
  std::string variant;
  std::string group;    // value of the group_by label; "" when the table is not grouped
  std::string setting;  // "32x4d"
  std::string row;      // value of the table's `row` label, else the variant name (shortcut layout key)
  bool shortcut = true; // model.shortcut
  int64_t params = 0;
  int64_t macs = 0;
  std::map<std::string, double> paper;                // metric -> the paper's value
  std::map<std::string, std::vector<double>> values;  // metric -> values of the finished seeds, in seed order
  std::map<std::string, std::vector<int64_t>> seeds;  // metric -> the seed of each value
  std::string eval_split;  // "val" or "test": what the val_* metrics were measured on (store, else config)
  Progress progress;       // seeds_total = seeds planned by the experiment
  // An evaluation-only run (`ablate eval`) of the setting listed before it: variant and row end in
  // ", evaluated: FILE", values hold its one evaluation. Not a sample over seeds: it takes no part in
  // comparisons, contests for best, or claims.
  bool evaluation_only = false;
  // Finished seeds whose results were adopted from a run of another experiment or variant with the same
  // training key (results::Store::adopt): the row is marked "(adopted)", the footer says so.
  int64_t seeds_adopted = 0;
  bool complete() const { return progress.seeds_finished >= progress.seeds_total && progress.seeds_total > 0; }
};

}  // namespace ablate::results
