#include "plots/label_layout.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ablate::plots {

double overlap(const PixelBox& a, const PixelBox& b) {
  const double w = std::min(a.right, b.right) - std::max(a.left, b.left);
  const double h = std::min(a.top, b.top) - std::max(a.bottom, b.bottom);
  return w > 0 && h > 0 ? w * h : 0;
}

bool crosses(const PixelBox& box, const PixelSegment& s) {
  // Liang-Barsky: clip the segment's parameter range against each side of the box.
  double t0 = 0;
  double t1 = 1;
  const double dx = s.x1 - s.x0;
  const double dy = s.y1 - s.y0;
  const double p[4] = {-dx, dx, -dy, dy};
  const double q[4] = {s.x0 - box.left, box.right - s.x0, s.y0 - box.bottom, box.top - s.y0};
  for (int i = 0; i < 4; ++i) {
    if (p[i] == 0) {
      if (q[i] < 0) return false;
      continue;
    }
    const double t = q[i] / p[i];
    if (p[i] < 0) {
      t0 = std::max(t0, t);
    } else {
      t1 = std::min(t1, t);
    }
    if (t0 > t1) return false;
  }
  return true;
}

std::vector<LabelPlacement> place_labels(const std::vector<LabelAnchor>& anchors,
                                         const std::vector<PixelSegment>& segments, const PixelBox& frame,
                                         double marker) {
  // What is drawn: every point's marker and error bar.
  std::vector<PixelBox> drawn;
  for (const LabelAnchor& a : anchors) {
    drawn.push_back({a.x - marker, a.y - marker, a.x + marker, a.y + marker});
    if (a.bar_high > a.bar_low) drawn.push_back({a.x - 4, a.bar_low, a.x + 4, a.bar_high});
  }
  std::vector<PixelBox> placed;
  std::vector<LabelPlacement> out;
  for (const LabelAnchor& a : anchors) {
    const double gap = marker + 4;
    const double w = a.width;
    const double h = a.height;
    const double above_bar = std::max(a.bar_high - a.y, 0.0) + gap + h / 2;
    const double below_bar = std::max(a.y - a.bar_low, 0.0) + gap + h / 2;
    // Left end and vertical centre of the text, relative to the point; nearer candidates first.
    std::vector<std::pair<double, double>> candidates = {
        {gap, 0},          {-gap - w, 0},       {gap / 2, h * 0.9},  {gap / 2, -h * 0.9},
        {-gap / 2 - w, h * 0.9}, {-gap / 2 - w, -h * 0.9}, {-w / 2, above_bar}, {-w / 2, -below_bar}};
    for (int step = 2; step <= 6; ++step) {
      for (double sign : {1.0, -1.0}) {
        candidates.push_back({gap, sign * h * 0.9 * step});
        candidates.push_back({-gap - w, sign * h * 0.9 * step});
      }
    }
    double best_score = std::numeric_limits<double>::infinity();
    LabelPlacement best;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      const auto [dx, dy] = candidates[i];
      const PixelBox box{a.x + dx, a.y + dy - h / 2, a.x + dx + w, a.y + dy + h / 2};
      double score = static_cast<double>(i) * 1e-3;  // nearer candidates win ties
      if (box.left < frame.left || box.right > frame.right || box.bottom < frame.bottom || box.top > frame.top) {
        score += 1e6;
      }
      for (const PixelBox& other : placed) score += 10 * overlap(box, other);
      for (const PixelBox& mark : drawn) score += 5 * overlap(box, mark);
      for (const PixelSegment& s : segments) score += crosses(box, s) ? 50 : 0;
      if (score < best_score) {
        best_score = score;
        best = {box.left, a.y + dy, std::fabs(dy) > 1.5 * h};
      }
      if (score < 1) break;  // nothing overlapped: the nearest free place
    }
    placed.push_back({best.x, best.y - h / 2, best.x + w, best.y + h / 2});
    out.push_back(best);
  }
  return out;
}

}  // namespace ablate::plots
