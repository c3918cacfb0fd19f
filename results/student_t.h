#pragma once
// Student's t distribution for tests over seeds: Welch's test has a fractional number of degrees of
// freedom (Welch-Satterthwaite), so the distribution is defined for any real dof > 0, not only for the
// integer ones a table covers.

namespace ablate::results {

// P(T <= t) for T ~ Student t with `dof` degrees of freedom (any real dof > 0), through the regularized
// incomplete beta function: accurate to about 1e-12. t = +-inf gives 1 or 0. Throws
// std::invalid_argument for dof <= 0 or a NaN t.
double student_t_cdf(double t, double dof);

// Two-sided p-value of an observed t: P(|T| >= |t|). 1 for t = 0, 0 for an infinite t.
double student_t_two_sided_p(double t, double dof);

// The t with P(T <= t) = p, for 0 < p < 1 (bisection on student_t_cdf, to about 1e-12 relative).
// Throws std::invalid_argument for p outside (0, 1) or dof <= 0.
double student_t_quantile(double p, double dof);

}  // namespace ablate::results
