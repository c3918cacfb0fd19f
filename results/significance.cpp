#include "results/significance.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include <fmt/format.h>

#include "results/stats.h"
#include "results/student_t.h"

namespace ablate::results {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Fills t, p and the interval from the difference, its standard error and the degrees of freedom.
TestResult finish(TestResult r) {
  if (r.se > 0) {
    r.t = r.difference / r.se;
    r.p = student_t_two_sided_p(r.t, r.dof);
    const double half = student_t_quantile(1 - kAlpha / 2, r.dof) * r.se;
    r.ci_low = r.difference - half;
    r.ci_high = r.difference + half;
  } else {
    // No spread on either side: the difference is known exactly.
    r.t = r.difference == 0 ? 0 : std::copysign(INFINITY, r.difference);
    r.p = r.difference == 0 ? 1 : 0;
    r.ci_low = r.ci_high = r.difference;
  }
  return r;
}

}  // namespace

const char* to_string(TestKind kind) { return kind == TestKind::welch ? "welch" : "paired"; }

TestKind parse_test_kind(const std::string& text) {
  if (text == "welch") return TestKind::welch;
  if (text == "paired") return TestKind::paired;
  throw std::invalid_argument("unknown test '" + text + "' (expected welch or paired)");
}

std::optional<TestResult> welch_test(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() < 2 || b.size() < 2) return std::nullopt;
  TestResult r;
  r.kind = TestKind::welch;
  r.n_a = static_cast<int64_t>(a.size());
  r.n_b = static_cast<int64_t>(b.size());
  const double sa = sample_std(a);
  const double sb = sample_std(b);
  const double va = sa * sa / static_cast<double>(r.n_a);  // squared standard errors
  const double vb = sb * sb / static_cast<double>(r.n_b);
  r.difference = mean(a) - mean(b);
  r.se = std::sqrt(va + vb);
  r.dof = r.se > 0 ? (va + vb) * (va + vb) /
                         (va * va / static_cast<double>(r.n_a - 1) + vb * vb / static_cast<double>(r.n_b - 1))
                   : static_cast<double>(r.n_a + r.n_b - 2);
  r.spread = std::sqrt((sa * sa + sb * sb) / 2);
  const double fourth = sa * sa * sa * sa + sb * sb * sb * sb;
  r.dof_per_seed = fourth > 0 ? (sa * sa + sb * sb) * (sa * sa + sb * sb) / fourth : 2;
  return finish(r);
}

std::optional<TestResult> paired_test(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) {
    throw std::invalid_argument(fmt::format("a paired test needs as many values on each side, got {} and {}",
                                            a.size(), b.size()));
  }
  if (a.size() < 2) return std::nullopt;
  std::vector<double> differences(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) differences[i] = a[i] - b[i];
  TestResult r;
  r.kind = TestKind::paired;
  r.n_a = r.n_b = static_cast<int64_t>(a.size());
  r.difference = mean(differences);
  r.spread = sample_std(differences);
  r.se = r.spread / std::sqrt(static_cast<double>(r.n_a));
  r.dof = static_cast<double>(r.n_a - 1);
  r.dof_per_seed = 1;
  return finish(r);
}

std::vector<double> holm_adjust(const std::vector<double>& p) {
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (!std::isnan(p[i])) order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return p[x] < p[y]; });
  std::vector<double> adjusted(p.size(), kNaN);
  const double m = static_cast<double>(order.size());
  double running = 0;
  for (std::size_t rank = 0; rank < order.size(); ++rank) {
    running = std::max(running, std::min(1.0, (m - static_cast<double>(rank)) * p[order[rank]]));
    adjusted[order[rank]] = running;
  }
  return adjusted;
}

std::optional<int64_t> seeds_needed(double effect, double spread, TestKind kind, double alpha, double power,
                                    double dof_per_seed) {
  if (!(std::fabs(effect) > 0) || !(spread > 0) || !std::isfinite(effect) || !std::isfinite(spread)) {
    return std::nullopt;
  }
  const double ratio = spread / std::fabs(effect);
  const double samples = kind == TestKind::welch ? 2 : 1;  // two independent means or one of differences
  const double per_seed = dof_per_seed > 0 ? dof_per_seed : samples;
  auto needed = [&](double n) {
    const double dof = per_seed * (n - 1);
    const double t = student_t_quantile(1 - alpha / 2, dof) + student_t_quantile(power, dof);
    return samples * t * t * ratio * ratio;
  };
  // needed(n) falls as n grows (more degrees of freedom, smaller t quantiles), so the answer is the smallest
  // n with needed(n) <= n: no smaller than the normal approximation (t with a million dof), found by
  // doubling and then bisection. (Iterating n = needed(n) can cycle between two values at small n.)
  const double z = student_t_quantile(1 - alpha / 2, 1e6) + student_t_quantile(power, 1e6);
  constexpr int64_t kCap = 1000000;
  int64_t low = std::max<int64_t>(2, static_cast<int64_t>(std::ceil(samples * z * z * ratio * ratio)));
  if (low >= kCap) return kCap;
  auto enough = [&](int64_t n) { return needed(static_cast<double>(n)) <= static_cast<double>(n); };
  if (enough(low)) return low;
  int64_t high = low;
  while (!enough(high)) {
    low = high;
    if (high >= kCap) return kCap;
    high = std::min(kCap, 2 * high);
  }
  while (high - low > 1) {  // enough(high), not enough(low)
    const int64_t mid = low + (high - low) / 2;
    (enough(mid) ? high : low) = mid;
  }
  return high;
}

}  // namespace ablate::results
