#pragma once
// Small figures with made-up but plausible numbers, one of each kind.

#include <cmath>
#include <string>
#include <vector>

#include "plots/figure.h"

namespace ablate::testing {

// Error falling with the epoch, lower for larger `skill`; the band is +-spread around it.
inline plots::Curve decaying_curve(double start, double floor, double spread, int epochs) {
  plots::Curve curve;
  for (int e = 1; e <= epochs; ++e) {
    const double y = floor + (start - floor) * std::exp(-0.45 * e);
    curve.x.push_back(e);
    curve.y.push_back(std::round(y * 100) / 100);
    curve.low.push_back(std::round((y - spread) * 100) / 100);
    curve.high.push_back(std::round((y + spread) * 100) / 100);
  }
  return curve;
}

inline plots::CurvesFigure curves_fixture() {
  plots::CurvesFigure figure;
  figure.title = "Training curves: cardinality vs. width";
  figure.note = "bands: min-max over 3 seeds";
  plots::CurvePanel depth50{"depth 50", {}};
  depth50.series.push_back({"ResNet-50 1x64d", decaying_curve(60, 14, 0.8, 8), decaying_curve(55, 18, 0.6, 8)});
  depth50.series.push_back({"ResNeXt-50 32x4d", decaying_curve(58, 11, 0.7, 8), decaying_curve(52, 16, 0.5, 8)});
  plots::CurvePanel depth101{"depth 101", {}};
  depth101.series.push_back({"ResNet-101 1x64d", decaying_curve(59, 12, 0.8, 8), decaying_curve(54, 17, 0.6, 8)});
  // A variant still running: only 4 epochs, no band yet (one seed).
  plots::Curve partial = decaying_curve(57, 10, 0, 4);
  partial.low.clear();
  partial.high.clear();
  depth101.series.push_back({"ResNeXt-101 32x4d", {}, partial});
  figure.panels = {depth50, depth101};
  return figure;
}

inline plots::ComplexityFigure complexity_fixture() {
  plots::ComplexityFigure figure;
  figure.title = "Test error vs. model size";
  figure.note = "standard-error bars over 10 runs";
  figure.series.push_back({"ResNeXt-29 (cardinality)",
                           {{4.91, 4.10, 0.08, "1x64d"}, {9.13, 3.92, 0.07, "2x64d"}, {17.56, 3.80, 0.05, "4x64d"},
                            {34.43, 3.65, 0.06, "8x64d"}}});
  figure.series.push_back({"ResNet-29 (width)",
                           {{4.91, 4.10, 0.08, "1x64d"}, {13.78, 4.00, 0.09, "1x128d"}, {27.28, 3.95, NAN, "1x192d"}}});
  return figure;
}

inline plots::BarsFigure bars_fixture() {
  plots::BarsFigure figure;
  figure.title = "Removing the shortcuts";
  figure.categories = {"ResNet-50 1x64d", "ResNeXt-50 32x4d"};
  figure.series.push_back({"with shortcut", {23.9, 22.2}, {0.2, 0.1}});
  figure.series.push_back({"without shortcut", {31.2, 26.1}, {0.4, NAN}});
  return figure;
}

}  // namespace ablate::testing
