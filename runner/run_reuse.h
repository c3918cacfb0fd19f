#pragma once
// Reuse of identical training across experiments (`ablate run`, on unless --no-reuse): a planned run whose
// training key (config::RunSpec::training_key) equals a stored run's of another experiment or variant
// trains the same network on the same data with the same settings and seed, so
//   - a finished twin is adopted: the run is stored finished with the twin's metrics, adopted_from naming
//     it (results::Store::adopt), and nothing trains;
//   - else an interrupted twin (killed, or running with a stale heartbeat) with more stored epochs than the
//     run's own row is resumed from its checkpoints under its own key, then adopted.
// Torch-free: the sweep (training), its dry run and `ablate show` (what would be adopted) share it.

#include <optional>
#include <string>

#include "core/config/run_spec.h"
#include "results/store.h"

namespace ablate::runner {

struct ReusePlan {
  enum class Kind { none, adopt, resume_twin };
  Kind kind = Kind::none;
  results::RunInfo twin;  // adopt: the finished run; resume_twin: the interrupted one
};

// What reuse offers `spec` in `store`: none when its own run is finished, when it has no training key, or
// when no twin qualifies. A finished twin that trained itself is preferred to one that adopted.
ReusePlan plan_reuse(const results::Store& store, const config::RunSpec& spec);

// `spec` as the twin's run: its experiment, profile, variant, paper values and labels, keys recomputed.
// nullopt when that does not give the twin's run key (its stored names are not what it was hashed with).
std::optional<config::RunSpec> as_twin(const config::RunSpec& spec, const results::RunInfo& twin);

// "EXPERIMENT / VARIANT seed S (run KEY)", naming a twin for people.
std::string describe_twin(const results::RunInfo& twin);

// For plans and `show`: "would adopt EXPERIMENT / VARIANT seed S (run KEY)", "would resume ... (N epochs
// stored) and adopt it", or "" for none.
std::string describe_plan(const ReusePlan& plan);

}  // namespace ablate::runner
