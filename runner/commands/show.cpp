// `ablate show NAME [--profile P] [--set k=v]... [--format text|json] [--db PATH]`: the runs an experiment
// expands to, before anything is trained: one row per run with its equivalent preset, exact params and
// GMACs and run key; widths and depths solved by `match` are spelled out under the table, and, when the
// results database exists, which runs `ablate run` would adopt from identical training already stored
// (runner/run_reuse.h). JSON gives every resolved config.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/config/expand.h"
#include "core/config/experiment.h"
#include "core/config/run_spec_json.h"
#include "core/models/complexity.h"
#include "core/models/presets.h"
#include "runner/commands/commands.h"
#include "results/store.h"
#include "runner/commands/experiment_options.h"
#include "runner/number_format.h"
#include "runner/run_reuse.h"
#include "runner/stored_results.h"

namespace ablate::runner {

namespace {

struct ShowArgs : ExperimentOptions {
  std::string format = "text";
  std::string db = results::kDefaultDatabasePath;
};

// What `ablate run` would reuse, one line per run that has a twin, and the tally; nothing without a
// database.
void print_reuse(const std::string& db, const std::vector<config::RunSpec>& runs) {
  std::error_code error;
  if (!std::filesystem::exists(db, error)) return;
  const results::Store store = open_stored_results(db);
  int64_t adopt = 0, resume = 0, finished = 0;
  for (const auto& run : runs) {
    const auto own = store.find_run(run.run_key);
    if (own && own->status == results::RunStatus::Finished) {
      ++finished;
      if (!own->adopted_from.empty()) {
        fmt::print("adopted: {} seed {}: from run {}\n", run.variant, run.seed, own->adopted_from);
      }
      continue;
    }
    const ReusePlan plan = plan_reuse(store, run);
    if (plan.kind == ReusePlan::Kind::none) continue;
    (plan.kind == ReusePlan::Kind::adopt ? adopt : resume) += 1;
    fmt::print("reuse: {} seed {}: {}\n", run.variant, run.seed, describe_plan(plan));
  }
  fmt::print("in {}: {} finished, {} would be adopted, {} would resume a twin, {} would train\n", db, finished, adopt,
             resume, static_cast<int64_t>(runs.size()) - finished - adopt - resume);
}

void print_text(const config::Experiment& e, const std::string& path, const std::string& profile,
                const std::vector<config::RunSpec>& runs) {
  fmt::print("{}: {}\n", e.name, e.title);
  fmt::print("file {}{}; {} run{}\n", path, profile.empty() ? "" : fmt::format(", profile {}", profile), runs.size(),
             runs.size() == 1 ? "" : "s");
  struct Row {
    std::string variant, seed, setting, preset, params, gmacs, key;
  };
  std::vector<Row> rows = {{"VARIANT", "SEED", "SETTING", "PRESET", "PARAMS", "GMACS", "RUN KEY"}};
  for (const auto& run : runs) {
    const models::Complexity c = models::analyze(run.model.options, run.model.image_size);
    rows.push_back({run.variant, std::to_string(run.seed), models::setting_of(run.model.options), run.model.preset,
                    group_thousands(c.params), gmacs(c.macs), run.run_key});
  }
  size_t w[6] = {};
  for (const auto& r : rows) {
    const std::string* cells[6] = {&r.variant, &r.seed, &r.setting, &r.preset, &r.params, &r.gmacs};
    for (int i = 0; i < 6; ++i) w[i] = std::max(w[i], cells[i]->size());
  }
  for (const auto& r : rows) {
    fmt::print("{:<{}}  {:>{}}  {:<{}}  {:<{}}  {:>{}}  {:>{}}  {}\n", r.variant, w[0], r.seed, w[1], r.setting, w[2],
               r.preset, w[3], r.params, w[4], r.gmacs, w[5], r.key);
  }
  // One line per matched variant (not per seed): the width the solver chose and how close it came.
  std::vector<std::string> explained;
  for (const auto& run : runs) {
    if (run.model.matched_reference.empty() ||
        std::find(explained.begin(), explained.end(), run.variant) != explained.end()) {
      continue;
    }
    explained.push_back(run.variant);
    if (run.model.matched_solve == "depth") {
      fmt::print("matched: {}: depth {}, blocks {} ({}) matches \"{}\" by {}, {:+.2f}%\n", run.variant,
                 models::depth_of(run.model.options), blocks_text(run.model.options.blocks()),
                 models::setting_of(run.model.options), run.model.matched_reference, run.model.matched_by,
                 100.0 * run.model.match_relative_difference);
      continue;
    }
    fmt::print("matched: {}: d = {} ({}) matches \"{}\" by {} ({} scope), {:+.2f}%\n", run.variant,
               run.model.options.bottleneck_width(), models::setting_of(run.model.options),
               run.model.matched_reference, run.model.matched_by, run.model.matched_scope,
               100.0 * run.model.match_relative_difference);
  }
}

void print_json(const config::Experiment& e, const std::string& path, const std::string& profile,
                const std::vector<config::RunSpec>& runs) {
  nlohmann::json out;
  out["experiment"] = e.name;
  out["title"] = e.title;
  out["file"] = path;
  out["profile"] = profile;
  out["runs"] = nlohmann::json::array();
  for (const auto& run : runs) {
    nlohmann::json j = config::to_json(run);
    const models::Complexity c = models::analyze(run.model.options, run.model.image_size);
    j["complexity"] = {{"params", c.params}, {"macs", c.macs}};
    out["runs"].push_back(j);
  }
  std::cout << out.dump(2) << "\n";
}

int run_show(const ShowArgs& args) {
  const std::string path = config::find_experiment(args.name, args.dir);
  const config::Experiment e = config::load_experiment(path);
  const std::vector<config::RunSpec> runs = config::expand(e, args.profile, args.sets);
  if (args.format == "json") {
    print_json(e, path, args.profile, runs);
  } else {
    print_text(e, path, args.profile, runs);
    print_reuse(args.db, runs);
  }
  return 0;
}

}  // namespace

void add_show_command(CLI::App& app, int& status) {
  auto args = std::make_shared<ShowArgs>();
  CLI::App* cmd = app.add_subcommand(
      "show", "Show the runs an experiment expands to: preset, params, GMACs, run key (nothing is trained)");
  add_experiment_options(cmd, *args, "Override a setting, e.g. --set train.epochs=2 (repeatable)");
  cmd->add_option("--format", args->format, "Output format")->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--db", args->db, "Results database: say which runs would be adopted (when it exists)")
      ->capture_default_str();
  cmd->callback([args, &status] { status = run_show(*args); });
}

}  // namespace ablate::runner
