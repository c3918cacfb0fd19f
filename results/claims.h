#pragma once
// Verdicts on an experiment's claims (config::ClaimSpec) from its collected settings: each claim is
// supported, contradicted or inconclusive at this n, with the test and the numbers behind the verdict,
// and for an inconclusive one an estimate of the seeds that would settle it.
//
// better A than B: the test of A - B (Welch's, or paired by seed); supported when A is better beyond
//   noise, contradicted when it is worse beyond noise, else inconclusive.
// trend v1..vk:    supported when every step of the means goes the claimed way and the ends (vk - v1) differ
//   that way beyond noise; contradicted when the ends, or any step, go the other way beyond noise; else
//   inconclusive.
// "Beyond noise": Holm-adjusted p < 0.05, over one test per claim (the better test, a trend's ends); the
// steps of a trend are their own Holm family within the claim. A claim whose variants are not all in the
// profile, or not all finished, is not tested (and says why).
// Seeds needed (inconclusive claims): seeds_needed() for the claim's expected effect (its `effect`, else
// the paper values' difference, else the observed one) at the spreads measured now (with their Welch
// degrees of freedom), at alpha / (claims tested), the level Holm's correction asks at most; for a trend, the
// largest need over the parts that fell short (its ends, or a step whose means went the other way, with
// the step's paper difference or an equal share of the trend's effect).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/config/claim_spec.h"
#include "results/setting_result.h"
#include "results/significance.h"

namespace ablate::results {

enum class Verdict { supported, contradicted, inconclusive, untested };

// "supported", "contradicted", "inconclusive at this n", "not tested".
const char* to_string(Verdict verdict);

struct Finding {
  config::ClaimSpec claim;
  Verdict verdict = Verdict::untested;
  std::string evidence;                 // the test and the numbers behind the verdict (or why untested)
  std::optional<int64_t> seeds_needed;  // inconclusive: seeds per variant the estimate gives
  std::string estimate;                 // inconclusive: the estimate in words, or why there is none
  double p_holm = 1;                    // the deciding test's adjusted p (NaN when none)
};

struct Findings {
  TestKind kind = TestKind::welch;
  std::size_t family = 0;  // tests in the Holm family across claims
  std::vector<Finding> findings;
};

// `settings` must hold every claim's metric (collect_settings with those metrics).
Findings check_claims(const std::vector<config::ClaimSpec>& claims, const std::vector<SettingResult>& settings,
                      TestKind kind);

// The metrics the claims name, in first-use order.
std::vector<std::string> claim_metrics(const std::vector<config::ClaimSpec>& claims);

}  // namespace ablate::results
