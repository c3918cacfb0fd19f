// Paper Fig. 7: error against params or GMACs, one line per family (cardinality vs. width), error
// bars over seeds, every point labelled with its setting.
#include <cmath>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <fmt/format.h>

#include "plots/gnuplot_script.h"
#include "plots/gnuplot_text.h"
#include "plots/script_common.h"

namespace ablate::plots {

std::string complexity_script(const ComplexityFigure& figure, const RenderOptions& options,
                              const std::string& output_path) {
  validate(figure);
  std::string out = detail::script_preamble("error vs. complexity (paper Fig. 7)", options, output_path);
  for (std::size_t s = 0; s < figure.series.size(); ++s) {
    std::vector<std::vector<double>> rows;
    for (const ComplexityPoint& point : figure.series[s].points) rows.push_back({point.x, point.y, point.error});
    out += detail::data_block(fmt::format("f{}", s), "x mean error", rows, 2);
  }
  out += "set title " + detail::title_expression(figure.title, figure.note) + " font " +
         gnuplot_quote(fmt::format(",{}", options.font_size + 2)) + "\n";
  out += "set xlabel " + gnuplot_quote(figure.x_label) + "\n";
  out += "set ylabel " + gnuplot_quote(figure.y_label) + "\n";
  if (figure.log_x) out += "set logscale x\n";
  if (figure.nonnegative_y) out += "set yrange [0<*:*]\n";
  out += "set grid lc rgb '#dddddd'\n";
  out += "set key top right opaque box\n";
  // Room around the outermost points so their labels and bars stay inside the frame.
  out += "set offsets graph 0.06, graph 0.12, graph 0.1, graph 0.06\n";

  // Families often share their first point (e.g. 1x64d): label each place once.
  std::set<std::tuple<double, double, std::string>> labelled;
  int label_id = 1;
  const std::string label_font = gnuplot_quote(fmt::format(",{}", options.font_size - 2));
  for (std::size_t s = 0; s < figure.series.size(); ++s) {
    for (const ComplexityPoint& point : figure.series[s].points) {
      if (point.label.empty() || !std::isfinite(point.x) || !std::isfinite(point.y)) continue;
      if (!labelled.insert({point.x, point.y, point.label}).second) continue;
      out += fmt::format("set label {} {} at first {}, first {} offset character 0.8, character 0.7 font {} textcolor rgb {}\n",
                         label_id++, gnuplot_quote(point.label), gnuplot_number(point.x), gnuplot_number(point.y),
                         label_font, detail::series_colour(s));
    }
  }
  out += "plot ";
  for (std::size_t s = 0; s < figure.series.size(); ++s) {
    out += fmt::format("{}$f{} using 1:2:3 with yerrorlines lc rgb {} lw 2 pt 7 ps 1.2 title {}", s == 0 ? "" : ", \\\n     ",
                       s, detail::series_colour(s), gnuplot_quote(figure.series[s].name));
  }
  out += "\nunset output\n";
  return out;
}

}  // namespace ablate::plots
