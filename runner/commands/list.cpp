// `ablate list [--dir D]`: the experiments a user can run, one row per YAML file: name, title, variant count
// and profiles. A broken file does not hide the others: it is reported on stderr and the exit status is 2.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "core/config/experiment.h"
#include "runner/commands/commands.h"

namespace ablate::runner {

namespace {

struct ListArgs {
  std::string dir;
};

struct Row {
  std::string name, title, variants, profiles;
};

int run_list(const ListArgs& args) {
  const std::string dir = config::experiments_dir(args.dir);
  const std::vector<std::string> files = config::list_experiment_files(dir);
  if (files.empty()) {
    fmt::print(stderr, "ablate: no experiment files (*.yaml) in {}\n", dir);
    return 1;
  }
  std::vector<Row> rows;
  std::vector<std::string> errors;
  for (const auto& file : files) {
    try {
      const config::Experiment e = config::load_experiment(file);
      std::string profiles;
      for (const auto& p : e.profile_names()) profiles += (profiles.empty() ? "" : ", ") + p;
      rows.push_back({e.name, e.title, std::to_string(e.variants.size()), profiles.empty() ? "-" : profiles});
    } catch (const config::ConfigError& err) {
      errors.push_back(err.what());
    }
  }
  Row header{"NAME", "TITLE", "VARIANTS", "PROFILES"};
  size_t name_width = header.name.size(), title_width = header.title.size();
  for (const auto& r : rows) {
    name_width = std::max(name_width, r.name.size());
    title_width = std::max(title_width, r.title.size());
  }
  const auto print_row = [&](const Row& r) {
    fmt::print("{:<{}}  {:<{}}  {:>8}  {}\n", r.name, name_width, r.title, title_width, r.variants, r.profiles);
  };
  if (!rows.empty()) print_row(header);
  for (const auto& r : rows) print_row(r);
  for (const auto& e : errors) fmt::print(stderr, "ablate: error: {}\n", e);
  return errors.empty() ? 0 : 2;
}

}  // namespace

void add_list_command(CLI::App& app, int& status) {
  auto args = std::make_shared<ListArgs>();
  CLI::App* cmd = app.add_subcommand("list", "List the experiments (name, title, variants, profiles)");
  cmd->add_option("--dir", args->dir,
                  "Experiments directory (default: $ABLATE_EXPERIMENTS, else ./experiments, else the source tree's)");
  cmd->callback([args, &status] { status = run_list(*args); });
}

}  // namespace ablate::runner
