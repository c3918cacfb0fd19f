// `ablate runs [NAME] [--profile P] [--status S] [--format text|json] [--db PATH]`: one row per stored run
// with its status, epochs done/planned (and any epochs missing from its history; "eval only" for an
// evaluation-only run of `ablate eval`), the metrics of its last epoch, the precision it trained in, where an
// adopted run's results came from ("finished (adopted from KEY)"), and its error (with the log file holding
// the full text), from the results database. A running run whose runner died shows as "running (stale)": the
// next `ablate run` resumes it. A missing database is an error (exit 2), never silently created.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "results/store.h"
#include "runner/commands/commands.h"
#include "runner/stored_results.h"

namespace ablate::runner {

namespace {

struct RunsArgs {
  std::string experiment;
  std::string profile;
  bool profile_given = false;
  std::optional<results::RunStatus> status;
  std::string format = "text";
  std::string db = results::kDefaultDatabasePath;
};

// Terminal columns of UTF-8 text: one per code point (continuation bytes take none).
size_t display_width(const std::string& text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::string metric_cell(const results::EpochMetrics& last, const char* name, int decimals) {
  const auto found = last.values.find(name);
  if (found == last.values.end()) return "-";
  return fmt::format("{:.{}f}", found->second, decimals);
}

std::string one_line(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  std::replace(text.begin(), text.end(), '\r', ' ');
  return text;
}

// "8/8", or "8/8, 1-4 missing" when the history has gaps (a run must never look complete when it is not).
// An evaluation-only run (ablate eval) trained nothing: its one stored epoch is the evaluation.
std::string epochs_cell(results::Store& store, const results::RunInfo& run) {
  if (run.record.evaluation_only) return run.epochs_done > 0 ? "eval only" : "eval only, pending";
  std::string cell = fmt::format("{}/{}", run.epochs_done, run.record.epochs_planned);
  if (run.epochs_stored != run.epochs_done) {
    cell += ", " + results::missing_epochs(store.epochs(run.record.run_key), run.epochs_done) + " missing";
  }
  return cell;
}

// The one-line error, and where its full text is.
std::string error_cell(const results::RunInfo& run) {
  std::string cell = one_line(run.error);
  if (!run.error_log.empty()) cell += " (log: " + run.error_log + ")";
  return cell;
}

// "finished", "running (stale)", or "finished (adopted from 1a2b3c4d5e6f)" for a run whose results came
// from another run with the same training key.
std::string status_cell(const results::RunInfo& run) {
  if (run.stale) return "running (stale)";
  std::string cell = results::to_string(run.status);
  if (!run.adopted_from.empty()) cell += " (adopted from " + run.adopted_from.substr(0, 12) + ")";
  return cell;
}

void print_text(results::Store& store, const std::vector<results::RunInfo>& runs, bool show_experiment) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header = {"RUN", "PROFILE", "VARIANT", "SEED", "STATUS", "EPOCHS",
                                     "VAL_TOP1_ERR", "VAL_TOP5_ERR", "TRAIN_LOSS", "IMG/S", "PRECISION", "ERROR"};
  if (show_experiment) header.insert(header.begin() + 1, "EXPERIMENT");
  rows.push_back(header);
  for (const results::RunInfo& run : runs) {
    const results::EpochMetrics last = store.last_metrics(run.record.run_key);
    std::vector<std::string> row = {
        run.record.run_key.substr(0, 12),
        run.record.profile.empty() ? "-" : run.record.profile,
        run.record.variant,
        std::to_string(run.record.seed),
        status_cell(run),
        epochs_cell(store, run),
        metric_cell(last, "val_top1_err", 2),
        metric_cell(last, "val_top5_err", 2),
        metric_cell(last, "train_loss", 4),
        metric_cell(last, "images_per_sec", 0),
        run.record.provenance.precision.empty() ? "-" : run.record.provenance.precision,
        error_cell(run)};
    if (show_experiment) row.insert(row.begin() + 1, run.record.experiment);
    rows.push_back(std::move(row));
  }
  std::vector<size_t> widths(header.size(), 0);
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], display_width(row[i]));
  }
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      const bool last_column = i + 1 == row.size();
      line += row[i];
      if (!last_column) line += std::string(widths[i] - display_width(row[i]) + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    fmt::print("{}\n", line);
  }
}

