#pragma once
// Figure specs -> self-contained gnuplot scripts: terminal, output, labels and the data itself inline
// as `$name << EOD` blocks, so a script renders anywhere with `gnuplot FILE` and nothing is read
// from or written to anywhere but `output_path`. All user text goes through gnuplot_quote().

#include <string>

#include "plots/figure.h"

namespace ablate::plots {

// Each validates the figure first (throws std::invalid_argument).
std::string curves_script(const CurvesFigure& figure, const RenderOptions& options, const std::string& output_path);
std::string complexity_script(const ComplexityFigure& figure, const RenderOptions& options,
                              const std::string& output_path);
std::string bars_script(const BarsFigure& figure, const RenderOptions& options, const std::string& output_path);

std::string gnuplot_script(const Figure& figure, const RenderOptions& options, const std::string& output_path);

}  // namespace ablate::plots
