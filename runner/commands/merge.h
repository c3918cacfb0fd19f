#pragma once
// `ablate merge` as a function, for the commands that merge shards themselves (`ablate slurm collect`).

#include <string>
#include <vector>

namespace ablate::runner {

// Merges `inputs` into `output` (results/merge.h) and prints one line of what changed. Returns 0; throws
// StoreError naming the database at fault.
int run_merge(const std::string& output, const std::vector<std::string>& inputs);

}  // namespace ablate::runner
