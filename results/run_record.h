#pragma once
// The store row of a run, from the run's resolved spec: the one place that says which RunSpec field fills
// which RunRecord column (the runner claims runs with it; the table tests fill stores with it).

#include "core/config/run_spec.h"
#include "results/store.h"

namespace ablate::results {

// Keys, names, seed, resolved config, paper values, labels, planned epochs, the analytic params/MACs and
// the evaluation split.
// Provenance (commit, host, device) is the caller's: only the process that trains knows it.
RunRecord run_record(const config::RunSpec& spec);

}  // namespace ablate::results
