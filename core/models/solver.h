#pragma once
// Preserved-complexity solver (paper Table 2): the integer bottleneck width d that makes a template's
// complexity closest to a reference's.

#include <cstdint>
#include <string>

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

// The same measure solve_width compares, for one set of options.
int64_t complexity_measure(const ResNetOptions& options, MatchBy by, MatchScope scope, int64_t image_size);

}  // namespace ablate::models
