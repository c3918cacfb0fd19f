#pragma once
// How the commands that only read results (runs, table, plot, report, run --dry-run) open the database:
// it must exist, and it is opened read-only (never created, migrated or written), so a database in a
// read-only folder or on a read-only mount reads fine.

#include <string>

#include "results/store.h"

namespace ablate::runner {

// Throws std::runtime_error (one line naming `db`) when the file does not exist: "... does not exist: run
// the experiment first (ablate run NAME)" when `experiment` is given. Other problems (empty path, not a
// database, newer schema) are the store's StoreError.
results::Store open_stored_results(const std::string& db, const std::string& experiment = "");

}  // namespace ablate::runner
