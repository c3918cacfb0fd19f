#include "results/stats.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

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
  // t(0.975, dof) for dof = 1..30; checked against numerical integration of the t density.
  static constexpr double kTable[30] = {
      12.7062047, 4.3026527, 3.1824463, 2.7764451, 2.5705818, 2.4469119, 2.3646243, 2.3060041,
      2.2621572,  2.2281389, 2.2009852, 2.1788128, 2.1603687, 2.1447867, 2.1314495, 2.1199053,
      2.1098156,  2.1009220, 2.0930241, 2.0859634, 2.0796138, 2.0738731, 2.0686576, 2.0638986,
      2.0595386,  2.0555294, 2.0518305, 2.0484071, 2.0452296, 2.0422725};
  if (dof <= 30) return kTable[dof - 1];
  // Abramowitz & Stegun 26.7.5: below 1e-7 off for dof > 30.
  const double z = 1.959963984540054;
  const double v = static_cast<double>(dof);
  const double z2 = z * z;
  const double g1 = (z2 + 1) * z / 4;
  const double g2 = ((5 * z2 + 16) * z2 + 3) * z / 96;
  const double g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384;
  const double g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160;
  return z + g1 / v + g2 / (v * v) + g3 / (v * v * v) + g4 / (v * v * v * v);
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
