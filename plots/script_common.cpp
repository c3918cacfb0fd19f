#include "plots/script_common.h"

#include <cmath>

#include <fmt/format.h>

#include "plots/gnuplot_text.h"

namespace ablate::plots::detail {

std::string series_colour(std::size_t index) {
  static const char* const kPalette[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00",
                                         "#56B4E9", "#000000", "#8C564B", "#7F7F7F", "#BCBD22"};
  constexpr std::size_t kCount = sizeof(kPalette) / sizeof(kPalette[0]);
  return fmt::format("'{}'", kPalette[index % kCount]);
}

std::string script_preamble(const char* kind, const RenderOptions& options, const std::string& output_path) {
  std::string out = fmt::format("# ablate figure: {}. Render again with: gnuplot THIS_FILE\n", kind);
  const std::string font = gnuplot_quote(fmt::format("sans,{}", options.font_size));
  if (options.format == ImageFormat::png) {
    out += fmt::format("set terminal pngcairo size {},{} noenhanced font {} background '#ffffff'\n", options.width,
                       options.height, font);
  } else {
    out += fmt::format("set terminal svg size {},{} noenhanced font {} background '#ffffff'\n", options.width,
                       options.height, font);
  }
  out += "set output " + gnuplot_quote(output_path) + "\n";
  out += "set encoding utf8\n";
  return out;
}

std::string title_expression(const std::string& title, const std::string& note) {
  if (note.empty()) return gnuplot_quote(title);
  return gnuplot_quote(title) + ".\"\\n\"." + gnuplot_quote(note);
}

std::string data_block(const std::string& name, const std::string& columns_comment,
                       const std::vector<std::vector<double>>& rows, std::size_t required) {
  std::string out = "$" + name + " << EOD\n# " + columns_comment + "\n";
  for (const std::vector<double>& row : rows) {
    bool usable = true;
    for (std::size_t i = 0; i < required && i < row.size(); ++i) usable = usable && std::isfinite(row[i]);
    if (!usable) continue;
    for (std::size_t i = 0; i < row.size(); ++i) {
      out += (i == 0 ? "" : " ") + gnuplot_number(std::isfinite(row[i]) ? row[i] : 0.0);
    }
    out += "\n";
  }
  return out + "EOD\n";
}

std::string grid_command(const std::string& axes) {
  return "set grid " + (axes.empty() ? "" : axes + " ") + "back lt 1 lw 1 lc rgb '#e6e6e6'\n";
}

}  // namespace ablate::plots::detail
