// The default ModelFactory, in its own file so programs that pass their own factory (tests, benchmarks of
// other nets) do not link the ResNet module.
#include "core/models/resnet.h"
#include "core/train/trainer.h"

namespace ablate::train {

torch::nn::AnyModule build_resnet(const config::RunSpec& spec) {
  return torch::nn::AnyModule(models::ResNet(spec.model.options));
}

}  // namespace ablate::train
