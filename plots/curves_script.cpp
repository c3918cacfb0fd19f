// Paper Fig. 5: train (dashed) and val (solid) error against epochs, one colour per variant, the mean
// over seeds as the line and the spread over seeds as a translucent band; panels side by side, up to
// three in a row, each with its own key inside its top right corner (where falling curves leave room).
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "plots/gnuplot_script.h"
#include "plots/gnuplot_text.h"
#include "plots/script_common.h"

namespace ablate::plots {
namespace {

std::vector<std::vector<double>> curve_rows(const Curve& curve) {
  std::vector<std::vector<double>> rows;
  const bool band = !curve.low.empty();
  for (std::size_t i = 0; i < curve.x.size(); ++i) {
    rows.push_back({curve.x[i], curve.y[i], band ? curve.low[i] : curve.y[i], band ? curve.high[i] : curve.y[i]});
  }
  return rows;
}

// The y range all panels share (so they compare at a glance), with headroom where a panel's curves would
// run behind its key in the top right corner. Sizes are estimates in pixels from the image size and font.
struct YRange {
  double low = 0, high = 1;
  double data_high = 1;  // the highest value drawn: ticks stop there, the headroom above is the key's
};

// A tick step of 1, 2 or 5 times a power of ten that gives about six ticks over `span`.
double nice_step(double span) {
  const double raw = span / 6;
  const double power = std::pow(10, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0}) {
    if (raw <= m * power) return m * power;
  }
  return 10 * power;
}

YRange shared_y_range(const CurvesFigure& figure, const RenderOptions& options, double first_epoch, double last_epoch) {
  double lo = INFINITY, hi = -INFINITY;
  for (const CurvePanel& panel : figure.panels) {
    for (const CurveSeries& series : panel.series) {
      for (const Curve* curve : {&series.train, &series.val}) {
        for (const std::vector<double>* values : {&curve->y, &curve->low, &curve->high}) {
          for (double v : *values) {
            if (!std::isfinite(v)) continue;
            lo = std::min(lo, v);
            hi = std::max(hi, v);
          }
        }
      }
    }
  }
  if (!(hi >= lo)) return {0, 1};
  if (hi == lo) hi = lo + 1;
  const PanelGrid grid = panel_grid(figure.panels.size());
  const double plot_width = options.width / static_cast<double>(grid.columns) - 110;
  const double plot_height = (options.height - 90) / static_cast<double>(grid.rows) - 80;
  const double key_font = (options.font_size - 1) * 4.0 / 3.0;  // points to pixels at 96 dpi
  double top = hi;
  for (const CurvePanel& panel : figure.panels) {
    std::size_t longest = 0;
    for (const CurveSeries& series : panel.series) longest = std::max(longest, series.name.size());
    const double key_width = (static_cast<double>(longest) + 6) * 0.6 * key_font;
    const double key_height = static_cast<double>(panel.series.size()) * 1.25 * key_font + 10;
    // The epochs the key spans, from its left edge to the last epoch.
    const double from = last_epoch - std::min(1.0, key_width / plot_width) * (last_epoch - first_epoch);
    double under_key = -INFINITY;
    for (const CurveSeries& series : panel.series) {
      for (const Curve* curve : {&series.train, &series.val}) {
        const std::vector<double>& upper = curve->high.empty() ? curve->y : curve->high;
        for (std::size_t i = 0; i < curve->x.size(); ++i) {
          if (!std::isfinite(upper[i])) continue;
          if (curve->x[i] >= from) under_key = std::max(under_key, upper[i]);
          // Where a segment enters the key's span, its value at the key's left edge.
          if (i + 1 < curve->x.size() && curve->x[i] < from && curve->x[i + 1] > from && std::isfinite(upper[i + 1])) {
            const double t = (from - curve->x[i]) / (curve->x[i + 1] - curve->x[i]);
            under_key = std::max(under_key, upper[i] + t * (upper[i + 1] - upper[i]));
          }
        }
      }
    }
    if (!std::isfinite(under_key)) continue;
    // The key's bottom, a fraction r of the range below the top, must clear the curves under it.
    const double r = std::min(0.8, key_height / plot_height);
    const double gap = 0.03 * (hi - lo);
    top = std::max(top, (under_key + gap - r * lo) / (1 - r));
  }
  YRange range{lo - 0.05 * (hi - lo), top + 0.03 * (top - lo), hi};
  if (figure.nonnegative_y && lo >= 0) range.low = std::max(0.0, range.low);
  return range;
}

}  // namespace

