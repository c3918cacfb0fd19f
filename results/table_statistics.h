#pragma once
// The statistics of one results table, shared by its layouts (table_builder.h): each row's comparison
// with its reference, each group's best-versus-runner-up contest, the cells of the optional comparison
// columns and the footer lines that say what was tested.

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "results/comparisons.h"
#include "results/setting_result.h"
#include "results/table_model.h"

namespace ablate::results {

struct TableStatistics {
  TestKind kind = TestKind::welch;
  std::string against;  // what rows are compared with, for the footer: "its group's first row"
  std::vector<Comparison> comparisons;
  std::vector<Contest> contests;
  std::vector<ContestResult> outcomes;  // one per contest

  // The comparison of `setting` on `metric`; nullptr when it has none (a reference row).
  const Comparison* find(std::size_t setting, const std::string& metric) const;
  // Whether some row is compared with `setting`.
  bool is_reference(std::size_t setting) const;
  // Marks: differs from its reference beyond noise; best of a contest it won beyond noise.
  bool differs(std::size_t setting, const std::string& metric) const;
  bool is_best(std::size_t setting, const std::string& metric) const;
};

// Tests the pairs and decides the contests over `settings`, each family Holm-adjusted on its own.
TableStatistics table_statistics(const std::vector<SettingResult>& settings,
                                 const std::vector<std::pair<std::size_t, std::size_t>>& pairs,
                                 std::vector<Contest> contests, const std::vector<std::string>& metrics,
                                 TestKind kind, std::string against);

// The comparison columns of one metric: difference (headed `difference_header`, e.g. "vs ref"), its 95%
// interval and the Holm-adjusted p.
std::vector<Column> comparison_columns(const std::string& difference_header);
// The cells under comparison_columns for one setting: the numbers; "reference" for a reference row;
// why there is no test ("n = 1", "unfinished") otherwise.
std::vector<Cell> comparison_cells(const TableStatistics& statistics, std::size_t setting, const std::string& metric,
                                   int decimals);

// Footer lines: which test, against what, over how many comparisons; which groups have no best mark and
// why ("n = 1: no spread, no comparison"); seeds left out of paired tests. `settings` names the groups.
std::vector<std::string> statistics_notes(const TableStatistics& statistics, const std::vector<SettingResult>& settings,
                                          bool comparison_columns);

}  // namespace ablate::results
