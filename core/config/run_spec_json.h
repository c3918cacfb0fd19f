#pragma once
// JSON forms of a RunSpec and the run identity built on them.
//
// Identity (decided here, relied on by the runner and the results store):
// - The canonical form holds everything that changes what a run computes: experiment name, variant name,
//   seed, every model option and the image size, every data setting except where the files live
//   (data.root) and how many threads decode them (data.workers), every train setting except placement and speed knobs that leave the result unchanged
//   (train.device, train.threads, train.channels_last, train.eval_batch_size), plus a format number.
// - Not in it: profile name, title, paper values, labels, the equivalent preset name and how a width
//   was matched (only the solved width counts). So `--profile cpu` and the same settings spelled out with
//   --set give the same run, and renaming a profile or fixing a paper value reruns nothing.
// - Variant and experiment names ARE part of identity: two variants with identical settings in one
//   experiment are two rows of a table and must stay two runs.
// - The ImageFolder pipeline's settings (data.classes, image_size, on_bad_image) appear only for dataset
//   imagenet, so the other datasets' canonical forms, and their run keys, stayed as they were.
// - Weights files count by their SHA-256, not their path, and only when given (so runs without them
//   kept their keys): model.init_from adds model.init_from_sha256, and an evaluation-only run (`ablate
//   eval`) adds evaluated_weights_sha256 to the planned run's settings.
// - Numbers are typed by the schema (0.1, 1e-1 and 0.10 are one double) and printed by nlohmann::json's
//   shortest round-trip formatting; object keys are sorted. The string is compact JSON.
// - run_key = first 16 hex digits of SHA-256(canonical with seed); group_key = the same without the seed.
// - training_key = the same over the canonical form with the seed but without the experiment and variant
//   names: everything that decides what the training computes (model, data, train settings, seed, format
//   number), nothing that only names or displays it. Equal training keys mean the same training, in any
//   experiment, so the runner adopts a finished one instead of training it again (runner/sweep.h).

#include <string>

#include <nlohmann/json.hpp>

#include "core/config/run_spec.h"

namespace ablate::config {

// Bumped whenever the canonical form changes meaning; part of every hash.
constexpr int kCanonicalFormat = 1;

// Everything in the RunSpec (keys included), for `ablate show --format json` and the results store.
nlohmann::json to_json(const RunSpec& run);
// Inverse of to_json (canonical and keys are recomputed). Throws nlohmann::json::exception on a missing
// or mistyped field, std::invalid_argument on an unknown schedule kind, precision or device.
RunSpec run_spec_from_json(const nlohmann::json& json);

// The identity-bearing subset described above.
nlohmann::json canonical_object(const RunSpec& run, bool include_seed);
std::string canonical_json(const RunSpec& run, bool include_seed = true);

// The canonical form that training_key hashes: canonical_object(run, true) less experiment and variant.
nlohmann::json training_object(const RunSpec& run);

// Fills run.canonical, run.run_key, run.group_key and run.training_key from the rest of run.
void assign_keys(RunSpec& run);

}  // namespace ablate::config
