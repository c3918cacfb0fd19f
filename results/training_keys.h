#pragma once
// Training keys of runs stored before the store had them (schema version 6): computed from each run's
// stored config (config_json, the RunSpec's JSON), so a database that predates reuse can still lend its
// finished runs to new experiments. Part of the migration: runs inside its transaction.

namespace ablate::results {

class Connection;

// Sets runs.training_key for every run whose training_key is '' and whose config_json reads back
// (config::run_spec_from_json) to a spec with the run's own run key; other runs (hand-made rows, configs
// from another canonical format) keep '' and are never adopted. Returns how many were filled.
int fill_training_keys(Connection& connection);

}  // namespace ablate::results
