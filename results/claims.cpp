#include "results/claims.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "results/comparisons.h"
#include "results/metric_selection.h"
#include "results/stats.h"
#include "results/table_builder.h"
#include "results/table_format.h"

namespace ablate::results {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

const SettingResult* find_setting(const std::vector<SettingResult>& settings, const std::string& variant) {
  for (const SettingResult& s : settings) {
    if (s.variant == variant) return &s;
  }
  return nullptr;
}

double mean_of(const SettingResult& s, const std::string& metric) {
  const auto found = s.values.find(metric);
  return found == s.values.end() ? kNaN : mean(found->second);
}

std::vector<std::string> claim_variants(const config::ClaimSpec& claim) {
  if (claim.kind == config::ClaimSpec::Kind::better) return {claim.better, claim.than};
  return claim.trend;
}

// "18.59 ± 0.84 (n = 3)", "18.14 (n = 1)".
std::string estimate_words(const SettingResult& s, const std::string& metric) {
  const auto found = s.values.find(metric);
  const Summary summary = summarize(found == s.values.end() ? std::vector<double>{} : found->second);
  const std::string spread = std::isfinite(summary.std) ? " \xC2\xB1 " + format_number(summary.std, 2) : "";
  return fmt::format("{}{} (n = {})", format_number(summary.mean, 2), spread, summary.n);
}

std::string p_words(double p) {
  const std::string text = format_p_value(p);
  return text.front() == '<' ? "p " + text : "p = " + text;
}

// "-4.06 [95% CI -5.51, -2.61], Welch t(2.6) = -7.80, p = 0.007"
std::string test_words(const TestResult& t) {
  return fmt::format("{} [95% CI {}, {}], {} t({}) = {}, {}", format_number(t.difference, 2, true),
                     format_number(t.ci_low, 2, true), format_number(t.ci_high, 2, true),
                     t.kind == TestKind::welch ? "Welch" : "paired", format_number(t.dof, t.kind == TestKind::welch ? 1 : 0),
                     format_number(t.t, 2), p_words(t.p));
}

// Whether a difference (later - earlier, or better - than) goes the way the claim says.
bool claimed_way(double difference, bool lower) { return lower ? difference < 0 : difference > 0; }

// The paper's difference of two variants in the claimed direction (positive when the paper agrees).
std::optional<double> paper_difference(const SettingResult& later, const SettingResult& earlier,
                                       const std::string& metric, bool lower) {
  const auto a = later.paper.find(metric);
  const auto b = earlier.paper.find(metric);
  if (a == later.paper.end() || b == earlier.paper.end()) return std::nullopt;
  return lower ? b->second - a->second : a->second - b->second;
}

// A part of a claim that fell short, and the seeds it would need.
struct Shortfall {
  std::string what;    // "the difference", "the step A -> B"
  double effect = 0;   // > 0
  std::string source;  // "the paper's difference", ...
  double spread = kNaN;
  bool observed = false;  // the effect is the one observed now (the claim and the paper give none)
  int64_t seeds_now = 0;  // seeds per variant behind the test now
  std::size_t family = 1;  // claims in the Holm family: the estimate plans for alpha / family
  std::optional<int64_t> seeds;
};

// The level an estimate plans for: Holm's correction over `family` claims asks at most alpha / family of
// a claim's own p (Bonferroni's level, the usual one for planning several tests).
double planning_alpha(std::size_t family) { return kAlpha / static_cast<double>(std::max<std::size_t>(1, family)); }

std::string estimate_words(const Shortfall& s, TestKind kind) {
  if (s.observed && !(s.effect > 0)) {
    return fmt::format("No estimate for {}: the difference observed now is 0, and neither the claim nor the paper "
                       "gives an effect to look for.",
                       s.what);
  }
  if (!(s.effect > 0)) return fmt::format("No estimate for {}: {} does not point the claimed way.", s.what, s.source);
  if (!s.seeds) return fmt::format("No estimate for {}: every seed gave the same value (no spread).", s.what);
  const std::string count = *s.seeds >= 1000000 ? "more than a million" : fmt::format("about {}", *s.seeds);
  const std::string level =
      s.family <= 1 ? fmt::format("alpha = {} (two-sided)", kAlpha)
                    : fmt::format("alpha = {} / {} = {} (two-sided; Holm's strictest level over the {} claims)", kAlpha,
                                  s.family, format_number(planning_alpha(s.family), 4), s.family);
  std::string text = fmt::format(
      "Estimate: {} seeds per variant{} would detect {} of {} points ({}) at the spread measured now ({} points), "
      "with 80% power at {}.",
      count, kind == TestKind::paired ? " (paired)" : "", s.what, format_number(s.effect, 2), s.source,
      format_number(s.spread, 2), level);
  // Only an effect looked for that is larger than the one measured can need no more seeds than ran.
  if (*s.seeds <= s.seeds_now && !s.observed) {
    text += fmt::format(" {} ran: an effect that large would likely have shown, so the one here is probably smaller.",
                        s.seeds_now);
  }
  return text;
}

// The effect a part of a claim expects: the claim's, else the paper's, else the one observed now.
Shortfall expected_effect(std::string what, std::optional<double> claimed, std::optional<double> paper,
                          const TestResult& test, TestKind kind, std::size_t family) {
  const double observed = test.difference;
  const double spread = test.spread;
  Shortfall s;
  s.what = std::move(what);
  s.spread = spread;
  s.seeds_now = std::min(test.n_a, test.n_b);
  s.family = family;
  if (claimed) {
    s.effect = *claimed;
    s.source = "the claim's effect";
  } else if (paper && *paper > 0) {
    s.effect = *paper;
    s.source = "the paper's difference";
  } else if (paper) {
    s.effect = 0;
    s.source = fmt::format("the paper's difference ({} points in the claimed direction)", format_number(*paper, 2));
    return s;
  } else {
    s.effect = std::fabs(observed);
    s.source = "the difference observed now";
    s.observed = true;
  }
  s.seeds = seeds_needed(s.effect, spread, kind, planning_alpha(family), 0.8, test.dof_per_seed);
  return s;
}

// One claim on its way to a verdict.
struct Work {
  Finding finding;
  bool tested = false;
  bool lower = true;              // the claimed way is "smaller"
  std::vector<const SettingResult*> settings;  // better, than; or the trend in order
  PairTest primary;               // better - than; or last - first
  std::vector<PairTest> steps;    // trend: v[i+1] - v[i]
  std::vector<double> step_holm;
};

void prepare(Work& w, const std::vector<SettingResult>& settings, TestKind kind) {
  const config::ClaimSpec& claim = w.finding.claim;
  std::vector<std::string> absent;
  std::vector<std::string> unfinished;
  for (const std::string& name : claim_variants(claim)) {
    const SettingResult* s = find_setting(settings, name);
    if (s == nullptr) {
      absent.push_back(name);
    } else if (!s->complete()) {
      unfinished.push_back(fmt::format("{} ({})", name, format_progress(s->progress)));
    }
    w.settings.push_back(s);
  }
  auto list = [](const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
    return out;
  };
  if (!absent.empty()) {
    w.finding.evidence = "Not in this profile: " + list(absent) + ".";
    return;
  }
  if (!unfinished.empty()) {
    w.finding.evidence = "Unfinished: " + list(unfinished) + ".";
    return;
  }
  const bool decreasing_is_claimed =
      claim.kind == config::ClaimSpec::Kind::better ? lower_is_better(claim.metric) : claim.decreasing;
  w.lower = decreasing_is_claimed;
  if (claim.kind == config::ClaimSpec::Kind::better) {
    w.primary = test_settings(*w.settings[0], *w.settings[1], claim.metric, kind);
  } else {
    w.primary = test_settings(*w.settings.back(), *w.settings.front(), claim.metric, kind);
    std::vector<double> p;
    for (std::size_t i = 0; i + 1 < w.settings.size(); ++i) {
      w.steps.push_back(test_settings(*w.settings[i + 1], *w.settings[i], claim.metric, kind));
      p.push_back(w.steps.back().test ? w.steps.back().test->p : kNaN);
    }
    w.step_holm = holm_adjust(p);
  }
  if (w.primary.missing == "not logged") {
    w.finding.evidence = "No values of " + claim.metric + " are stored.";
    return;
  }
  w.tested = true;
}

void decide_better(Work& w, TestKind kind, std::size_t family) {
  const config::ClaimSpec& claim = w.finding.claim;
  const SettingResult& a = *w.settings[0];
  const SettingResult& b = *w.settings[1];
  const std::string sides = fmt::format("{} {} vs. {} {}, {}", a.variant, estimate_words(a, claim.metric), b.variant,
                                        estimate_words(b, claim.metric), metric_caption(claim.metric));
  if (!w.primary.test) {
    w.finding.verdict = Verdict::inconclusive;
    w.finding.evidence = sides + ": " + w.primary.missing + ": no spread, no comparison.";
    w.finding.estimate = "No estimate without a spread: run at least 2 seeds per variant.";
    return;
  }
  const TestResult& t = *w.primary.test;
  const bool beyond = w.finding.p_holm < kAlpha;
  w.finding.verdict = !beyond ? Verdict::inconclusive
                      : claimed_way(t.difference, w.lower) ? Verdict::supported
                                                           : Verdict::contradicted;
  w.finding.evidence = fmt::format("{}: difference {} (Holm {}).", sides, test_words(t), format_p_value(w.finding.p_holm));
  if (w.finding.verdict == Verdict::inconclusive) {
    const Shortfall s =
        expected_effect("a difference", claim.effect, paper_difference(a, b, claim.metric, w.lower), t, kind, family);
    w.finding.seeds_needed = s.seeds;
    w.finding.estimate = estimate_words(s, kind);
  }
}

void decide_trend(Work& w, TestKind kind, std::size_t family) {
  const config::ClaimSpec& claim = w.finding.claim;
  std::string means;
  for (const SettingResult* s : w.settings) means += (means.empty() ? "" : " -> ") + format_number(mean_of(*s, claim.metric), 2);
  const std::string way = claim.decreasing ? "falling" : "rising";
  const SettingResult& first = *w.settings.front();
  const SettingResult& last = *w.settings.back();
  if (!w.primary.test) {
    w.finding.verdict = Verdict::inconclusive;
    w.finding.evidence = fmt::format("{} means {}: {}: no spread, no comparison.", metric_caption(claim.metric), means,
                                     w.primary.missing);
    w.finding.estimate = "No estimate without a spread: run at least 2 seeds per variant.";
    return;
  }
  std::size_t with_claim = 0;
  std::vector<std::size_t> against;  // steps whose means do not go the claimed way
  std::vector<std::size_t> reversed;  // steps that go the other way beyond noise
  for (std::size_t i = 0; i < w.steps.size(); ++i) {
    const PairTest& step = w.steps[i];
    const double d = mean_of(*w.settings[i + 1], claim.metric) - mean_of(*w.settings[i], claim.metric);
    if (claimed_way(d, w.lower)) {
      ++with_claim;
    } else {
      against.push_back(i);
      if (step.test && w.step_holm[i] < kAlpha && d != 0) reversed.push_back(i);
    }
  }
  const TestResult& ends = *w.primary.test;
  const bool ends_beyond = w.finding.p_holm < kAlpha;
  const bool ends_claimed = claimed_way(ends.difference, w.lower);
  if ((ends_beyond && !ends_claimed) || !reversed.empty()) {
    w.finding.verdict = Verdict::contradicted;
  } else if (ends_beyond && against.empty()) {
    w.finding.verdict = Verdict::supported;
  } else {
    w.finding.verdict = Verdict::inconclusive;
  }
  w.finding.evidence = fmt::format("{} means {} ({} of {} steps {}); {} - {}: {} (Holm {}).", metric_caption(claim.metric),
                                   means, with_claim, w.steps.size(), way, last.variant, first.variant, test_words(ends),
                                   format_p_value(w.finding.p_holm));
  for (std::size_t i : reversed) {
    w.finding.evidence += fmt::format(" The step {} -> {} goes the other way beyond noise: {} (Holm over the steps {}).",
                                      w.settings[i]->variant, w.settings[i + 1]->variant,
                                      test_words(*w.steps[i].test), format_p_value(w.step_holm[i]));
  }
  if (w.finding.verdict != Verdict::inconclusive) return;

  // Seeds for each part that fell short; the estimate is the largest.
  std::vector<Shortfall> shortfalls;
  const std::optional<double> paper_ends = paper_difference(last, first, claim.metric, w.lower);
  if (!(ends_beyond && ends_claimed)) {
    shortfalls.push_back(expected_effect("a difference between the ends", claim.effect, paper_ends, ends, kind, family));
  }
  // The trend's expected effect, shared equally by its steps when a step has no paper values of its own.
  double total = 0;
  if (claim.effect) {
    total = *claim.effect;
  } else if (paper_ends && *paper_ends > 0) {
    total = *paper_ends;
  }
  for (std::size_t i : against) {
    if (!w.steps[i].test) continue;
    const SettingResult& from = *w.settings[i];
    const SettingResult& to = *w.settings[i + 1];
    const TestResult& step = *w.steps[i].test;
    const std::optional<double> paper_step = paper_difference(to, from, claim.metric, w.lower);
    std::optional<double> share;
    if (!paper_step && total > 0) share = total / static_cast<double>(w.steps.size());
    Shortfall s = expected_effect("", share, paper_step, step, kind, family);
    if (share) s.source = "an equal share of the trend's expected effect";
    s.what = fmt::format("the step {} -> {}", from.variant, to.variant);
    shortfalls.push_back(s);
  }
  if (shortfalls.empty()) return;
  const auto worst = std::max_element(shortfalls.begin(), shortfalls.end(), [](const Shortfall& x, const Shortfall& y) {
    // No estimate (a zero effect) outranks every number: it is the part that cannot be settled.
    return x.seeds.value_or(std::numeric_limits<int64_t>::max()) < y.seeds.value_or(std::numeric_limits<int64_t>::max());
  });
  w.finding.seeds_needed = worst->seeds;
  w.finding.estimate = estimate_words(*worst, kind);
}

}  // namespace

