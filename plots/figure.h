#pragma once
// Figure specs as plain data, free of the results store and of gnuplot: builders fill them from
// experiments and metrics, gnuplot_script.h turns them into a self-contained gnuplot script.
// Every string here (titles, series names, labels) may come from a user's YAML; the script writer
// escapes all of it, so none can run a command or break the script.

#include <cstddef>
#include <limits>
#include <string>
#include <variant>
#include <vector>

namespace ablate::plots {

enum class ImageFormat { png, svg };

const char* to_string(ImageFormat format);  // "png" | "svg" (also the file extension)
// Throws std::invalid_argument naming the value and the choices.
ImageFormat parse_image_format(const std::string& name);

struct RenderOptions {
  ImageFormat format = ImageFormat::png;  // png: pngcairo; svg: the svg terminal
  int width = 1000;                       // pixels
  int height = 620;
  int font_size = 12;                     // points; titles get +2, point labels -2
};

// One line of paper Fig. 5: a metric against the epoch, the mean over seeds with an optional band.
struct Curve {
  std::vector<double> x;     // epochs
  std::vector<double> y;     // mean over seeds; NaN points are skipped
  std::vector<double> low;   // band (min-max or mean-std over seeds); empty = no band
  std::vector<double> high;
};

// One variant: its validation curve solid, its training curve dashed, both in the variant's colour.
struct CurveSeries {
  std::string name;
  Curve train;  // empty x = not drawn
  Curve val;
};

struct CurvePanel {
  std::string title;  // e.g. "depth 50"; Fig. 5 puts ResNet/ResNeXt-50 left and -101 right
  std::vector<CurveSeries> series;
};

// At most this many variants share a panel: more lines than that cannot be told apart.
inline constexpr std::size_t kMaxSeriesPerPanel = 5;

struct CurvesFigure {
  std::string title;
  std::string x_label = "epoch";
  std::string y_label = "top-1 error (%)";
  std::string note;  // under the title, e.g. "bands: min-max over 3 seeds"
  bool nonnegative_y = true;  // the y axis never autoscales below 0 (errors and losses cannot)
  std::vector<CurvePanel> panels;  // side by side, up to three in a row
};

// Paper Fig. 7: error against model size, one line per family, standard-error bars, labelled points.
struct ComplexityPoint {
  double x = 0;  // params (M) or GMACs
  double y = 0;  // mean error
  double error = std::numeric_limits<double>::quiet_NaN();  // bar half-height; NaN = no bar
  std::string label;  // drawn beside the point, e.g. "8x64d"; empty = none
};

struct ComplexitySeries {
  std::string name;  // legend, e.g. "ResNeXt-29 (cardinality)"
  std::vector<ComplexityPoint> points;
  // Join the points (in order of x) with a line: only for a real series, one that grows along an axis;
  // points that share a budget (paper Table 4's groups) are drawn unjoined.
  bool lines = true;
};

struct ComplexityFigure {
  std::string title;
  std::string x_label = "parameters (M)";
  std::string y_label = "top-1 error (%)";
  std::string note;
  bool log_x = false;
  bool nonnegative_y = true;  // the y axis never autoscales below 0 (errors and losses cannot)
  std::vector<ComplexitySeries> series;
};

// Grouped bars, e.g. with vs. without shortcut for each model.
struct BarSeries {
  std::string name;             // legend, e.g. "without shortcut"
  std::vector<double> values;   // one per category; NaN = no bar (not run yet)
  std::vector<double> errors;   // empty or one per category; NaN = no error bar
};

struct BarsFigure {
  std::string title;
  std::string y_label = "top-1 error (%)";
  std::string note;
  std::vector<std::string> categories;  // x axis groups, e.g. "ResNet-50 1x64d"
  std::vector<BarSeries> series;
  int value_decimals = 2;  // of the value printed above each bar
};

using Figure = std::variant<CurvesFigure, ComplexityFigure, BarsFigure>;

// The image size that lets a figure read: wider and taller for curves with several panels (each panel
// keeps about 480 x 420 pixels), the defaults otherwise.
RenderOptions suggested_options(const Figure& figure);

// Rows and columns of a curves figure's panels: up to three side by side.
struct PanelGrid {
  std::size_t rows = 1;
  std::size_t columns = 1;
};
PanelGrid panel_grid(std::size_t panels);

// Throws std::invalid_argument naming the series and the mismatch (x/y/band lengths, values per
// category, an empty figure), so a builder bug is reported instead of drawn.
void validate(const Figure& figure);

}  // namespace ablate::plots
