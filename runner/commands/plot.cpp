// `ablate plot NAME [--profile P] [--kind curves|complexity|bars] [--metric M] [--x params|macs]
//  [--out DIR] [--format png|svg] [--db PATH]`: draws a figure of the experiment with gnuplot (headless)
// and prints the files written: the image and the gnuplot script beside it.
#include <filesystem>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/config/expand.h"
#include "core/config/experiment.h"
#include "results/store.h"
#include "results/table_builder.h"
#include "runner/commands/commands.h"
#include "runner/commands/experiment_options.h"
#include "results/metric_selection.h"
#include "results/report.h"
#include "runner/stored_results.h"
#ifdef ABLATE_WITH_PLOTS
#include "plots/figure_builder.h"
#include "plots/gnuplot_render.h"
#endif

namespace ablate::runner {

namespace {

struct PlotArgs : ExperimentOptions {
  std::string kind = "curves";
  std::string metric;
  std::string x;
  std::string out = "figures";
  std::string format = "png";
  std::string epoch = "final";
  bool allow_test_selection = false;
  std::string db = results::kDefaultDatabasePath;
  int width = 0;
  int height = 0;
};

int run_plot(const PlotArgs& args) {
#ifdef ABLATE_WITH_PLOTS
  const config::Experiment experiment = config::load_experiment(config::find_experiment(args.name, args.dir));
  const std::vector<config::RunSpec> runs = config::expand(experiment, args.profile, args.sets);
  plots::FigureRequest request;
  request.metric = args.metric;
  request.x = args.x;
  request.epoch = args.epoch == "best" ? results::EpochPick::Best : results::EpochPick::Final;
  results::check_epoch_pick(runs, request.epoch, args.allow_test_selection);
  const results::Store store = open_stored_results(args.db, args.name);

  const std::string title = results::table_title(experiment, args.profile);
  plots::Figure figure;
  if (args.kind == "curves") {
    figure = plots::curves_figure(experiment, runs, store, request, title + ": training curves");
  } else if (args.kind == "complexity") {
    figure = plots::complexity_figure(experiment, runs, store, request, title + ": error vs. complexity");
  } else {
    figure = plots::bars_figure(experiment, runs, store, request, title);
  }
  plots::RenderOptions options = plots::suggested_options(figure);
  options.format = plots::parse_image_format(args.format);
  if (args.width > 0) options.width = args.width;
  if (args.height > 0) options.height = args.height;
  const std::filesystem::path image =
      std::filesystem::path(args.out) /
      (results::output_stem(experiment.name, args.profile) + "-" + args.kind + "." + plots::to_string(options.format));
  const plots::RenderedFigure written = plots::render_figure(figure, options, image.string());
  std::cout << written.image_path << "\n" << written.script_path << "\n";
  return 0;
#else
  (void)args;
  throw std::runtime_error("this ablate was built without plots (cmake -DABLATE_WITH_PLOTS=OFF)");
#endif
}

}  // namespace

void add_plot_command(CLI::App& app, int& status) {
  auto args = std::make_shared<PlotArgs>();
  CLI::App* cmd = app.add_subcommand(
      "plot", "Draw an experiment's figure with gnuplot: training curves (Fig. 5), error vs. complexity (Fig. 7), bars");
  add_experiment_options(cmd, *args, kTrainedOverridesHelp);
  cmd->add_option("--kind", args->kind, "Figure")->check(CLI::IsMember({"curves", "complexity", "bars"}))
      ->capture_default_str();
  cmd->add_option("--metric", args->metric, "Metric, e.g. top1_err, top5_err (default: the experiment's plot hint)");
  cmd->add_option("--x", args->x, "Complexity axis (default: the experiment's plot hint)")
      ->check(CLI::IsMember({"params", "macs"}));
  cmd->add_option("--epoch", args->epoch, "Which epoch of each run")->check(CLI::IsMember({"final", "best"}));
  cmd->add_flag("--allow-test-selection", args->allow_test_selection,
                "Allow --epoch best on runs evaluated on the test split (data.val_size = 0)");
  cmd->add_option("--out", args->out, "Folder for the image and its gnuplot script")->capture_default_str();
  cmd->add_option("--format", args->format, "Image format")->check(CLI::IsMember({"png", "svg"}))->capture_default_str();
  cmd->add_option("--width", args->width, "Image width in pixels")->check(CLI::Range(200, 10000));
  cmd->add_option("--height", args->height, "Image height in pixels")->check(CLI::Range(150, 10000));
  cmd->add_option("--db", args->db, "Results database")->capture_default_str();
  cmd->callback([args, &status] { status = run_plot(*args); });
}

}  // namespace ablate::runner
