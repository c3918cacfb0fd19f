#pragma once
// `ablate report` as a function, for the commands that end in a report (`ablate slurm collect`).

#include <string>

#include "results/store.h"
#include "runner/commands/experiment_options.h"

namespace ablate::runner {

struct ReportArgs : ExperimentOptions {
  std::string db = results::kDefaultDatabasePath;
  std::string out = "reports";
  std::string compare = "welch";  // the test of comparisons and claims: welch | paired
};

// Writes OUT/NAME[-PROFILE]/README.md (tables, findings, figures, provenance) from the runs stored in `db` and
// prints its path. Throws for a bad experiment or a missing database (see report.cpp).
int run_report(const ReportArgs& args);

}  // namespace ablate::runner
