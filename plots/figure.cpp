#include <algorithm>
#include <cstddef>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "plots/figure.h"

namespace ablate::plots {

const char* to_string(ImageFormat format) { return format == ImageFormat::png ? "png" : "svg"; }

ImageFormat parse_image_format(const std::string& name) {
  if (name == "png") return ImageFormat::png;
  if (name == "svg") return ImageFormat::svg;
  throw std::invalid_argument("unknown image format '" + name + "' (expected png or svg)");
}

namespace {

[[noreturn]] void fail(const std::string& message) { throw std::invalid_argument(message); }

void check_curve(const Curve& curve, const std::string& series, const char* which) {
  if (curve.y.size() != curve.x.size()) {
    fail(fmt::format("curve '{}' ({}): {} x values but {} y values", series, which, curve.x.size(), curve.y.size()));
  }
  const bool band = !curve.low.empty() || !curve.high.empty();
  if (band && (curve.low.size() != curve.x.size() || curve.high.size() != curve.x.size())) {
    fail(fmt::format("curve '{}' ({}): band has {} low and {} high values for {} points", series, which,
                     curve.low.size(), curve.high.size(), curve.x.size()));
  }
}

struct Validator {
  void operator()(const CurvesFigure& figure) const {
    std::size_t curves = 0;
    for (const CurvePanel& panel : figure.panels) {
      for (const CurveSeries& series : panel.series) {
        check_curve(series.train, series.name, "train");
        check_curve(series.val, series.name, "val");
        curves += !series.train.x.empty() + !series.val.x.empty();
      }
    }
    if (curves == 0) fail(fmt::format("curves figure '{}' has no data to draw", figure.title));
  }
  void operator()(const ComplexityFigure& figure) const {
    std::size_t points = 0;
    for (const ComplexitySeries& series : figure.series) points += series.points.size();
    if (points == 0) fail(fmt::format("complexity figure '{}' has no points to draw", figure.title));
    if (figure.log_x) {
      for (const ComplexitySeries& series : figure.series) {
        for (const ComplexityPoint& point : series.points) {
          if (!(point.x > 0)) fail(fmt::format("series '{}': x = {} cannot go on a log axis", series.name, point.x));
        }
      }
    }
  }
  void operator()(const BarsFigure& figure) const {
    if (figure.categories.empty() || figure.series.empty()) {
      fail(fmt::format("bars figure '{}' needs at least one category and one series", figure.title));
    }
    for (const BarSeries& series : figure.series) {
      if (series.values.size() != figure.categories.size()) {
        fail(fmt::format("bar series '{}': {} values for {} categories", series.name, series.values.size(),
                         figure.categories.size()));
      }
      if (!series.errors.empty() && series.errors.size() != series.values.size()) {
        fail(fmt::format("bar series '{}': {} errors for {} values", series.name, series.errors.size(),
                         series.values.size()));
      }
    }
  }
};

}  // namespace

void validate(const Figure& figure) { std::visit(Validator{}, figure); }

PanelGrid panel_grid(std::size_t panels) {
  PanelGrid grid;
  grid.columns = std::max<std::size_t>(1, std::min<std::size_t>(panels, 3));
  grid.rows = std::max<std::size_t>(1, (panels + grid.columns - 1) / grid.columns);
  return grid;
}

RenderOptions suggested_options(const Figure& figure) {
  RenderOptions options;
  if (const auto* curves = std::get_if<CurvesFigure>(&figure)) {
    const PanelGrid grid = panel_grid(curves->panels.size());
    options.width = std::max(options.width, 480 * static_cast<int>(grid.columns));
    if (grid.rows > 1) options.height = 160 + 420 * static_cast<int>(grid.rows);
  }
  return options;
}

}  // namespace ablate::plots
