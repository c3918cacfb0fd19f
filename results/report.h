#pragma once
// The Markdown report of an experiment (`ablate report`): its tables, the findings on its claims, its
// figures embedded by relative path, and where the numbers came from (runs, seeds, code, libraries,
// devices, time).

#include <cstdint>
#include <string>
#include <vector>

#include "core/config/run_spec.h"
#include "results/store.h"

namespace ablate::results {

// Where the numbers of a report came from, over the experiment's planned runs found in the store.
struct ReportProvenance {
  int64_t runs_planned = 0;
  int64_t runs_stored = 0;
  int64_t runs_finished = 0;
  int64_t runs_failed = 0;
  int64_t runs_running = 0;
  std::vector<int64_t> seeds;                // planned seeds, sorted
  // Distinct describe_code(): the build's 12-character commit, "+dirty" when modified, and the source
  // tree's when it differed from the build.
  std::vector<std::string> git_commits;
  std::vector<std::string> torch_versions;   // distinct
  std::vector<std::string> devices;          // distinct
  std::vector<std::string> hosts;            // distinct
  double train_seconds = 0;                  // sum of every stored epoch's epoch_seconds
  std::string first_started;                 // earliest started_at (UTC ISO 8601); "" when none
  std::string last_ended;                    // latest ended_at; "" when none
};

ReportProvenance collect_provenance(const std::vector<config::RunSpec>& runs, const Store& store);

struct ReportFigure {
  std::string caption;
  std::string path;  // relative to the report's folder
};

struct ReportContent {
  std::string title;
  std::string description;
  std::string experiment_file;
  std::string profile;                        // "" = base settings
  std::vector<std::string> tables_markdown;   // rendered with render_markdown
  std::string findings_markdown;              // render_findings without its heading; "" = no claims
  std::vector<ReportFigure> figures;
  std::vector<std::string> figure_problems;   // figures that could not be drawn, and why
  ReportProvenance provenance;
  std::string command;                        // how to regenerate the report
};

// File-name-safe stem of an experiment's outputs: "cardinality", "cardinality-cpu" (anything but
// [A-Za-z0-9._-] becomes '_'; never empty or starting with '.').
std::string output_stem(const std::string& experiment, const std::string& profile);

// "1 h 02 min", "3 min 05 s", "42 s".
std::string format_duration(double seconds);

// README.md text. User text (title, description, captions) is escaped for Markdown.
std::string report_markdown(const ReportContent& content);

}  // namespace ablate::results
