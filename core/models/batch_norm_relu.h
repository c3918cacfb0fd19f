#pragma once
// BatchNorm followed by ReLU (optionally after adding a residual) as one operation for training on the CPU.
//
// In a ResNet step on the CPU the batch norms and ReLUs cost about as much as the convolutions: each is
// a full pass over an activation in the forward and in the backward pass, and LibTorch 1.13's
// channels_last batch norm runs at about half the memory bandwidth. Fused, the forward is one pass for the
// statistics and one that normalises and clamps; the backward recomputes the ReLU mask from the input
// (no output to keep, no separate ReLU backward; with a residual, from the output) and needs two passes. The result is the same function:
// batch statistics, running statistics updated with the module's momentum (unbiased variance), gradients
// for the input, weight and bias.
//
// Used only where it applies: a BatchNorm2d in training mode with affine parameters, running statistics
// and a momentum, on a float32 CPU input in channels_last layout. Everywhere else (eval mode, CUDA,
// NCHW, other dtypes) this is bn->forward(x).relu_().

#include <torch/nn/modules/batchnorm.h>
#include <torch/types.h>

namespace ablate::models {

// relu(bn(x)), or relu(bn(x) + residual) when `residual` is defined (the bottleneck's last BN, the
// shortcut added before the ReLU), fused when it applies (see above). Counts the batch in
// bn.num_batches_tracked as BatchNorm2d's forward does.
torch::Tensor batch_norm_relu(torch::nn::BatchNorm2dImpl& bn, const torch::Tensor& x,
                              const torch::Tensor& residual = {});

// Whether batch_norm_relu(bn, x, residual) takes the fused path.
bool batch_norm_relu_is_fused(const torch::nn::BatchNorm2dImpl& bn, const torch::Tensor& x,
                              const torch::Tensor& residual = {});

}  // namespace ablate::models
