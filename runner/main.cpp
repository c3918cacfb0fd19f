// ablate: rerun the ResNeXt paper's ablations and new ones from declarative YAML.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "core/config/config_error.h"
#include "core/train/device.h"
#include "results/provenance.h"
#include "runner/build_info.h"
#include "runner/commands/commands.h"
#include "runner/version.h"

int main(int argc, char** argv) {
  // Before anything can touch CUDA: settings its libraries read once per process.
  ablate::train::configure_process();
  CLI::App app{
      "ablate: reproduce the ablations of the ResNeXt paper (cardinality vs. depth vs. width at preserved\n"
      "complexity) from declarative YAML experiments; results in SQLite, paper-style tables and plots."};
  app.require_subcommand(1);
  const ablate::results::GitState built_from = ablate::runner::build_git_state();
  std::string version = std::string("ablate ") + ablate::runner::kVersion;
  if (!built_from.commit.empty()) {
    version += " (git " + ablate::results::short_commit(built_from.commit, built_from.dirty) + ")";
  }
  app.set_version_flag("--version", version);

  int status = 0;
  ablate::runner::add_inspect_command(app, status);
  ablate::runner::add_solve_command(app, status);
  ablate::runner::add_run_command(app, status, std::vector<std::string>(argv, argv + argc));
  ablate::runner::add_eval_command(app, status, std::vector<std::string>(argv, argv + argc));
  ablate::runner::add_export_command(app, status);
  ablate::runner::add_list_command(app, status);
  ablate::runner::add_show_command(app, status);
  ablate::runner::add_data_command(app, status);
  ablate::runner::add_runs_command(app, status);
  ablate::runner::add_merge_command(app, status);
  ablate::runner::add_slurm_command(app, status);
  ablate::runner::add_table_command(app, status);
  ablate::runner::add_plot_command(app, status);
  ablate::runner::add_report_command(app, status);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0 through here; usage errors get CLI11's message and status 2.
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  } catch (const ablate::config::ConfigError& e) {
    // Every problem of a YAML file at once, one located line each.
    for (const std::string& message : e.messages()) std::fprintf(stderr, "ablate: error: %s\n", message.c_str());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ablate: error: %s\n", e.what());
    return 2;
  }
  return status;
}
