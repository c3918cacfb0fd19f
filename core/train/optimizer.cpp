#include "core/train/optimizer.h"

#include <stdexcept>
#include <utility>

#include <fmt/format.h>
#include <torch/nn/modules/batchnorm.h>
// LibTorch 1.13's instancenorm module header uses its functional header without including it.
#include <torch/nn/functional/instancenorm.h>
#include <torch/nn/modules/instancenorm.h>
#include <torch/nn/modules/normalization.h>

namespace ablate::train {

namespace {

bool is_normalisation(const torch::nn::Module& module) {
  return dynamic_cast<const torch::nn::BatchNorm1dImpl*>(&module) ||
         dynamic_cast<const torch::nn::BatchNorm2dImpl*>(&module) ||
         dynamic_cast<const torch::nn::BatchNorm3dImpl*>(&module) ||
         dynamic_cast<const torch::nn::InstanceNorm1dImpl*>(&module) ||
         dynamic_cast<const torch::nn::InstanceNorm2dImpl*>(&module) ||
         dynamic_cast<const torch::nn::InstanceNorm3dImpl*>(&module) ||
         dynamic_cast<const torch::nn::GroupNormImpl*>(&module) ||
         dynamic_cast<const torch::nn::LayerNormImpl*>(&module);
}

}  // namespace

ParameterGroups split_weight_decay_groups(const torch::nn::Module& model) {
  ParameterGroups groups;
  // Walk modules rather than guess from shapes (1-D = no decay would also catch a 1-D weight that is
  // not a norm's): a parameter's own module tells what it is.
  for (const auto& item : model.named_modules("", /*include_self=*/true)) {
    const bool norm = is_normalisation(*item.value());
    for (const auto& param : item.value()->named_parameters(/*recurse=*/false)) {
      const std::string name = item.key().empty() ? param.key() : item.key() + "." + param.key();
      if (norm || param.key() == "bias") {
        groups.no_decay_names.push_back(name);
        groups.no_decay.push_back(param.value());
      } else {
        groups.decay_names.push_back(name);
        groups.decay.push_back(param.value());
      }
    }
  }
  return groups;
}

std::unique_ptr<torch::optim::SGD> make_sgd(const torch::nn::Module& model, const config::TrainSpec& train) {
  if (!(train.momentum >= 0)) throw std::invalid_argument(fmt::format("train.momentum: expected >= 0, got {}", train.momentum));
  if (!(train.weight_decay >= 0)) {
    throw std::invalid_argument(fmt::format("train.weight_decay: expected >= 0, got {}", train.weight_decay));
  }
  if (train.nesterov && !(train.momentum > 0)) {
    throw std::invalid_argument(fmt::format("train.nesterov: true needs train.momentum > 0, got momentum {}", train.momentum));
  }
  const auto options = torch::optim::SGDOptions(train.lr)
                           .momentum(train.momentum)
                           .nesterov(train.nesterov)
                           .weight_decay(train.weight_decay);
  if (train.weight_decay_on_bn_and_bias) {
    return std::make_unique<torch::optim::SGD>(model.parameters(), options);
  }
  ParameterGroups split = split_weight_decay_groups(model);
  std::vector<torch::optim::OptimizerParamGroup> groups;
  if (!split.decay.empty()) {
    groups.emplace_back(split.decay, std::make_unique<torch::optim::SGDOptions>(options));
  }
  if (!split.no_decay.empty()) {
    auto no_decay = std::make_unique<torch::optim::SGDOptions>(options);
    no_decay->weight_decay(0);
    groups.emplace_back(split.no_decay, std::move(no_decay));
  }
  return std::make_unique<torch::optim::SGD>(std::move(groups), options);
}

void set_learning_rate(torch::optim::Optimizer& optimizer, double lr) {
  for (auto& group : optimizer.param_groups()) group.options().set_lr(lr);
}

}  // namespace ablate::train