std::string curves_script(const CurvesFigure& figure, const RenderOptions& options, const std::string& output_path) {
  validate(figure);
  std::string out = detail::script_preamble("training curves (paper Fig. 5)", options, output_path);

  // Data first: one block per drawn curve, named by position only (never by user text).
  for (std::size_t p = 0; p < figure.panels.size(); ++p) {
    for (std::size_t s = 0; s < figure.panels[p].series.size(); ++s) {
      const CurveSeries& series = figure.panels[p].series[s];
      if (!series.train.x.empty()) {
        out += detail::data_block(fmt::format("p{}s{}_train", p, s), "epoch mean low high", curve_rows(series.train), 2);
      }
      if (!series.val.x.empty()) {
        out += detail::data_block(fmt::format("p{}s{}_val", p, s), "epoch mean low high", curve_rows(series.val), 2);
      }
    }
  }

  // Line styles are explained once, in the subtitle, to keep the key to one entry per variant.
  bool any_train = false;
  bool any_val = false;
  for (const CurvePanel& panel : figure.panels) {
    for (const CurveSeries& series : panel.series) {
      any_train = any_train || !series.train.x.empty();
      any_val = any_val || !series.val.x.empty();
    }
  }
  std::string note = figure.note;
  if (any_train && any_val) note = "solid: val, dashed: train" + (note.empty() ? "" : "; " + note);
  const bool multiplot = figure.panels.size() > 1;
  const std::string title_font = gnuplot_quote(fmt::format(",{}", options.font_size + 2));
  if (multiplot) {
    const PanelGrid grid = panel_grid(figure.panels.size());
    out += fmt::format("set multiplot layout {},{} title {} font {}\n", grid.rows, grid.columns,
                       detail::title_expression(figure.title, note), title_font);
  }
  out += "set xlabel " + gnuplot_quote(figure.x_label) + "\n";
  out += "set ylabel " + gnuplot_quote(figure.y_label) + "\n";
  out += detail::grid_command();
  // Whole epochs on the x axis, at most about ten ticks; one y range for every panel.
  double first_epoch = INFINITY;
  double last_epoch = 1;
  for (const CurvePanel& panel : figure.panels) {
    for (const CurveSeries& series : panel.series) {
      for (const Curve* curve : {&series.train, &series.val}) {
        for (double x : curve->x) {
          first_epoch = std::min(first_epoch, x);
          last_epoch = std::max(last_epoch, x);
        }
      }
    }
  }
  if (!(first_epoch < last_epoch)) first_epoch = last_epoch - 1;
  const YRange y = shared_y_range(figure, options, first_epoch, last_epoch);
  out += fmt::format("set xrange [{}:{}]\nset yrange [{}:{}]\n", gnuplot_number(first_epoch), gnuplot_number(last_epoch),
                     gnuplot_number(std::round(y.low * 100) / 100), gnuplot_number(std::round(y.high * 100) / 100));
  out += fmt::format("set xtics {}\n", std::max(1.0, std::ceil(last_epoch / 10)));
  const double step = nice_step(y.data_high - y.low);
  out += fmt::format("set ytics {}, {}, {}\n", gnuplot_number(std::ceil(y.low / step) * step), gnuplot_number(step),
                     gnuplot_number(std::floor(y.data_high / step) * step + step / 2));
  // One key entry per variant (at most kMaxSeriesPerPanel), boxed so a curve passing behind stays readable.
  out += fmt::format("set key top right opaque box samplen 2 font {}\n",
                     gnuplot_quote(fmt::format(",{}", options.font_size - 1)));
  out += "set style fill transparent solid 0.15 noborder\n";

  for (std::size_t p = 0; p < figure.panels.size(); ++p) {
    const CurvePanel& panel = figure.panels[p];
    if (multiplot) {
      out += "set title " + gnuplot_quote(panel.title) + "\n";
    } else {
      const std::string title = panel.title.empty() ? figure.title
                                : figure.title.empty() ? panel.title
                                                       : figure.title + ": " + panel.title;
      out += "set title " + detail::title_expression(title, note) + " font " + title_font + "\n";
    }
    std::vector<std::string> bands;
    std::vector<std::string> lines;
    for (std::size_t s = 0; s < panel.series.size(); ++s) {
      const CurveSeries& series = panel.series[s];
      const std::string colour = detail::series_colour(s);
      bool named = false;  // the variant's name goes on its first drawn line only
      auto add = [&](const Curve& curve, const char* phase, const char* dash, const char* width) {
        if (curve.x.empty()) return;
        const std::string block = fmt::format("$p{}s{}_{}", p, s, phase);
        if (!curve.low.empty()) bands.push_back(fmt::format("{} using 1:3:4 with filledcurves fc rgb {} notitle", block, colour));
        lines.push_back(fmt::format("{} using 1:2 with linespoints lc rgb {} lw {} dt {} pt 7 ps 0.5 {}", block, colour,
                                    width, dash, named ? "notitle" : "title " + gnuplot_quote(series.name)));
        named = true;
      };
      add(series.val, "val", "1", "2.5");
      add(series.train, "train", "2", "1.5");
    }
    std::vector<std::string> all = bands;
    all.insert(all.end(), lines.begin(), lines.end());
    out += "plot ";
    for (std::size_t i = 0; i < all.size(); ++i) out += (i == 0 ? "" : ", \\\n     ") + all[i];
    out += "\n";
  }
  if (multiplot) out += "unset multiplot\n";
  out += "unset output\n";
  return out;
}

}  // namespace ablate::plots
