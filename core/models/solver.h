#pragma once
// Preserved-complexity solvers: the integer bottleneck width d (paper Table 2), or the stage block
// counts (the paper's deeper nets, ResNet-101/152/200), that make a template's complexity closest to a
// reference's.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/models/resnet_options.h"

namespace ablate::models {

enum class MatchBy { params, macs };
// network: whole-net params or MACs at image_size. block: paper Eq. 4 on the first-stage template
// (conv params of one bottleneck without projection); macs at block scope scale with the same map, so
// they pick the same d.
enum class MatchScope { network, block };

const char* to_string(MatchBy by);
const char* to_string(MatchScope scope);
MatchBy parse_match_by(const std::string& text);        // "params" | "macs"; throws otherwise
MatchScope parse_match_scope(const std::string& text);  // "network" | "block"; throws otherwise

// What a match solves for: the bottleneck width (depth stays the template's) or the depth (width stays).
enum class SolveFor { width, depth };
const char* to_string(SolveFor solve);
SolveFor parse_solve_for(const std::string& text);  // "width" | "depth"; throws otherwise

// The search both solvers share: the n in [1, limit] whose measure(n) is closest to `target`, for a
// measure that grows strictly with n; ties go to the smaller n. Returns {n, measure(n)}.
struct Closest {
  int64_t n = 0;
  int64_t value = 0;
};
Closest closest_to(int64_t target, int64_t limit, const std::function<int64_t(int64_t)>& measure);

struct WidthSolution {
  int64_t width = 0;            // the solved d
  int64_t value = 0;            // template's complexity at d (in the chosen measure and scope)
  int64_t reference_value = 0;  // reference's complexity in the same measure and scope
  double relative_difference = 0;  // (value - reference_value) / reference_value
};

// The template's bottleneck_width is ignored; every other option is kept. Ties go to the smaller d.
// Throws std::invalid_argument if no d >= 1 exists (reference smaller than the template at d = 1 is fine:
// d = 1 is returned with its difference).
WidthSolution solve_width(const ResNetOptions& template_options, const ResNetOptions& reference,
                          MatchBy by, MatchScope scope, int64_t image_size);

struct DepthSolution {
  std::vector<int64_t> blocks;     // the solved blocks per stage
  int64_t value = 0;               // template's complexity with those blocks
  int64_t reference_value = 0;     // reference's complexity in the same measure
  double relative_difference = 0;  // (value - reference_value) / reference_value
};

// The stage block counts that bring the template's whole-network complexity closest to the reference's,
// growing the stages the paper grows; every other option (the width included) is the template's:
//   four stages (ImageNet templates: ResNet-50/101/152/200's shape, also behind a cifar stem as the CPU
//     profiles use it): the third stage takes n blocks, the others keep the template's counts, as
//     ResNet-101 [3, 4, 23, 3] grows ResNet-50 [3, 4, 6, 3]. (ResNet-152 [3, 8, 36, 3] and -200
//     [3, 24, 36, 3] also grow the second stage: from a [3, 4, x, 3] template this rule cannot give them.)
//   three stages (CIFAR templates, depth 9n+2): every stage takes n blocks.
// Closest measure wins; ties go to the shallower net. Throws std::invalid_argument for another number of
// stages, for the block scope (a first-stage block does not change with depth), or when the reference is
// beyond 4096 blocks a stage.
DepthSolution solve_depth(const ResNetOptions& template_options, const ResNetOptions& reference, MatchBy by,
                          MatchScope scope, int64_t image_size);

// The same measure solve_width compares, for one set of options.
int64_t complexity_measure(const ResNetOptions& options, MatchBy by, MatchScope scope, int64_t image_size);

}  // namespace ablate::models
