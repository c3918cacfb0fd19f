// Paper Fig. 5: train (dashed) and val (solid) error against epochs, one colour per variant, the mean
// over seeds as the line and the spread over seeds as a translucent band; panels side by side.
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

  const bool multiplot = figure.panels.size() > 1;
  const std::string title_font = gnuplot_quote(fmt::format(",{}", options.font_size + 2));
  if (multiplot) {
    out += fmt::format("set multiplot layout 1,{} title {} font {}\n", figure.panels.size(),
                       detail::title_expression(figure.title, figure.note), title_font);
  }
  out += "set xlabel " + gnuplot_quote(figure.x_label) + "\n";
  out += "set ylabel " + gnuplot_quote(figure.y_label) + "\n";
  out += "set grid lc rgb '#dddddd'\n";
  out += "set key below\n";  // never over the curves
  out += "set style fill transparent solid 0.15 noborder\n";

  for (std::size_t p = 0; p < figure.panels.size(); ++p) {
    const CurvePanel& panel = figure.panels[p];
    if (multiplot) {
      out += "set title " + gnuplot_quote(panel.title) + "\n";
    } else {
      const std::string title = panel.title.empty() ? figure.title
                                : figure.title.empty() ? panel.title
                                                       : figure.title + ": " + panel.title;
      out += "set title " + detail::title_expression(title, figure.note) + " font " + title_font + "\n";
    }
    std::vector<std::string> bands;
    std::vector<std::string> lines;
    bool any_train = false;
    bool any_val = false;
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
      any_train = any_train || !series.train.x.empty();
      any_val = any_val || !series.val.x.empty();
    }
    // Legend entries for the line styles (NaN draws nothing but shows in the key).
    if (any_val && any_train) {
      lines.push_back("NaN with lines lc rgb '#555555' lw 2.5 dt 1 title 'val (solid)'");
      lines.push_back("NaN with lines lc rgb '#555555' lw 1.5 dt 2 title 'train (dashed)'");
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
