#pragma once
// Every subcommand lives in runner/commands/<name>.cpp and adds itself to the app here.
// A command's callback stores its exit status in `status`. Errors are exceptions: main catches them once,
// prints one line (several for a config file with several errors) and exits with status 2.

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace ablate::runner {

void add_inspect_command(CLI::App& app, int& status);
void add_solve_command(CLI::App& app, int& status);
// `arguments`: the whole invocation, recorded with every run for provenance.
void add_run_command(CLI::App& app, int& status, const std::vector<std::string>& arguments);
// `ablate eval`: given weights evaluated and stored as an evaluation-only run; `arguments` as for run.
void add_eval_command(CLI::App& app, int& status, const std::vector<std::string>& arguments);
void add_export_command(CLI::App& app, int& status);
void add_list_command(CLI::App& app, int& status);
void add_show_command(CLI::App& app, int& status);
void add_data_command(CLI::App& app, int& status);

void add_runs_command(CLI::App& app, int& status);
void add_merge_command(CLI::App& app, int& status);
void add_slurm_command(CLI::App& app, int& status);

void add_table_command(CLI::App& app, int& status);
void add_plot_command(CLI::App& app, int& status);
void add_report_command(CLI::App& app, int& status);

}  // namespace ablate::runner