nlohmann::json to_json(results::Store& store, const results::RunInfo& run) {
  const results::RunRecord& record = run.record;
  const results::EpochMetrics last = store.last_metrics(record.run_key);
  nlohmann::json metrics = nlohmann::json::object();
  for (const auto& [name, value] : last.values) {
    metrics[name] = std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(fmt::format("{}", value));
  }
  return {{"run_key", record.run_key},
          {"group_key", record.group_key},
          {"training_key", record.training_key},
          {"adopted_from", run.adopted_from},
          {"experiment", record.experiment},
          {"profile", record.profile},
          {"variant", record.variant},
          {"seed", record.seed},
          {"status", results::to_string(run.status)},
          {"stale", run.stale},
          {"epochs_done", run.epochs_done},
          {"epochs_stored", run.epochs_stored},
          {"epochs_missing", results::missing_epochs(store.epochs(record.run_key), run.epochs_done)},
          {"epochs_planned", record.epochs_planned},
          {"eval_split", record.eval_split},
          {"evaluation_only", record.evaluation_only},
          {"last_epoch", last.epoch},
          {"last_metrics", metrics},
          {"error", run.error},
          {"error_log", run.error_log},
          {"created_at", run.created_at},
          {"started_at", run.started_at},
          {"ended_at", run.ended_at},
          {"heartbeat_at", run.heartbeat_at},
          {"claimed_by", run.claimed_by},
          {"params", record.params},
          {"macs", record.macs},
          {"host", record.provenance.host},
          {"git_commit", record.provenance.git_commit},
          {"git_dirty", record.provenance.git_dirty},
          {"tree_commit", record.provenance.tree_commit},
          {"tree_dirty", record.provenance.tree_dirty},
          {"torch_version", record.provenance.torch_version},
          {"device", record.provenance.device},
          {"precision", record.provenance.precision},
          {"command_line", record.provenance.command_line},
          {"dataset_digest", record.provenance.dataset_digest}};
}

int run_runs(const RunsArgs& args) {
  results::Store store = open_stored_results(args.db);
  results::RunQuery query;
  query.experiment = args.experiment;
  if (args.profile_given) query.profile = args.profile;
  query.status = args.status;
  const std::vector<results::RunInfo> runs = store.runs(query);

  if (args.format == "json") {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& run : runs) list.push_back(to_json(store, run));
    // Text from a hand-edited database may not be UTF-8: replace bad bytes rather than fail.
    fmt::print("{}\n", list.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
    return 0;
  }
  if (runs.empty()) {
    fmt::print("no runs{} in {}\n", args.experiment.empty() ? "" : fmt::format(" of '{}'", args.experiment),
               args.db);
    return 0;
  }
  print_text(store, runs, args.experiment.empty());
  return 0;
}

}  // namespace

void add_runs_command(CLI::App& app, int& status) {
  auto args = std::make_shared<RunsArgs>();
  CLI::App* cmd = app.add_subcommand("runs", "List stored runs: status, epochs, last metrics, error");
  cmd->add_option("name", args->experiment, "Experiment name (default: every experiment)");
  cmd->add_option("--profile", args->profile, "Only runs of this profile")
      ->each([args](const std::string&) { args->profile_given = true; });
  // Parsed once, here: an unknown status is the store's one-line error (exit 2).
  cmd->add_option_function<std::string>(
      "--status", [args](const std::string& text) { args->status = results::parse_run_status(text); },
      "Only runs with this status: queued, running, finished, failed or killed");
  cmd->add_option("--format", args->format, "Output format")->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--db", args->db, "Results database")->capture_default_str();
  cmd->callback([args, &status] { status = run_runs(*args); });
}

}  // namespace ablate::runner
