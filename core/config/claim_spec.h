#pragma once
// Claims an experiment tests: the paper's findings (or a user's hypotheses) written as data over variant
// names and a metric, so `ablate table` and `ablate report` can check each one against the stored runs
// (results/claims.h). Two forms:
//
//   claims:
//     - text: "more cardinality beats more width at 2x"      # required: the claim in words
//       better: ResNeXt-101 64x4d                            # this variant's metric is better ...
//       than: ResNet-101 1x100d                              # ... than this one's
//       metric: top1_err                                     # optional: top1_err (default) | top5_err
//       effect: 0.9                                          # optional: the expected difference (points)
//     - text: "error falls with cardinality"
//       trend: [ResNeXt-29 1x64d, ResNeXt-29 2x64d, ResNeXt-29 4x64d]   # at least two variants, in order
//       direction: decreasing                                # decreasing | increasing (the metric's value)
//
// "Better" follows the metric: lower for errors. `effect` is the size of difference the claim expects,
// used to estimate how many seeds an inconclusive claim needs; without it the paper values of the named
// variants give it (better - than, or first - last of a trend), else the observed difference stands in.
// Every name must be a variant of the experiment; errors name file:line:column like every other key.

#include <optional>
#include <string>
#include <vector>

#include "core/config/config_error.h"

namespace ablate::config {

struct ConfigNode;
class ValueReader;

struct ClaimSpec {
  enum class Kind { better, trend };

  Kind kind = Kind::better;
  std::string text;
  std::string metric = "top1_err";
  std::string better;               // better form
  std::string than;                 // better form
  std::vector<std::string> trend;   // trend form, in the order the claim reads
  bool decreasing = true;           // trend form: direction
  std::optional<double> effect;     // > 0, in the metric's units
  SourceLocation location;          // of the claim's entry
};

// Decodes the `claims:` list, checking every key and that every name is one of `variants`. Problems are
// reported through `reader` (file:line:column); a bad claim is left out of the result.
std::vector<ClaimSpec> decode_claims(const ConfigNode& node, const std::vector<std::string>& variants,
                                     const std::vector<std::string>& metrics, ValueReader& reader);

}  // namespace ablate::config
