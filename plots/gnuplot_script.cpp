#include "plots/gnuplot_script.h"

namespace ablate::plots {
namespace {

struct ScriptWriter {
  const RenderOptions& options;
  const std::string& output_path;
  std::string operator()(const CurvesFigure& f) const { return curves_script(f, options, output_path); }
  std::string operator()(const ComplexityFigure& f) const { return complexity_script(f, options, output_path); }
  std::string operator()(const BarsFigure& f) const { return bars_script(f, options, output_path); }
};

}  // namespace

std::string gnuplot_script(const Figure& figure, const RenderOptions& options, const std::string& output_path) {
  return std::visit(ScriptWriter{options, output_path}, figure);
}

}  // namespace ablate::plots
