#include "results/stats.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "results/student_t.h"

namespace ablate::results {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

const char* to_string(Stat stat) {
  switch (stat) {
    case Stat::std: return "std";
    case Stat::sem: return "sem";
    case Stat::ci95: return "ci95";
  }
  return "?";
}

Stat parse_stat(const std::string& text) {
  if (text == "std") return Stat::std;
  if (text == "sem") return Stat::sem;
  if (text == "ci95") return Stat::ci95;
  throw std::invalid_argument("unknown statistic '" + text + "' (expected std, sem or ci95)");
}

double Summary::spread(Stat stat) const {
  switch (stat) {
    case Stat::std: return std;
    case Stat::sem: return sem;
    case Stat::ci95: return ci95;
  }
  return kNaN;
}

double mean(const std::vector<double>& values) {
  if (values.empty()) return kNaN;
  double sum = 0;
  for (double v : values) sum += v;
  return sum / static_cast<double>(values.size());
}

double sample_std(const std::vector<double>& values) {
  if (values.size() < 2) return kNaN;
  const double m = mean(values);
  double squares = 0;
  for (double v : values) squares += (v - m) * (v - m);
  return std::sqrt(squares / static_cast<double>(values.size() - 1));
}

double student_t_975(int64_t dof) {
  if (dof < 1) throw std::invalid_argument("Student t quantile needs dof >= 1, got " + std::to_string(dof));
  return student_t_quantile(0.975, static_cast<double>(dof));
}

Summary summarize(const std::vector<double>& values) {
  Summary s;
  s.n = static_cast<int64_t>(values.size());
  s.mean = mean(values);
  s.std = sample_std(values);
  if (s.n >= 2) {
    s.sem = s.std / std::sqrt(static_cast<double>(s.n));
    s.ci95 = student_t_975(s.n - 1) * s.sem;
  } else {
    s.sem = kNaN;
    s.ci95 = kNaN;
  }
  if (values.empty()) {
    s.min = s.max = kNaN;
  } else {
    const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    s.min = *lo;
    s.max = *hi;
  }
  return s;
}

}  // namespace ablate::results
