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

const char* to_string(SolveFor solve) { return solve == SolveFor::width ? "width" : "depth"; }

SolveFor parse_solve_for(const std::string& text) {
  if (text == "width") return SolveFor::width;
  if (text == "depth") return SolveFor::depth;
  throw std::invalid_argument(fmt::format("match solve \"{}\": expected width or depth", text));
}

Closest closest_to(int64_t target, int64_t limit, const std::function<int64_t(int64_t)>& measure) {
  // The measure grows strictly with n, so walk up until it passes the target: the answer is the last n
  // below or the first n above, whichever is closer (the smaller on a tie: the gap must shrink to move).
  Closest best;
  int64_t best_gap = -1;
  for (int64_t n = 1; n <= limit; ++n) {
    const int64_t value = measure(n);
    const int64_t gap = std::llabs(value - target);
    if (best_gap < 0 || gap < best_gap) {
      best_gap = gap;
      best = {n, value};
    }
    if (value >= target) break;
  }
  return best;
}

int64_t complexity_measure(const ResNetOptions& o, MatchBy by, MatchScope scope, int64_t image_size) {
  if (scope == MatchScope::block) return first_stage_block_params(o);
  const Complexity c = analyze(o, image_size);
  return by == MatchBy::params ? c.params : c.macs;
}

namespace {

double relative(int64_t value, int64_t reference) {
  return static_cast<double>(value - reference) / static_cast<double>(reference);
}

}  // namespace

WidthSolution solve_width(const ResNetOptions& template_options, const ResNetOptions& reference, MatchBy by,
                          MatchScope scope, int64_t image_size) {
  WidthSolution best;
  best.reference_value = complexity_measure(reference, by, scope, image_size);
  ResNetOptions candidate = template_options;
  // Widths beyond 1<<16 are not networks.
  const Closest found = closest_to(best.reference_value, int64_t{1} << 16, [&](int64_t d) {
    candidate.bottleneck_width(d);
    return complexity_measure(candidate, by, scope, image_size);
  });
  if (found.n == 0) throw std::invalid_argument("solver found no bottleneck width");
  best.width = found.n;
  best.value = found.value;
  best.relative_difference = relative(best.value, best.reference_value);
  return best;
}

DepthSolution solve_depth(const ResNetOptions& template_options, const ResNetOptions& reference, MatchBy by,
                          MatchScope scope, int64_t image_size) {
  if (scope == MatchScope::block) {
    throw std::invalid_argument("a depth cannot be matched at block scope (one first-stage block does not change "
                                "with depth); use scope network");
  }
  const std::vector<int64_t> base = template_options.blocks();
  if (base.size() != 4 && base.size() != 3) {
    throw std::invalid_argument(fmt::format(
        "cannot solve the depth of a {}-stage template: expected four stages (ImageNet templates: the third "
        "grows) or three (CIFAR templates, 9n+2: all grow)",
        base.size()));
  }
  const auto blocks_for = [&](int64_t n) {
    std::vector<int64_t> blocks = base;
    if (blocks.size() == 4) {
      blocks[2] = n;
    } else {
      blocks.assign(3, n);
    }
    return blocks;
  };
  DepthSolution best;
  best.reference_value = complexity_measure(reference, by, scope, image_size);
  ResNetOptions candidate = template_options;
  constexpr int64_t kMostBlocks = 4096;
  const Closest found = closest_to(best.reference_value, kMostBlocks, [&](int64_t n) {
    candidate.blocks(blocks_for(n));
    return complexity_measure(candidate, by, scope, image_size);
  });
  if (found.n == kMostBlocks && found.value < best.reference_value) {
    throw std::invalid_argument(fmt::format("the reference needs more than {} blocks a stage", kMostBlocks));
  }
  best.blocks = blocks_for(found.n);
  best.value = found.value;
  best.relative_difference = relative(best.value, best.reference_value);
  return best;
}

}  // namespace ablate::models
