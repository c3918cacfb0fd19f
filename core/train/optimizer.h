#pragma once
// SGD as the paper trains (momentum, optional Nesterov, weight decay), with the common refinement of
// exempting normalisation parameters and biases from weight decay.

#include <memory>
#include <string>
#include <vector>

#include <torch/nn/module.h>
#include <torch/optim/sgd.h>

#include "core/config/run_spec.h"

namespace ablate::train {

// Parameters split by whether weight decay applies. `no_decay` holds every parameter of a BatchNorm,
// GroupNorm, LayerNorm or InstanceNorm module and every parameter registered under the name "bias";
// `decay` holds the rest (conv and linear weights). Names are the model's named_parameters() keys.
struct ParameterGroups {
  std::vector<std::string> decay_names, no_decay_names;
  std::vector<torch::Tensor> decay, no_decay;
};
ParameterGroups split_weight_decay_groups(const torch::nn::Module& model);

// SGD over the model's parameters with train.lr, momentum, nesterov, weight_decay. With
// weight_decay_on_bn_and_bias = false there are two param groups: [0] decayed, [1] weight_decay 0
// (a group is omitted when empty; [0] is then the only group). Throws std::invalid_argument naming the
// train.* key at fault (negative momentum or weight decay, nesterov without momentum).
std::unique_ptr<torch::optim::SGD> make_sgd(const torch::nn::Module& model, const config::TrainSpec& train);

// Sets the lr of every param group.
void set_learning_rate(torch::optim::Optimizer& optimizer, double lr);

}  // namespace ablate::train
