#pragma once
// A module's weights as named tensors, in and out, with PyTorch's names and order: the bridge between
// models::ResNet and a state_dict file (state_dict_file.h).

#include <string>
#include <utility>
#include <vector>

#include <torch/nn/module.h>
#include <torch/types.h>

namespace ablate::models {

using NamedTensors = std::vector<std::pair<std::string, torch::Tensor>>;

// Parameters and buffers in the order of PyTorch's Module.state_dict(): a module's own parameters, then its
// own buffers, then each child's entries in registration order. The tensors are the module's own (no copy).
NamedTensors state_dict(const torch::nn::Module& module);

// Copies `tensors` into `module`'s parameters and buffers (converting the dtype where it differs). Names
// and shapes must match one for one, except that BatchNorm's num_batches_tracked may be missing (files from
// PyTorch before 0.4.1 lack it; PyTorch loads them too, and evaluation never reads it). On a mismatch
// nothing is copied and std::invalid_argument says, in one line starting with `source`, how many keys are
// missing, unexpected and of another shape, with the first few of each.
void load_state_dict(torch::nn::Module& module, const NamedTensors& tensors, const std::string& source);

}  // namespace ablate::models
