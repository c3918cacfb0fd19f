// Grouped bars (e.g. with vs. without shortcut per model), with error bars over seeds.
#include <string>
#include <vector>

#include <fmt/format.h>

#include "plots/gnuplot_script.h"
#include "plots/gnuplot_text.h"
#include "plots/script_common.h"

namespace ablate::plots {

std::string bars_script(const BarsFigure& figure, const RenderOptions& options, const std::string& output_path) {
  validate(figure);
  std::string out = detail::script_preamble("grouped bars", options, output_path);
  const std::size_t groups = figure.categories.size();
  const std::size_t series = figure.series.size();
  // Bars of one category share 80% of the unit slot, centred on the category's x.
  const double bar_width = 0.8 / static_cast<double>(series);
  for (std::size_t s = 0; s < series; ++s) {
    std::vector<std::vector<double>> rows;
    for (std::size_t c = 0; c < groups; ++c) {
      const double x = static_cast<double>(c) + (static_cast<double>(s) - (static_cast<double>(series) - 1) / 2) * bar_width;
      const BarSeries& bars = figure.series[s];
      rows.push_back({x, bars.values[c], bars.errors.empty() ? 0.0 : bars.errors[c]});
    }
    out += detail::data_block(fmt::format("b{}", s), "x value error", rows, 2);
  }
  out += "set title " + detail::title_expression(figure.title, figure.note) + " font " +
         gnuplot_quote(fmt::format(",{}", options.font_size + 2)) + "\n";
  out += "set ylabel " + gnuplot_quote(figure.y_label) + "\n";
  out += "set xtics (";
  for (std::size_t c = 0; c < groups; ++c) out += fmt::format("{}{} {}", c == 0 ? "" : ", ", gnuplot_quote(figure.categories[c]), c);
  out += ") scale 0\n";
  out += fmt::format("set xrange [-0.6:{}]\n", gnuplot_number(static_cast<double>(groups) - 0.4));
  out += "set yrange [0:*]\n";
  out += detail::grid_command("ytics");
  out += "set offsets 0, 0, graph 0.15, 0\n";  // headroom for the key and the value labels
  out += "set key top left opaque box\n";
  out += fmt::format("set boxwidth {} absolute\n", gnuplot_number(bar_width * 0.95));
  out += "set style fill solid 0.85 border rgb '#333333'\n";
  out += "plot ";
  for (std::size_t s = 0; s < series; ++s) {
    out += fmt::format("{}$b{} using 1:2 with boxes lc rgb {} title {}", s == 0 ? "" : ", \\\n     ", s,
                       detail::series_colour(s), gnuplot_quote(figure.series[s].name));
  }
  for (std::size_t s = 0; s < series; ++s) {
    if (figure.series[s].errors.empty()) continue;
    // Error bars as capped vectors: gnuplot's yerrorbars insists on drawing a marker at the mean.
    out += fmt::format(", \\\n     $b{} using 1:($3 > 0 ? $2 - $3 : NaN):(0):(2 * $3) with vectors heads "
                       "size screen 0.008,90 lc rgb '#333333' lw 2 notitle", s);
  }
  // The value above each bar (above its error bar), so the figure reads without the y axis.
  for (std::size_t s = 0; s < series; ++s) {
    out += fmt::format(", \\\n     $b{} using 1:($2+$3):(sprintf('%.{}f', $2)) with labels offset 0,0.8 notitle", s,
                       figure.value_decimals);
  }
  out += "\nunset output\n";
  return out;
}

}  // namespace ablate::plots
