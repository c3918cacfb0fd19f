// Verdicts on claims from hand-made settings: each verdict, the n = 1 case, claims that cannot be
// tested, Holm over the claims, and the seeds an inconclusive claim would need (Cohen's table).
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "results/claims.h"
#include "results/findings_render.h"
#include "results/significance.h"

namespace ablate::results {
namespace {

SettingResult setting(const std::string& variant, const std::vector<double>& values, double paper = NAN) {
  SettingResult s;
  s.variant = variant;
  s.values["top1_err"] = values;
  for (std::size_t i = 0; i < values.size(); ++i) s.seeds["top1_err"].push_back(static_cast<int64_t>(i));
  s.progress.seeds_total = s.progress.seeds_finished = static_cast<int64_t>(values.size());
  if (!std::isnan(paper)) s.paper["top1_err"] = paper;
  return s;
}

config::ClaimSpec better(const std::string& a, const std::string& b) {
  config::ClaimSpec c;
  c.kind = config::ClaimSpec::Kind::better;
  c.text = a + " beats " + b;
  c.better = a;
  c.than = b;
  return c;
}

config::ClaimSpec trend(const std::vector<std::string>& names, bool decreasing = true) {
  config::ClaimSpec c;
  c.kind = config::ClaimSpec::Kind::trend;
  c.text = "error falls";
  c.trend = names;
  c.decreasing = decreasing;
  return c;
}

Finding only(const std::vector<config::ClaimSpec>& claims, const std::vector<SettingResult>& settings,
             TestKind kind = TestKind::welch) {
  const Findings f = check_claims(claims, settings, kind);
  EXPECT_EQ(f.findings.size(), claims.size());
  return f.findings.front();
}

const std::vector<SettingResult> kSettings = {
    setting("low", {10.0, 10.2, 10.1}, 22.2),  setting("high", {12.0, 12.3, 11.9}, 23.9),
    setting("mid", {11.0, 11.1, 10.9}),        setting("noisy a", {20.0, 21.0, 22.0}, 22.0),
    setting("noisy b", {20.5, 21.5, 22.5}, 23.0)};

TEST(Claims, BetterSupportedWhenTheDifferenceIsBeyondNoiseTheClaimedWay) {
  const Finding f = only({better("low", "high")}, kSettings);
  EXPECT_EQ(f.verdict, Verdict::supported);
  EXPECT_LT(f.p_holm, 0.05);
  EXPECT_NE(f.evidence.find("low 10.10 \xC2\xB1 0.10 (n = 3) vs. high 12.07 \xC2\xB1 0.21 (n = 3)"), std::string::npos)
      << f.evidence;
  EXPECT_NE(f.evidence.find("difference -1.97 [95% CI"), std::string::npos) << f.evidence;
  EXPECT_NE(f.evidence.find("Welch t("), std::string::npos) << f.evidence;
  EXPECT_TRUE(f.estimate.empty());
}

TEST(Claims, BetterContradictedWhenItGoesTheOtherWayBeyondNoise) {
  const Finding f = only({better("high", "low")}, kSettings);
  EXPECT_EQ(f.verdict, Verdict::contradicted);
  EXPECT_TRUE(f.estimate.empty());
}

TEST(Claims, InconclusiveGivesTheSeedsThePapersEffectNeeds) {
  // Both stds are 1 and the paper's difference is 23.0 - 22.0 = 1: effect / spread = 1, for which a
  // two-sample t-test at alpha 0.05 with 80% power needs 17 per group (Cohen 1988, Table 2.4.1).
  const Finding f = only({better("noisy a", "noisy b")}, kSettings);
  EXPECT_EQ(f.verdict, Verdict::inconclusive);
  ASSERT_TRUE(f.seeds_needed.has_value());
  EXPECT_EQ(*f.seeds_needed, 17);
  EXPECT_NE(f.estimate.find("Estimate: about 17 seeds per variant would detect a difference of 1.00 points (the "
                            "paper's difference) at the spread measured now (1.00 points)"),
            std::string::npos)
      << f.estimate;
  // With the claim's own effect instead: effect / spread = 0.5 -> 64.
  config::ClaimSpec half = better("noisy a", "noisy b");
  half.effect = 0.5;
  EXPECT_EQ(only({half}, kSettings).seeds_needed.value_or(0), 64);
}

TEST(Claims, PairedTestsUseTheSpreadOfTheDifferences) {
  // noisy b is noisy a plus exactly 0.5 on every seed: paired, the difference has no spread at all.
  const Finding f = only({better("noisy a", "noisy b")}, kSettings, TestKind::paired);
  EXPECT_EQ(f.verdict, Verdict::supported);
  EXPECT_NE(f.evidence.find("paired t(2)"), std::string::npos) << f.evidence;
}

TEST(Claims, OneSeedIsInconclusiveAndSaysWhy) {
  const std::vector<SettingResult> settings = {setting("a", {18.14}), setting("b", {19.2})};
  const Finding f = only({better("a", "b")}, settings);
  EXPECT_EQ(f.verdict, Verdict::inconclusive);
  EXPECT_NE(f.evidence.find("n = 1: no spread, no comparison"), std::string::npos) << f.evidence;
  EXPECT_FALSE(f.seeds_needed.has_value());
  EXPECT_EQ(f.estimate, "No estimate without a spread: run at least 2 seeds per variant.");
  const Finding t = only({trend({"a", "b"})}, settings);
  EXPECT_EQ(t.verdict, Verdict::inconclusive);
}

TEST(Claims, UntestedWhenAVariantIsOutOfTheProfileOrUnfinished) {
  const Finding absent = only({better("low", "not here")}, kSettings);
  EXPECT_EQ(absent.verdict, Verdict::untested);
  EXPECT_EQ(absent.evidence, "Not in this profile: not here.");
  std::vector<SettingResult> settings = kSettings;
  settings[1].progress.seeds_finished = 2;
  const Finding unfinished = only({better("low", "high")}, settings);
  EXPECT_EQ(unfinished.verdict, Verdict::untested);
  EXPECT_EQ(unfinished.evidence, "Unfinished: high (2/3 seeds).");
  EXPECT_STREQ(to_string(Verdict::untested), "not tested");
  EXPECT_STREQ(to_string(Verdict::inconclusive), "inconclusive at this n");
}

TEST(Claims, TrendVerdicts) {
  // low < mid < high in the means, ends far apart: supported as an increasing trend.
  const Finding rising = only({trend({"low", "mid", "high"}, /*decreasing=*/false)}, kSettings);
  EXPECT_EQ(rising.verdict, Verdict::supported) << rising.evidence;
  EXPECT_NE(rising.evidence.find("means 10.10 -> 11.00 -> 12.07 (2 of 2 steps rising)"), std::string::npos)
      << rising.evidence;
  // The same order read as decreasing: the ends go the other way beyond noise.
  EXPECT_EQ(only({trend({"low", "mid", "high"})}, kSettings).verdict, Verdict::contradicted);
  // high -> low -> mid: the ends fall beyond noise, but the last step rises beyond noise: contradicted.
  const Finding bent = only({trend({"high", "low", "mid"})}, kSettings);
  EXPECT_EQ(bent.verdict, Verdict::contradicted) << bent.evidence;
  EXPECT_NE(bent.evidence.find("The step low -> mid goes the other way beyond noise"), std::string::npos)
      << bent.evidence;
  // noisy b -> noisy a -> low: the ends fall beyond noise, but a step within noise: still every step falls.
  EXPECT_EQ(only({trend({"noisy b", "noisy a", "low"})}, kSettings).verdict, Verdict::supported);
  // noisy b -> noisy a: falls within noise: inconclusive; the paper's ends differ by 1 at a spread of 1,
  // so the estimate is Cohen's 17 again.
  const Finding within = only({trend({"noisy b", "noisy a"})}, kSettings);
  EXPECT_EQ(within.verdict, Verdict::inconclusive);
  EXPECT_EQ(within.seeds_needed.value_or(0), 17);
  EXPECT_NE(within.estimate.find("a difference between the ends of 1.00 points (the paper's difference)"),
            std::string::npos)
      << within.estimate;
  // noisy a -> noisy b read as decreasing: the paper's own values rise, so no number of seeds would
  // show the claimed fall at the paper's effect, and the estimate says so instead of a number.
  const Finding against_paper = only({trend({"noisy a", "noisy b"})}, kSettings);
  EXPECT_EQ(against_paper.verdict, Verdict::inconclusive);
  EXPECT_FALSE(against_paper.seeds_needed.has_value());
  EXPECT_NE(against_paper.estimate.find("does not point the claimed way"), std::string::npos) << against_paper.estimate;
}

TEST(Claims, HolmOverTheClaims) {
  const std::vector<config::ClaimSpec> claims = {better("low", "high"), better("low", "mid"),
                                                 better("noisy a", "noisy b")};
  const Findings f = check_claims(claims, kSettings, TestKind::welch);
  EXPECT_EQ(f.family, 3u);
  const std::vector<double> raw = {welch_test(kSettings[0].values.at("top1_err"), kSettings[1].values.at("top1_err"))->p,
                                   welch_test(kSettings[0].values.at("top1_err"), kSettings[2].values.at("top1_err"))->p,
                                   welch_test(kSettings[3].values.at("top1_err"), kSettings[4].values.at("top1_err"))->p};
  const std::vector<double> adjusted = holm_adjust(raw);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_NEAR(f.findings[i].p_holm, adjusted[i], 1e-12);
}

// An inconclusive claim plans for the level Holm's correction asks of it (alpha / claims tested) and for
// the Welch degrees of freedom of the spreads measured: a claim that fell short of Holm with the effect it
// observed is never told that the seeds it already ran would do.
TEST(Claims, EstimatePlansForHolmAndUnequalSpreads) {
  std::vector<SettingResult> settings = kSettings;
  settings.push_back(setting("wide", {17.88, 19.11, 20.34}));   // std 1.23, no paper value
  settings.push_back(setting("narrow", {22.33, 22.65, 22.97}));  // std 0.32
  const std::vector<config::ClaimSpec> claims = {better("wide", "narrow"), better("noisy a", "noisy b"),
                                                 better("noisy b", "noisy a")};
  const Findings f = check_claims(claims, settings, TestKind::welch);
  ASSERT_EQ(f.family, 3u);
  const Finding& first = f.findings[0];
  const auto t = welch_test(settings[5].values.at("top1_err"), settings[6].values.at("top1_err"));
  ASSERT_TRUE(t.has_value());
  EXPECT_LT(t->p, 0.05);  // alone it would be supported ...
  EXPECT_EQ(first.verdict, Verdict::inconclusive);  // ... but not after Holm over three claims
  EXPECT_LT(t->dof_per_seed, 1.2);  // one spread dominates: about n - 1 degrees of freedom, not 2n - 2
  ASSERT_TRUE(first.seeds_needed.has_value());
  EXPECT_EQ(*first.seeds_needed, seeds_needed(t->difference, t->spread, TestKind::welch, 0.05 / 3, 0.8, t->dof_per_seed));
  EXPECT_GT(*first.seeds_needed, 3);
  EXPECT_NE(first.estimate.find("(the difference observed now)"), std::string::npos) << first.estimate;
  EXPECT_NE(first.estimate.find("with 80% power at alpha = 0.05 / 3 = 0.0167 (two-sided; Holm's strictest level over "
                                "the 3 claims)."),
            std::string::npos)
      << first.estimate;
  EXPECT_EQ(first.estimate.find("would likely have shown"), std::string::npos) << first.estimate;
}

TEST(Claims, FindingsRenderInEveryFormat) {
  config::ClaimSpec claim = better("low", "high");
  claim.text = "low_error *wins* & more";
  const Findings f = check_claims({claim, better("noisy a", "noisy b")}, kSettings, TestKind::welch);
  const std::string text = render_findings(f, TableFormat::text);
  EXPECT_EQ(text.rfind("Findings\n\nWelch's t-test over seeds, two-sided; Holm's correction over the 2 claims tested", 0), 0u)
      << text;
  EXPECT_NE(text.find("1. \"low_error *wins* & more\": supported\n   low 10.10"), std::string::npos) << text;
  EXPECT_NE(text.find("2. \"noisy a beats noisy b\": inconclusive at this n\n"), std::string::npos) << text;
  const std::string md = render_findings(f, TableFormat::markdown, /*heading=*/false);
  EXPECT_NE(md.find("1. *low\\_error \\*wins\\* & more*: **supported**."), std::string::npos) << md;
  EXPECT_EQ(md.find("## Findings"), std::string::npos);
  const std::string tex = render_findings(f, TableFormat::latex);
  EXPECT_NE(tex.find("\\item \\emph{low\\_error *wins* \\& more}: \\textbf{supported}."), std::string::npos) << tex;
  EXPECT_EQ(render_findings(f, TableFormat::csv), "");
  EXPECT_EQ(render_findings(Findings{}, TableFormat::text), "");
}

}  // namespace
}  // namespace ablate::results
