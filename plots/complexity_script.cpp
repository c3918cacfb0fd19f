// Paper Fig. 7: error against params or GMACs, one colour per family (cardinality vs. width), error bars
// over seeds, every point labelled with its setting. The ranges and margins are fixed here rather than
// left to gnuplot, so each point's pixel position is known and the labels can be placed where they
// cover no other label, point, bar or line (label_layout.h).
#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <fmt/format.h>

#include "plots/gnuplot_script.h"
#include "plots/gnuplot_text.h"
#include "plots/label_layout.h"
#include "plots/script_common.h"

namespace ablate::plots {
namespace {

// cairo and svg terminals draw text at 96 dpi: a point is 4/3 pixel. A sans character is about 0.6 em.
constexpr double kPixelsPerPoint = 4.0 / 3.0;
constexpr double kCharWidthEm = 0.6;
constexpr double kMarkerRadius = 6;  // pt 7 ps 1.2

// Screen fractions to four digits: a tenth of a pixel on any image, and a readable script.
std::string screen(double fraction) { return gnuplot_number(std::round(fraction * 10000) / 10000); }

// Four significant digits: ranges that read well in the script, used for the pixel positions too.
double rounded(double value) {
  if (value == 0 || !std::isfinite(value)) return value;
  const double unit = std::pow(10, std::floor(std::log10(std::fabs(value))) - 3);
  return std::round(value / unit) * unit;
}

struct Range {
  double low = 0, high = 1;
};

// The data range of the values, widened by the fractions at each end (or by 10% of the value when
// every value is the same).
Range padded(double low, double high, double below, double above) {
  if (!(high > low)) {
    const double pad = std::fabs(low) > 0 ? 0.1 * std::fabs(low) : 1;
    return {low - pad, high + pad};
  }
  const double span = high - low;
  return {low - below * span, high + above * span};
}

}  // namespace

std::string complexity_script(const ComplexityFigure& figure, const RenderOptions& options,
                              const std::string& output_path) {
  validate(figure);
  std::string out = detail::script_preamble("error vs. complexity (paper Fig. 7)", options, output_path);
  for (std::size_t s = 0; s < figure.series.size(); ++s) {
    std::vector<std::vector<double>> rows;
    for (const ComplexityPoint& point : figure.series[s].points) rows.push_back({point.x, point.y, point.error});
    out += detail::data_block(fmt::format("f{}", s), "x mean error", rows, 2);
  }

  // Ranges: every point and bar inside, with room on the right for the labels of the last points.
  double x_low = INFINITY, x_high = -INFINITY, y_low = INFINITY, y_high = -INFINITY;
  for (const ComplexitySeries& series : figure.series) {
    for (const ComplexityPoint& p : series.points) {
      if (!std::isfinite(p.x) || !std::isfinite(p.y)) continue;
      const double bar = std::isfinite(p.error) ? p.error : 0;
      const double x = figure.log_x ? std::log10(p.x) : p.x;
      x_low = std::min(x_low, x);
      x_high = std::max(x_high, x);
      y_low = std::min(y_low, p.y - bar);
      y_high = std::max(y_high, p.y + bar);
    }
  }
  Range xr = padded(x_low, x_high, 0.08, 0.22);
  Range yr = padded(y_low, y_high, 0.12, 0.12);
  if (figure.nonnegative_y && y_low >= 0) yr.low = std::max(0.0, yr.low);
  yr = {rounded(yr.low), rounded(yr.high)};
  const double x_min = rounded(figure.log_x ? std::pow(10, xr.low) : xr.low);
  const double x_max = rounded(figure.log_x ? std::pow(10, xr.high) : xr.high);
  xr = figure.log_x ? Range{std::log10(x_min), std::log10(x_max)} : Range{x_min, x_max};

  // The plot area in pixels (y up): room for the y tick labels and label on the left, two title lines
  // on top, the x tick labels, x label and a one-row key below.
  const double width = options.width;
  const double height = options.height;
  const double font = options.font_size * kPixelsPerPoint;
  const PixelBox frame{90, 3.6 * font + 40, width - 25, height - (2 * 1.3 * (font + 2 * kPixelsPerPoint) + 24)};
  out += fmt::format("set lmargin at screen {}\nset rmargin at screen {}\nset bmargin at screen {}\nset tmargin at screen {}\n",
                     screen(frame.left / width), screen(frame.right / width), screen(frame.bottom / height),
                     screen(frame.top / height));
  out += "set title " + detail::title_expression(figure.title, figure.note) + " font " +
         gnuplot_quote(fmt::format(",{}", options.font_size + 2)) + "\n";
  out += "set xlabel " + gnuplot_quote(figure.x_label) + "\n";
  out += "set ylabel " + gnuplot_quote(figure.y_label) + "\n";
  if (figure.log_x) {
    // gnuplot labels only the powers of ten on a log axis; a range like 4-50 would show one tick.
    std::string ticks;
    for (double decade = std::pow(10, std::floor(std::log10(x_min))); decade <= x_max; decade *= 10) {
      for (double m : {1.0, 2.0, 5.0}) {
        const double tick = m * decade;
        if (tick >= x_min && tick <= x_max) ticks += (ticks.empty() ? "" : ", ") + gnuplot_number(tick);
      }
    }
    out += "set logscale x\n";
    if (!ticks.empty()) out += "set xtics (" + ticks + ")\n";
  }
  out += fmt::format("set xrange [{}:{}]\nset yrange [{}:{}]\n", gnuplot_number(x_min), gnuplot_number(x_max),
                     gnuplot_number(yr.low), gnuplot_number(yr.high));
  out += detail::grid_command();
  // The key below the x label, one row: it never covers a point or a label.
  out += fmt::format("set key at screen 0.5, screen {} center bottom horizontal samplen 2\n",
                     screen(6 / height));

  auto to_pixels = [&](double x, double y) {
    const double xv = figure.log_x ? std::log10(x) : x;
    return std::pair<double, double>{frame.left + (xv - xr.low) / (xr.high - xr.low) * frame.width(),
                                     frame.bottom + (y - yr.low) / (yr.high - yr.low) * frame.height()};
  };
  // Families often share their first point (e.g. 1x64d): label each place once.
  struct Labelled {
    std::size_t series;
    const ComplexityPoint* point;
  };
  std::vector<Labelled> labelled;
  std::vector<LabelAnchor> anchors;
  std::set<std::tuple<double, double, std::string>> seen;
  const double label_font = (options.font_size - 2) * kPixelsPerPoint;
  for (std::size_t s = 0; s < figure.series.size(); ++s) {
    for (const ComplexityPoint& point : figure.series[s].points) {
      if (point.label.empty() || !std::isfinite(point.x) || !std::isfinite(point.y)) continue;
      if (!seen.insert({point.x, point.y, point.label}).second) continue;
      const auto [px, py] = to_pixels(point.x, point.y);
      const double bar = std::isfinite(point.error) ? point.error : 0;
      LabelAnchor a;
      a.x = px;
      a.y = py;
      a.bar_low = to_pixels(point.x, point.y - bar).second;
      a.bar_high = to_pixels(point.x, point.y + bar).second;
      a.width = kCharWidthEm * label_font * static_cast<double>(point.label.size()) + 2;
      a.height = 1.25 * label_font;
      anchors.push_back(a);
      labelled.push_back({s, &point});
    }
  }
  std::vector<PixelSegment> segments;
  for (const ComplexitySeries& series : figure.series) {
    if (!series.lines) continue;
    for (std::size_t i = 0; i + 1 < series.points.size(); ++i) {
      const auto [x0, y0] = to_pixels(series.points[i].x, series.points[i].y);
      const auto [x1, y1] = to_pixels(series.points[i + 1].x, series.points[i + 1].y);
      segments.push_back({x0, y0, x1, y1});
    }
  }
  // Labels keep a few pixels off the border, where they would run into the tick marks.
  const PixelBox inner{frame.left + 4, frame.bottom + 4, frame.right - 4, frame.top - 4};
  const std::vector<LabelPlacement> placed = place_labels(anchors, segments, inner, kMarkerRadius);
  const std::string font_spec = gnuplot_quote(fmt::format(",{}", options.font_size - 2));
  for (std::size_t i = 0; i < placed.size(); ++i) {
    const std::string colour = detail::series_colour(labelled[i].series);
    out += fmt::format("set label {} {} at screen {}, screen {} left font {} textcolor rgb {} front\n", i + 1,
                       gnuplot_quote(labelled[i].point->label), screen(placed[i].x / width),
                       screen(placed[i].y / height), font_spec, colour);
    if (placed[i].leader) {
      // From the point to the near end of its text.
      const bool right_of_point = placed[i].x > anchors[i].x;
      const double end_x = right_of_point ? placed[i].x - 1 : placed[i].x + anchors[i].width + 1;
      out += fmt::format("set arrow {} from first {}, first {} to screen {}, screen {} nohead lw 0.6 lc rgb {} back\n",
                         i + 1, gnuplot_number(labelled[i].point->x), gnuplot_number(labelled[i].point->y),
                         screen(end_x / width), screen(placed[i].y / height), colour);
    }
  }
  out += "plot ";
  for (std::size_t s = 0; s < figure.series.size(); ++s) {
    out += fmt::format("{}$f{} using 1:2:3 with {} lc rgb {} lw 2 pt 7 ps 1.2 title {}", s == 0 ? "" : ", \\\n     ", s,
                       figure.series[s].lines ? "yerrorlines" : "yerrorbars", detail::series_colour(s),
                       gnuplot_quote(figure.series[s].name));
  }
  out += "\nunset output\n";
  return out;
}

}  // namespace ablate::plots
