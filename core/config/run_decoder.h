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

// Keys an overlay's key makes stale in the layers below it (merge order: base, profile, variant, --set).
// model: a preset drops depth/blocks/cardinality/width/match, depth and blocks replace each other, and so
// do bottleneck_width and match (a depth match keeps the width: see keep_template_width). schedule: a kind drops the lower layers' kind-specific keys (milestones,
// step_size, gamma, min_lr), so a profile can switch multistep to cosine without inheriting milestones.
const ExclusiveKeys& overlay_exclusive_keys();
// The maps those rules apply to: "model" and "schedule".
const std::vector<std::string>& overlay_exclusive_maps();

struct MatchRequest {
  std::string reference;
  models::MatchBy by = models::MatchBy::params;
  models::MatchScope scope = models::MatchScope::network;
  models::SolveFor solve = models::SolveFor::width;  // depth: the blocks are solved, the width stays
  SourceLocation reference_location;
};

// A match that solves the depth keeps the template's width, but a `match` overlay drops the width of
// the layers below it (and a width overlay drops their match). Returns `overlay` with what it would
// wrongly drop from `below` copied into it: below's bottleneck_width when overlay brings a depth match,
// below's depth match when overlay brings a bottleneck_width. Both are model maps (or anything else,
// returned as it is).
ConfigNode keep_template_width(const ConfigNode& below, ConfigNode overlay);

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

// Where a layer of settings was written: in an experiment file (base, a profile's base, a variant), where
// an empty section (`model:` with nothing under it) adds nothing, or on the command line (--set), where a
// null section (`--set train=null`) would silently do nothing and is an error.
enum class Layer { file, command_line };

// Checks one layer on its own, before it is merged: unknown keys and every key's type and range, located
// where the layer wrote them, so a bad value is reported even when a later layer overrides it. What
// depends on other keys or layers (milestones below epochs, a depth for the stem, the model against the
// dataset) is decode_run's. `settings` is a map (or null) with optional model/data/train keys; other
// keys are the caller's.
void check_layer(const ConfigNode& settings, Layer layer, ErrorList& errors);

}  // namespace ablate::config
