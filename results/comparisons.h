#pragma once
// Which differences in a results table are beyond the seed noise: every row against its reference row
// (Welch's or the paired t-test, 95% interval, Holm's correction over the table's comparisons), and
// whether the best row of a group is separated from the runner-up. Pure functions of collected settings
// (table_builder.h), so the tables, the claims and their tests share one definition.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "results/setting_result.h"
#include "results/significance.h"

namespace ablate::results {

// The test of setting a against setting b on one metric (a - b), or why there is none.
struct PairTest {
  std::optional<TestResult> test;
  // Why there is no test: "n = 1" (a side has fewer than two finished seeds), "unfinished" (a side has
  // seeds still to run), "not logged", or for a paired test "n = 1 common seed". Empty when tested.
  std::string missing;
  // Paired tests only: seeds finished on one side but not on the other, left out of the pairs.
  int64_t unpaired_seeds = 0;
};

// Values of finished seeds only; a setting whose planned seeds have not all finished is not compared
// (its row shows progress). Paired: the values of the seeds both sides finished, in seed order.
PairTest test_settings(const SettingResult& a, const SettingResult& b, const std::string& metric, TestKind kind);

// One row against its reference row on one metric.
struct Comparison {
  std::size_t setting = 0;    // index into the settings
  std::size_t reference = 0;  // index into the settings
  std::string metric;
  PairTest result;
  double p_holm = 1;          // Holm-adjusted p over the family; NaN when there is no test
  // The difference is beyond noise: Holm-adjusted p < kAlpha.
  bool beyond_noise() const;
};

// Every (setting, reference) pair on every metric, in that order (pairs outer, metrics inner), with the
// p-values Holm-adjusted over all of them: one family per table.
std::vector<Comparison> compare_pairs(const std::vector<SettingResult>& settings,
                                      const std::vector<std::pair<std::size_t, std::size_t>>& pairs,
                                      const std::vector<std::string>& metrics, TestKind kind);

// The (setting, reference) pairs of a plain table: with `reference` (a variant name, table.reference),
// every other setting against it; else every setting against the first setting of its group. Rows of
// evaluation-only runs are in no pair (one evaluation is not a sample over seeds). Throws
// std::invalid_argument when `reference` names no setting.
std::vector<std::pair<std::size_t, std::size_t>> reference_pairs(const std::vector<SettingResult>& settings,
                                                                 const std::string& reference);

// The settings competing for "best" in one column of one group.
struct Contest {
  std::vector<std::size_t> settings;
  std::string metric;
};

enum class ContestOutcome {
  separated,     // the best is better than the runner-up beyond noise: marked
  within_noise,  // best and runner-up are not told apart: nothing marked
  no_spread,     // best or runner-up has fewer than two seeds: "n = 1: no spread, no comparison"
  no_contest,    // fewer than two finished settings: nothing to beat
};

struct ContestResult {
  ContestOutcome outcome = ContestOutcome::no_contest;
  std::size_t best = 0;       // by mean (lower is better for errors and losses)
  std::size_t runner_up = 0;
  PairTest result;            // best - runner-up
  double p_holm = 1;          // adjusted over the contests of the table that had a test
};

// Decides every contest; the best-versus-runner-up tests are their own Holm family.
std::vector<ContestResult> decide_contests(const std::vector<SettingResult>& settings,
                                           const std::vector<Contest>& contests, TestKind kind);

}  // namespace ablate::results