const char* to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::supported: return "supported";
    case Verdict::contradicted: return "contradicted";
    case Verdict::inconclusive: return "inconclusive at this n";
    case Verdict::untested: return "not tested";
  }
  return "?";
}

std::vector<std::string> claim_metrics(const std::vector<config::ClaimSpec>& claims) {
  std::vector<std::string> metrics;
  for (const config::ClaimSpec& claim : claims) {
    if (std::find(metrics.begin(), metrics.end(), claim.metric) == metrics.end()) metrics.push_back(claim.metric);
  }
  return metrics;
}

Findings check_claims(const std::vector<config::ClaimSpec>& claims, const std::vector<SettingResult>& settings,
                      TestKind kind) {
  std::vector<Work> work;
  std::vector<double> p;
  for (const config::ClaimSpec& claim : claims) {
    Work w;
    w.finding.claim = claim;
    prepare(w, settings, kind);
    p.push_back(w.tested && w.primary.test ? w.primary.test->p : kNaN);
    work.push_back(std::move(w));
  }
  const std::vector<double> adjusted = holm_adjust(p);
  Findings out;
  out.kind = kind;
  out.family = static_cast<std::size_t>(std::count_if(p.begin(), p.end(), [](double v) { return !std::isnan(v); }));
  for (std::size_t i = 0; i < work.size(); ++i) {
    Work& w = work[i];
    w.finding.p_holm = adjusted[i];
    if (w.tested) {
      if (w.finding.claim.kind == config::ClaimSpec::Kind::better) {
        decide_better(w, kind, out.family);
      } else {
        decide_trend(w, kind, out.family);
      }
    }
    out.findings.push_back(std::move(w.finding));
  }
  return out;
}

}  // namespace ablate::results
