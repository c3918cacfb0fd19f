// Paper Fig. 5: train (dashed) and val (solid) error against epochs, one colour per variant, the mean
// over seeds as the line and the spread over seeds as a translucent band; panels side by side.
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
    out += fmt::format("set multiplot layout 1,{} title {} font {}\n", figure.panels.size(),
                       detail::title_expression(figure.title, note), title_font);
  }
  out += "set xlabel " + gnuplot_quote(figure.x_label) + "\n";
  out += "set ylabel " + gnuplot_quote(figure.y_label) + "\n";
  out += "set grid lc rgb '#dddddd'\n";
  if (figure.nonnegative_y) out += "set yrange [0<*:*]\n";
  // Whole epochs on the x axis, at most about ten ticks.
  double last_epoch = 1;
  std::size_t most_series = 1;
  for (const CurvePanel& panel : figure.panels) {
    most_series = std::max(most_series, panel.series.size());
    for (const CurveSeries& series : panel.series) {
      for (const Curve* curve : {&series.train, &series.val}) {
        for (double x : curve->x) last_epoch = std::max(last_epoch, x);
      }
    }
  }
  out += fmt::format("set xtics {}\n", std::max(1.0, std::ceil(last_epoch / 10)));
  // The key goes under the plot, never over the curves; the bottom margin is sized for one entry per
  // row (gnuplot's own estimate lets the key run into the x label in multiplot).
  out += fmt::format("set key below\nset bmargin {}\n", 4 + most_series);
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
