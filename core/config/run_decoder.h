#pragma once
// Decoding of one run's merged settings ({model, data, train} after base, profile, variant and --set have
// been deep-merged) into the RunSpec structs, with every key and value checked. Internal to core/config:
// expand() is the public entry point. The model's width `match` is only parsed here; expand() solves it
// because it needs the other variants.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/config/config_error.h"
#include "core/config/config_node.h"
#include "core/config/run_spec.h"
#include "core/models/solver.h"

namespace ablate::config {

// Keys of each section, for unknown-key checks and did-you-mean.
const std::vector<std::string>& model_keys();
const std::vector<std::string>& data_keys();
const std::vector<std::string>& train_keys();
const std::vector<std::string>& schedule_keys();

// Merge rules for `model` maps: an overlay that gives the first key drops the others from the base,
// so a variant's `blocks` replaces a base `depth` and a variant's `match` replaces a base width.
const ExclusiveKeys& model_exclusive_keys();

struct MatchRequest {
  std::string reference;
  models::MatchBy by = models::MatchBy::params;
  models::MatchScope scope = models::MatchScope::network;
  SourceLocation reference_location;
};

struct DecodedRun {
  bool ok = false;  // false: errors were added and the specs are incomplete
  ModelSpec model;  // options resolved against the dataset; width unsolved when `match` is set
  DataSpec data;
  TrainSpec train;
  std::optional<MatchRequest> match;
  SourceLocation model_location;  // for errors about the model as a whole
};

// `merged` is a map (or null) with optional model/data/train keys.
DecodedRun decode_run(const ConfigNode& merged, ErrorList& errors);

}  // namespace ablate::config
