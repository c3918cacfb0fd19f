#include "core/models/solver.h"

#include <fmt/format.h>

#include <cstdlib>
#include <stdexcept>

#include "core/models/complexity.h"

namespace ablate::models {

const char* to_string(MatchBy by) { return by == MatchBy::params ? "params" : "macs"; }
const char* to_string(MatchScope scope) { return scope == MatchScope::network ? "network" : "block"; }

MatchBy parse_match_by(const std::string& text) {
  if (text == "params") return MatchBy::params;
  if (text == "macs") return MatchBy::macs;
  throw std::invalid_argument(fmt::format("match by \"{}\": expected params or macs", text));
}

MatchScope parse_match_scope(const std::string& text) {
  if (text == "network") return MatchScope::network;
  if (text == "block") return MatchScope::block;
  throw std::invalid_argument(fmt::format("match scope \"{}\": expected network or block", text));
}

int64_t complexity_measure(const ResNetOptions& o, MatchBy by, MatchScope scope, int64_t image_size) {
  if (scope == MatchScope::block) return first_stage_block_params(o);
  const Complexity c = analyze(o, image_size);
  return by == MatchBy::params ? c.params : c.macs;
}

WidthSolution solve_width(const ResNetOptions& template_options, const ResNetOptions& reference, MatchBy by,
                          MatchScope scope, int64_t image_size) {
  WidthSolution best;
  best.reference_value = complexity_measure(reference, by, scope, image_size);
  ResNetOptions candidate = template_options;
  // Complexity grows strictly with d, so walk up until it passes the reference: the answer is the
  // last d below or the first d above, whichever is closer. Widths beyond 1<<16 are not networks.
  int64_t best_gap = -1;
  for (int64_t d = 1; d <= (int64_t{1} << 16); ++d) {
    candidate.bottleneck_width(d);
    const int64_t value = complexity_measure(candidate, by, scope, image_size);
    const int64_t gap = std::llabs(value - best.reference_value);
    if (best_gap < 0 || gap < best_gap) {
      best_gap = gap;
      best.width = d;
      best.value = value;
    }
    if (value >= best.reference_value) break;
  }
  if (best.width == 0) throw std::invalid_argument("solver found no bottleneck width");
  best.relative_difference =
      static_cast<double>(best.value - best.reference_value) / static_cast<double>(best.reference_value);
  return best;
}

}  // namespace ablate::models
