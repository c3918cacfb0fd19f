// `ablate report NAME [--profile P] [--compare welch|paired] [--db PATH] [--out DIR]`: writes
// DIR/NAME[-PROFILE]/README.md with the experiment's tables (Markdown, with the comparison columns), the
// Findings on its claims, its figures (PNG, embedded by relative path, each with its gnuplot script) and
// a provenance summary, then prints the README's path. A figure without data yet is listed as not drawn
// instead of failing the report.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/config/expand.h"
#include "core/config/experiment.h"
#include "results/findings_render.h"
#include "results/provenance.h"
#include "results/report.h"
#include "results/store.h"
#include "results/table_builder.h"
#include "results/table_render.h"
#include "runner/commands/commands.h"
#include "runner/commands/report.h"
#include "runner/stored_results.h"
#ifdef ABLATE_WITH_PLOTS
#include "plots/figure_builder.h"
#include "plots/gnuplot_render.h"
#endif

namespace ablate::runner {

namespace {

namespace fs = std::filesystem;

void draw_figures(const config::Experiment& experiment, const std::vector<config::RunSpec>& runs,
                  const results::Store& store, const std::string& title, const fs::path& folder,
                  results::ReportContent& content) {
#ifdef ABLATE_WITH_PLOTS
  struct Wanted {
    const char* file;
    std::string caption;
  };
  std::vector<Wanted> wanted = {{"curves.png", "Training curves (paper Fig. 5 style)"},
                                {"complexity.png", "Error vs. complexity (paper Fig. 7 style)"}};
  if (plots::compares_shortcuts(runs)) wanted.push_back({"bars.png", "With vs. without shortcut"});
  for (const Wanted& w : wanted) {
    try {
      const std::string kind = fs::path(w.file).stem().string();
      const plots::FigureRequest request;
      plots::Figure figure;
      if (kind == "curves") {
        figure = plots::curves_figure(experiment, runs, store, request, title + ": training curves");
      } else if (kind == "complexity") {
        figure = plots::complexity_figure(experiment, runs, store, request, title + ": error vs. complexity");
      } else {
        figure = plots::bars_figure(experiment, runs, store, request, title);
      }
      plots::render_figure(figure, plots::suggested_options(figure), (folder / w.file).string());
      content.figures.push_back({w.caption, w.file});
    } catch (const std::runtime_error& e) {
      // No data yet, or gnuplot failed: the report still says what is known.
      content.figure_problems.push_back(w.caption + ": " + e.what());
    }
  }
#else
  (void)experiment, (void)runs, (void)store, (void)title, (void)folder;
  content.figure_problems.push_back("this ablate was built without plots (ABLATE_WITH_PLOTS=OFF)");
#endif
}

}  // namespace

int run_report(const ReportArgs& args) {
  const std::string file = config::find_experiment(args.name, args.dir);
  const config::Experiment experiment = config::load_experiment(file);
  const std::vector<config::RunSpec> runs = config::expand(experiment, args.profile, args.sets);
  const results::Store store = open_stored_results(args.db, args.name);

  const fs::path folder = fs::path(args.out) / results::output_stem(experiment.name, args.profile);
  fs::create_directories(folder);
  const std::string title = results::table_title(experiment, args.profile);

  results::ReportContent content;
  content.title = title;
  content.description = experiment.description;
  content.experiment_file = file;
  content.profile = args.profile;
  std::vector<std::string> command = {"ablate", "report", args.name};
  if (!args.profile.empty()) command.insert(command.end(), {"--profile", args.profile});
  if (args.db != results::kDefaultDatabasePath) command.insert(command.end(), {"--db", args.db});
  if (args.out != "reports") command.insert(command.end(), {"--out", args.out});
  if (!args.dir.empty()) command.insert(command.end(), {"--dir", args.dir});
  for (const std::string& set : args.sets) command.insert(command.end(), {"--set", set});
  if (args.compare != "welch") command.insert(command.end(), {"--compare", args.compare});
  content.command = results::shell_quote(command);
  results::ResultsTableOptions options;
  options.compare_columns = true;
  options.test = results::parse_test_kind(args.compare);
  content.tables_markdown.push_back(
      results::render_markdown(results::build_results_table(experiment, args.profile, store, options, args.sets)));
  content.findings_markdown = results::render_findings(
      results::build_findings(experiment, args.profile, store, options, args.sets), results::TableFormat::markdown,
      /*heading=*/false);
  content.tables_markdown.push_back(results::render_markdown(results::architecture_table(title + ": architectures", runs)));
  draw_figures(experiment, runs, store, title, folder, content);
  content.provenance = results::collect_provenance(runs, store);

  const fs::path readme = folder / "README.md";
  std::ofstream out(readme, std::ios::binary);
  out << results::report_markdown(content);
  if (!out) throw std::runtime_error("cannot write " + readme.string());
  std::cout << readme.string() << "\n";
  return 0;
}

void add_report_command(CLI::App& app, int& status) {
  auto args = std::make_shared<ReportArgs>();
  CLI::App* cmd = app.add_subcommand(
      "report", "Write reports/NAME[-PROFILE]/README.md: tables, findings, figures and provenance of an experiment");
  add_experiment_options(cmd, *args, kTrainedOverridesHelp);
  cmd->add_option("--compare", args->compare,
                  "Test of the comparisons and claims; paired: runs paired by seed (valid when every variant ran "
                  "the same seeds on the same data)")
      ->check(CLI::IsMember({"welch", "paired"}))
      ->capture_default_str();
  cmd->add_option("--db", args->db, "Results database")->capture_default_str();
  cmd->add_option("--out", args->out, "Folder that receives NAME[-PROFILE]/")->capture_default_str();
  cmd->callback([args, &status] { status = run_report(*args); });
}

}  // namespace ablate::runner
