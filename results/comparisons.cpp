#include "results/comparisons.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>

#include "results/metric_selection.h"
#include "results/stats.h"

namespace ablate::results {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

const std::vector<double>& values_of(const SettingResult& s, const std::string& metric) {
  static const std::vector<double> kNone;
  const auto found = s.values.find(metric);
  return found == s.values.end() ? kNone : found->second;
}

const std::vector<int64_t>& seeds_of(const SettingResult& s, const std::string& metric) {
  static const std::vector<int64_t> kNone;
  const auto found = s.seeds.find(metric);
  return found == s.seeds.end() ? kNone : found->second;
}

// The values of the seeds both settings finished, in the order of a's seeds.
void common_seeds(const SettingResult& a, const SettingResult& b, const std::string& metric, std::vector<double>& va,
                  std::vector<double>& vb, int64_t& unpaired) {
  const std::vector<int64_t>& sa = seeds_of(a, metric);
  const std::vector<int64_t>& sb = seeds_of(b, metric);
  std::map<int64_t, double> by_seed;
  for (std::size_t i = 0; i < sb.size() && i < values_of(b, metric).size(); ++i) by_seed[sb[i]] = values_of(b, metric)[i];
  for (std::size_t i = 0; i < sa.size() && i < values_of(a, metric).size(); ++i) {
    const auto found = by_seed.find(sa[i]);
    if (found == by_seed.end()) continue;
    va.push_back(values_of(a, metric)[i]);
    vb.push_back(found->second);
  }
  unpaired = static_cast<int64_t>(values_of(a, metric).size() + values_of(b, metric).size() - 2 * va.size());
}

double mean_of(const SettingResult& s, const std::string& metric) { return mean(values_of(s, metric)); }

}  // namespace

PairTest test_settings(const SettingResult& a, const SettingResult& b, const std::string& metric, TestKind kind) {
  PairTest out;
  if (!a.complete() || !b.complete()) {
    out.missing = "unfinished";
    return out;
  }
  const std::vector<double>& va = values_of(a, metric);
  const std::vector<double>& vb = values_of(b, metric);
  if (va.empty() || vb.empty()) {
    out.missing = "not logged";
    return out;
  }
  if (va.size() < 2 || vb.size() < 2) {
    out.missing = "n = 1";
    return out;
  }
  if (kind == TestKind::welch) {
    out.test = welch_test(va, vb);
    return out;
  }
  std::vector<double> pa, pb;
  common_seeds(a, b, metric, pa, pb, out.unpaired_seeds);
  out.test = paired_test(pa, pb);
  if (!out.test) out.missing = "n = 1 common seed";
  return out;
}

bool Comparison::beyond_noise() const { return result.test.has_value() && p_holm < kAlpha; }

std::vector<Comparison> compare_pairs(const std::vector<SettingResult>& settings,
                                      const std::vector<std::pair<std::size_t, std::size_t>>& pairs,
                                      const std::vector<std::string>& metrics, TestKind kind) {
  std::vector<Comparison> comparisons;
  std::vector<double> p;
  for (const auto& [setting, reference] : pairs) {
    for (const std::string& metric : metrics) {
      Comparison c;
      c.setting = setting;
      c.reference = reference;
      c.metric = metric;
      c.result = test_settings(settings.at(setting), settings.at(reference), metric, kind);
      p.push_back(c.result.test ? c.result.test->p : kNaN);
      comparisons.push_back(std::move(c));
    }
  }
  const std::vector<double> adjusted = holm_adjust(p);
  for (std::size_t i = 0; i < comparisons.size(); ++i) comparisons[i].p_holm = adjusted[i];
  return comparisons;
}

std::vector<std::pair<std::size_t, std::size_t>> reference_pairs(const std::vector<SettingResult>& settings,
                                                                 const std::string& reference) {
  std::vector<std::pair<std::size_t, std::size_t>> pairs;
  if (!reference.empty()) {
    const auto found = std::find_if(settings.begin(), settings.end(),
                                    [&](const SettingResult& s) { return s.variant == reference; });
    if (found == settings.end()) {
      throw std::invalid_argument("table.reference: no setting is named '" + reference + "'");
    }
    const auto r = static_cast<std::size_t>(found - settings.begin());
    for (std::size_t i = 0; i < settings.size(); ++i) {
      if (i != r && !settings[i].evaluation_only) pairs.emplace_back(i, r);
    }
    return pairs;
  }
  std::map<std::string, std::size_t> first_of_group;
  for (std::size_t i = 0; i < settings.size(); ++i) {
    if (settings[i].evaluation_only) continue;
    const auto [it, inserted] = first_of_group.emplace(settings[i].group, i);
    if (!inserted) pairs.emplace_back(i, it->second);
  }
  return pairs;
}

std::vector<ContestResult> decide_contests(const std::vector<SettingResult>& settings,
                                           const std::vector<Contest>& contests, TestKind kind) {
  std::vector<ContestResult> results;
  std::vector<double> p;
  for (const Contest& contest : contests) {
    ContestResult r;
    std::vector<std::size_t> finished;
    for (std::size_t i : contest.settings) {
      if (settings.at(i).complete() && !values_of(settings[i], contest.metric).empty()) finished.push_back(i);
    }
    if (finished.size() >= 2) {
      const bool lower = lower_is_better(contest.metric);
      std::stable_sort(finished.begin(), finished.end(), [&](std::size_t x, std::size_t y) {
        const double mx = mean_of(settings[x], contest.metric);
        const double my = mean_of(settings[y], contest.metric);
        return lower ? mx < my : mx > my;
      });
      r.best = finished[0];
      r.runner_up = finished[1];
      r.result = test_settings(settings[r.best], settings[r.runner_up], contest.metric, kind);
      r.outcome = r.result.test ? ContestOutcome::within_noise : ContestOutcome::no_spread;
    }
    p.push_back(r.result.test ? r.result.test->p : kNaN);
    results.push_back(std::move(r));
  }
  const std::vector<double> adjusted = holm_adjust(p);
  for (std::size_t i = 0; i < results.size(); ++i) {
    ContestResult& r = results[i];
    r.p_holm = adjusted[i];
    // A tie in the means is never a separation, whatever a zero spread makes of it.
    if (r.result.test && r.p_holm < kAlpha && r.result.test->difference != 0) r.outcome = ContestOutcome::separated;
  }
  return results;
}

}  // namespace ablate::results
