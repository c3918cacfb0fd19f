#pragma once
// Merging results databases: shards run on other machines (a cluster array, one GPU box each) come back
// as separate files; `ablate merge OUT.db IN.db...` folds them into one.
//
// Rules, per run key:
//   - a run only in an input is copied with its full metric history;
//   - a run in both keeps the more complete copy: finished beats any other status, then more epochs
//     wins; on a tie the output's copy stays (merging is idempotent: merging the same input twice
//     changes nothing the second time);
//   - experiments are united; an output experiment with an empty title takes the input's.
// Inputs are only read. An input with an older schema is upgraded in a temporary copy; a newer, foreign
// or corrupt one is refused before anything is written. The inputs are merged into a temporary store
// first, and their union goes into the output in one transaction at the end, so an input that fails
// half-way (say, a hand-edited one that breaks a foreign key) leaves the output as it was (and does not
// create it). Both must pass PRAGMA integrity_check and foreign_key_check (StoreError otherwise).

#include <cstdint>
#include <string>
#include <vector>

namespace ablate::results {

struct MergeReport {
  int64_t runs_added = 0;     // run keys new to the output
  int64_t runs_replaced = 0;  // output copies replaced by more complete ones
  int64_t runs_kept = 0;      // input copies not more complete than the output's
  int64_t metric_rows_copied = 0;
};

// Creates `output_path` when missing (see Store::open). Throws StoreError naming the file at fault.
MergeReport merge_databases(const std::string& output_path, const std::vector<std::string>& input_paths);

}  // namespace ablate::results
