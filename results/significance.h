#pragma once
// Tests of a difference between two variants over seeds: Welch's t-test (unequal variances), the paired
// t-test (runs paired by seed), Holm's step-down correction for a family of tests, and the standard power
// calculation of how many seeds a difference needs. Pure functions of the values; the tables
// (comparisons.h) and the claims (claims.h) decide what to compare.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ablate::results {

// Which test compares two variants.
enum class TestKind {
  welch,   // independent samples, unequal variances (Welch-Satterthwaite degrees of freedom)
  paired,  // the same seeds on both sides: a one-sample t-test of the per-seed differences
};

const char* to_string(TestKind kind);  // "welch" | "paired"
// Accepts "welch" and "paired"; throws std::invalid_argument naming the value and the choices.
TestKind parse_test_kind(const std::string& text);

// The level below which a (corrected) p-value counts as "beyond noise", and the interval's coverage.
inline constexpr double kAlpha = 0.05;

struct TestResult {
  TestKind kind = TestKind::welch;
  int64_t n_a = 0;          // values of a (paired: pairs)
  int64_t n_b = 0;          // values of b (paired: pairs)
  double difference = 0;    // mean(a) - mean(b); paired: the mean of a_i - b_i (the same number)
  double se = 0;            // standard error of the difference
  double dof = 0;           // Welch-Satterthwaite (fractional) or n - 1 (paired)
  double t = 0;             // difference / se; +-inf when se = 0 and the difference is not 0
  double p = 1;             // two-sided
  double ci_low = 0;        // 95% confidence interval of the difference
  double ci_high = 0;
  double spread = 0;        // the spread a power calculation uses: paired, the std of the differences;
                            // Welch, the quadratic mean of the two stds, sqrt((s_a^2 + s_b^2) / 2)
  // Degrees of freedom per extra seed for a power calculation (seeds_needed): paired 1; Welch
  // (s_a^2 + s_b^2)^2 / (s_a^4 + s_b^4), 2 for equal spreads, down to 1 when one side's spread dominates.
  double dof_per_seed = 1;
};

// Welch's t-test of mean(a) - mean(b). nullopt when either side has fewer than 2 values (no spread).
// When both sides have zero spread, dof = n_a + n_b - 2 and the result is exact: p = 1 for equal means,
// p = 0 otherwise, with a zero-width interval.
std::optional<TestResult> welch_test(const std::vector<double>& a, const std::vector<double>& b);

// The paired t-test of a_i - b_i. a and b must have the same length (std::invalid_argument otherwise);
// nullopt for fewer than 2 pairs. Zero spread of the differences is handled as in welch_test.
std::optional<TestResult> paired_test(const std::vector<double>& a, const std::vector<double>& b);

// Holm's step-down adjustment: p-values sorted ascending, p_(i) multiplied by (m - i + 1), made
// non-decreasing in that order and capped at 1; returned in the input order. NaN entries (comparisons
// that could not be made) stay NaN and do not count in m.
std::vector<double> holm_adjust(const std::vector<double>& p);

// Seeds per variant that would detect a true difference `effect` at spread `spread` with a two-sided test
// at level `alpha` and power `power`: the standard normal-theory formula with t quantiles, the smallest n
// with n >= 2 ((t_{1-alpha/2, k(n-1)} + t_{power, k(n-1)}) spread / effect)^2 for two independent
// samples, n >= ((t_{1-alpha/2, n-1} + t_{power, n-1}) spread / effect)^2 paired, where k = `dof_per_seed`
// (0: 2 for Welch's test at equal spreads, 1 paired; pass TestResult::dof_per_seed to plan with the
// spreads measured, whose Welch degrees of freedom are fewer when they differ). An estimate (it assumes
// the spreads measured now are the true ones). nullopt when the effect is 0 or the spread is not a
// positive number; at least 2. Gives Cohen's table values (two-sample, alpha 0.05, power 0.8): 64 for
// effect/spread = 0.5, 26 for 0.8, 17 for 1.
std::optional<int64_t> seeds_needed(double effect, double spread, TestKind kind, double alpha = kAlpha,
                                    double power = 0.8, double dof_per_seed = 0);

}  // namespace ablate::results
