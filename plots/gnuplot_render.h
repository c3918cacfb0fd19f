#pragma once
// Rendering scripts with the real gnuplot, headless: through gnuplot-iostream's pipe to
// `gnuplot -d` (no init files, so a user's ~/.gnuplot cannot change or break a figure).

#include <string>

#include "plots/figure.h"

namespace ablate::plots {

struct GnuplotOptions {
  std::string executable = "gnuplot";  // looked up on PATH unless it contains a '/'
};

// Feeds `script` to gnuplot, run in `working_directory` (empty = the current one), and waits for it to
// exit. Throws std::runtime_error with gnuplot's own message (e.g. `line 12: undefined variable`) when
// gnuplot is missing or stops on an error before the end of the script.
void run_gnuplot(const std::string& script, const std::string& working_directory = "",
                 const GnuplotOptions& gnuplot = {});

// The written script and image of one figure.
struct RenderedFigure {
  std::string image_path;
  std::string script_path;  // image path with ".gp": rerun or tweak it by hand
};

// Writes the figure's script next to `image_path` (creating its folder) and renders it there. The
// script names the image by file name only and renders from its own folder, so the pair can be
// moved together and rerun with `gnuplot NAME.gp`. A PNG is checked afterwards
// (valid, of the requested size, not one flat colour); throws std::runtime_error otherwise, and
// std::invalid_argument for an invalid figure.
RenderedFigure render_figure(const Figure& figure, const RenderOptions& options, const std::string& image_path,
                             const GnuplotOptions& gnuplot = {});

}  // namespace ablate::plots
