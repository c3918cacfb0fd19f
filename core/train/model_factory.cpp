// The default ModelFactory, in its own file so programs that pass their own factory (tests, benchmarks of
// other nets) do not link the ResNet module.
#include "core/models/resnet.h"
#include "core/models/state_dict_file.h"
#include "core/train/trainer.h"

namespace ablate::train {

torch::nn::AnyModule build_resnet(const config::RunSpec& spec) {
  models::ResNet net(spec.model.options);
  // Weights from a file replace the seeded initialisation: the ones an evaluation evaluates, else the ones
  // a training run starts from. Both were hashed into the run key when it was planned.
  if (spec.evaluation_only()) {
    models::load_weights_file(*net, spec.evaluated_weights.path, spec.evaluated_weights.sha256, "--weights");
  } else if (!spec.model.init_from.empty()) {
    models::load_weights_file(*net, spec.model.init_from.path, spec.model.init_from.sha256, "model.init_from");
  }
  return torch::nn::AnyModule(net);
}

}  // namespace ablate::train
