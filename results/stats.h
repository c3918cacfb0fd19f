#pragma once
// Summary statistics over seeds for paper-style tables: mean, sample standard deviation, standard error
// and the half-width of a 95% confidence interval from Student's t (seed counts are small: 1 to 10).
// Undefined quantities are NaN rather than 0, so a table can tell "one seed" from "no spread".

#include <cstdint>
#include <string>
#include <vector>

namespace ablate::results {

// Which spread a table prints after "mean ±".
enum class Stat { std, sem, ci95 };

const char* to_string(Stat stat);
// Accepts "std", "sem" and "ci95"; throws std::invalid_argument naming the value and the choices.
Stat parse_stat(const std::string& text);

struct Summary {
  int64_t n = 0;
  double mean = 0;  // NaN when n == 0
  double std = 0;   // sample standard deviation (n - 1 in the denominator); NaN when n < 2
  double sem = 0;   // std / sqrt(n); NaN when n < 2
  double ci95 = 0;  // t(0.975, n - 1) * sem: half-width of the 95% interval; NaN when n < 2
  double min = 0;   // NaN when n == 0
  double max = 0;   // NaN when n == 0

  // The spread `stat` selects (std, sem or ci95).
  double spread(Stat stat) const;
};

// NaN inputs are not skipped: a NaN metric is a bug upstream and must show, not vanish.
Summary summarize(const std::vector<double>& values);

double mean(const std::vector<double>& values);
double sample_std(const std::vector<double>& values);

// Two-sided 95% quantile of Student's t with `dof` degrees of freedom, t(0.975, dof) (student_t.h).
// Throws for dof < 1.
double student_t_975(int64_t dof);

}  // namespace ablate::results
