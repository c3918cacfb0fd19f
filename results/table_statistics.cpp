#include "results/table_statistics.h"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

namespace ablate::results {
namespace {

void add_distinct(std::vector<std::string>& list, const std::string& item) {
  if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(item);
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

std::string test_words(TestKind kind) {
  return kind == TestKind::welch ? "Welch's t-test (unequal variances)"
                                 : "paired t-test over the seeds both rows finished";
}

}  // namespace

const Comparison* TableStatistics::find(std::size_t setting, const std::string& metric) const {
  for (const Comparison& c : comparisons) {
    if (c.setting == setting && c.metric == metric) return &c;
  }
  return nullptr;
}

bool TableStatistics::is_reference(std::size_t setting) const {
  return std::any_of(comparisons.begin(), comparisons.end(), [&](const Comparison& c) { return c.reference == setting; });
}

bool TableStatistics::differs(std::size_t setting, const std::string& metric) const {
  const Comparison* c = find(setting, metric);
  return c != nullptr && c->beyond_noise();
}

bool TableStatistics::is_best(std::size_t setting, const std::string& metric) const {
  for (std::size_t i = 0; i < contests.size(); ++i) {
    if (contests[i].metric == metric && outcomes[i].outcome == ContestOutcome::separated && outcomes[i].best == setting) {
      return true;
    }
  }
  return false;
}

TableStatistics table_statistics(const std::vector<SettingResult>& settings,
                                 const std::vector<std::pair<std::size_t, std::size_t>>& pairs,
                                 std::vector<Contest> contests, const std::vector<std::string>& metrics,
                                 TestKind kind, std::string against) {
  TableStatistics s;
  s.kind = kind;
  s.against = std::move(against);
  s.comparisons = compare_pairs(settings, pairs, metrics, kind);
  s.outcomes = decide_contests(settings, contests, kind);
  s.contests = std::move(contests);
  return s;
}

std::vector<Column> comparison_columns(const std::string& difference_header) {
  Column interval{"95% CI", Align::right, ""};
  interval.interval = true;
  return {{difference_header, Align::right, ""}, interval, {"p (Holm)", Align::right, ""}};
}

std::vector<Cell> comparison_cells(const TableStatistics& statistics, std::size_t setting, const std::string& metric,
                                   int decimals) {
  const Comparison* c = statistics.find(setting, metric);
  if (c == nullptr) {
    return {statistics.is_reference(setting) ? text_cell("reference") : empty_cell(), empty_cell(), empty_cell()};
  }
  if (!c->result.test) return {text_cell(c->result.missing), empty_cell(), empty_cell()};
  const TestResult& t = *c->result.test;
  return {number_cell(t.difference, decimals, /*show_sign=*/true), interval_cell(t.ci_low, t.ci_high, decimals),
          p_value_cell(c->p_holm)};
}

std::vector<std::string> statistics_notes(const TableStatistics& statistics, const std::vector<SettingResult>& settings,
                                          bool comparison_columns) {
  std::vector<std::string> notes;
  const auto tested = static_cast<std::size_t>(std::count_if(
      statistics.comparisons.begin(), statistics.comparisons.end(), [](const Comparison& c) { return c.result.test.has_value(); }));
  if (statistics.comparisons.empty()) {
    if (comparison_columns) notes.push_back("Comparisons: none (no row has another row to be compared with).");
  } else if (tested == 0) {
    if (comparison_columns) {
      notes.push_back(fmt::format("Comparisons: {} of each row against {}; none could be made (the cells say why).",
                                  test_words(statistics.kind), statistics.against));
    }
  } else {
    notes.push_back(fmt::format(
        "Comparisons: {} of each row against {}; difference of means with its 95% CI, two-sided p with Holm's "
        "correction over the table's {} comparison{}; beyond noise = adjusted p < {}.",
        test_words(statistics.kind), statistics.against, tested, tested == 1 ? "" : "s", kAlpha));
  }
  std::vector<std::string> within_noise;
  std::vector<std::string> no_spread;
  std::size_t contested = 0;
  for (std::size_t i = 0; i < statistics.contests.size(); ++i) {
    const ContestResult& r = statistics.outcomes[i];
    const std::string group = settings.at(statistics.contests[i].settings.front()).group;
    if (r.result.test) ++contested;
    if (r.outcome == ContestOutcome::within_noise) add_distinct(within_noise, group);
    if (r.outcome == ContestOutcome::no_spread) add_distinct(no_spread, group);
  }
  if (contested > 0) {
    notes.push_back(contested == 1 ? std::string("Best is marked only when it beats the runner-up beyond noise (the same test).")
                                   : fmt::format("Best is marked only when it beats the runner-up beyond noise (the same "
                                                 "test, Holm over the {} best-versus-runner-up tests).",
                                                 contested));
  }
  const bool named = std::any_of(settings.begin(), settings.end(), [](const SettingResult& s) { return !s.group.empty(); });
  if (!within_noise.empty()) {
    notes.push_back(named ? "No best marked in " + joined(within_noise) + ": best and runner-up are within noise."
                          : "No best marked: best and runner-up are within noise.");
  }
  const bool single_seed_comparison = std::any_of(statistics.comparisons.begin(), statistics.comparisons.end(),
                                                  [](const Comparison& c) { return c.result.missing.rfind("n = 1", 0) == 0; });
  if (!no_spread.empty() && named && contested > 0) {
    notes.push_back("n = 1: no spread, no comparison (" + joined(no_spread) + ").");
  } else if (!no_spread.empty() || single_seed_comparison) {
    notes.push_back("n = 1: no spread, no comparison.");
  }
  int64_t unpaired = 0;
  for (const Comparison& c : statistics.comparisons) unpaired += c.result.unpaired_seeds > 0 ? 1 : 0;
  if (unpaired > 0) {
    notes.push_back(fmt::format("Paired by seed: {} comparison{} leave out seeds that only one side finished.", unpaired,
                                unpaired == 1 ? "" : "s"));
  }
  return notes;
}

}  // namespace ablate::results
