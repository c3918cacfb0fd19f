#include "core/models/resnet_options.h"

#include <fmt/format.h>

#include <stdexcept>

namespace ablate::models {

const char* to_string(Stem stem) { return stem == Stem::imagenet ? "imagenet" : "cifar"; }

namespace {
void require_positive(const char* name, int64_t value) {
  if (value < 1) throw std::invalid_argument(fmt::format("{} must be >= 1, got {}", name, value));
}
}  // namespace

void validate(const ResNetOptions& o) {
  if (o.blocks().empty()) throw std::invalid_argument("blocks must list at least one stage, got []");
  for (size_t s = 0; s < o.blocks().size(); ++s) {
    if (o.blocks()[s] < 1) {
      throw std::invalid_argument(fmt::format("blocks[{}] must be >= 1, got {}", s, o.blocks()[s]));
    }
  }
  require_positive("cardinality", o.cardinality());
  require_positive("bottleneck_width", o.bottleneck_width());
  require_positive("base_channels", o.base_channels());
  require_positive("stem_channels", o.stem_channels());
  require_positive("stem_stride", o.stem_stride());
  require_positive("input_channels", o.input_channels());
  require_positive("num_classes", o.num_classes());
  if (o.blocks().size() > 8) {
    throw std::invalid_argument(fmt::format("blocks lists {} stages; at most 8 are supported", o.blocks().size()));
  }
}

}  // namespace ablate::models
