#pragma once
// Which runs an `ablate run` invocation owns: the experiment expanded (profile, --set, --seeds,
// --device), narrowed by --only, then cut by --shard. Torch-free, so `--dry-run` plans cost nothing.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/config/experiment.h"
#include "core/config/run_spec.h"

namespace ablate::runner {

struct Shard {
  int64_t index = 0;  // 0-based
  int64_t count = 1;
};

// "i/n" with 0 <= i < n. Throws std::invalid_argument naming --shard and the value otherwise.
Shard parse_shard(const std::string& text);

struct RunSelection {
  std::vector<std::string> set_overrides;  // path=value, as --set
  std::vector<std::string> only;           // variant names; empty = all
  std::vector<int64_t> seeds;              // replaces the seeds; empty = the experiment's/profile's
  std::string device;                      // replaces train.device; empty = as configured
  Shard shard;
};

// The --set overrides that `selection` amounts to: its own, then seeds=[...] for its seeds and
// train.device for its device. Commands that read stored runs pass these to find the same runs.
std::vector<std::string> selection_overrides(const RunSelection& selection);

// Data-parallel: checks, before anything starts, that every run's train.batch_size splits evenly over
// `processes` (data::per_replica_batch), naming the variant of the first one that does not.
void check_batches_split(const std::vector<config::RunSpec>& runs, int64_t processes);

// Runs in expansion order (variant by variant, seeds within). Shards take every n-th run of that order
// starting at i, so the n shards are disjoint, cover every run and stay balanced across variants.
// Throws config::ConfigError for bad YAML/overrides and std::invalid_argument for an unknown --only name.
std::vector<config::RunSpec> select_runs(const config::Experiment& experiment, const std::string& profile,
                                         const RunSelection& selection);

// The one run of `variant` for commands about a single run (`ablate export`, `ablate eval`): expanded with
// `profile` and `set_overrides`, with `seed` when given (as --seeds would), else the variant's first planned
// seed. Throws std::invalid_argument naming --variant and the experiment's variants for an unknown name.
config::RunSpec select_one_run(const config::Experiment& experiment, const std::string& profile,
                               const std::vector<std::string>& set_overrides, const std::string& variant,
                               std::optional<int64_t> seed);

}  // namespace ablate::runner
