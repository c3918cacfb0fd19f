#pragma once
// Where to put the text labels of a scatter of points (the complexity figure's settings) so that no label
// covers another label, a point, an error bar or a drawn line, as far as the space allows. gnuplot has
// no such placement of its own: the figure script fixes the plot's ranges and margins so that every
// point's pixel position is known, and places each label at the position this module chose.
// Pure geometry in pixels (y grows upwards), independent of gnuplot.

#include <cstddef>
#include <vector>

namespace ablate::plots {

struct PixelBox {
  double left = 0, bottom = 0, right = 0, top = 0;
  double width() const { return right - left; }
  double height() const { return top - bottom; }
};

// A drawn line between two points.
struct PixelSegment {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};

// One point to label.
struct LabelAnchor {
  double x = 0, y = 0;            // the point
  double bar_low = 0, bar_high = 0;  // its error bar (both = y when none)
  double width = 0, height = 0;   // the label's text box
};

struct LabelPlacement {
  double x = 0, y = 0;  // the text box's left end, vertical centre
  bool leader = false;  // far from its point: draw a thin line from the point to the text
};

// Places the labels one after another, each at the first of a list of candidate positions (right,
// left, above, below, the diagonals, then further up and down) that overlaps nothing placed or drawn and
// stays inside `frame`; when every candidate overlaps something, the one that overlaps least.
// `segments` are the drawn lines, which a label should not cross. `marker` is the points' radius.
std::vector<LabelPlacement> place_labels(const std::vector<LabelAnchor>& anchors,
                                         const std::vector<PixelSegment>& segments, const PixelBox& frame,
                                         double marker);

// The overlap area of two boxes (0 when apart).
double overlap(const PixelBox& a, const PixelBox& b);

// Whether the segment crosses (or lies in) the box.
bool crosses(const PixelBox& box, const PixelSegment& segment);

}  // namespace ablate::plots
