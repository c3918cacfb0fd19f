#pragma once
// Device choice and the process-wide runtime settings a run needs: threads, determinism, cuDNN, memory
// format, precision. Guards the few LibTorch API differences between 1.13 (Debian, CPU) and 2.x (pip, CUDA).

#include <cstdint>
#include <string>
#include <vector>

#include <torch/nn/module.h>
#include <torch/types.h>

#include "core/config/run_spec.h"

namespace ablate::train {

// train.device: "auto" (CUDA device 0 when LibTorch sees a GPU, else CPU), "cpu", "cuda" (= cuda:0),
// "cuda:N". Throws std::invalid_argument naming train.device and the value when it is malformed, or when
// CUDA is asked for and not available, or N is not a visible device.
torch::Device resolve_device(const std::string& device);

// What configure_runtime decided, for the trainer and for the run's record.
struct RuntimeSettings {
  torch::Device device{torch::kCPU};
  bool channels_last = false;   // train.channels_last (NHWC weights and inputs)
  bool bf16_autocast = false;   // precision bf16 on CUDA; on CPU bf16 falls back to fp32
  int64_t threads = 0;          // intra-op threads in effect
  bool deterministic = false;
  std::vector<std::string> warnings;  // for EpochSink::on_warning
};

// Applies train.* to the process: intra-op threads (train.threads; 0 = all cores), host memory kept for
// reuse (retain_freed_host_memory), deterministic
// algorithms and cuDNN determinism when train.deterministic (with warn_only, because a few CUDA kernels,
// e.g. adaptive average pooling's backward, have no deterministic variant: LibTorch warns instead of
// failing), cuDNN benchmark on CUDA otherwise. Every flag is set both ways, so a run never inherits the
// previous run's settings in the same process. Throws std::invalid_argument naming train.precision or
// train.device for bad values.
RuntimeSettings configure_runtime(const config::TrainSpec& train);

// Seeds torch's CPU generator and every CUDA generator (at::manual_seed).
void seed_everything(uint64_t seed);

// A 4-D tensor with NHWC strides (suggest_memory_format() == ChannelsLast), copied only when it has
// other strides; other tensors as they are. Unlike contiguous(ChannelsLast) this also restrides
// tensors with one channel, whose NCHW strides would otherwise make convolutions run NCHW.
torch::Tensor channels_last_strides(const torch::Tensor& tensor);

// Converts the module's 4-D parameters and buffers to channels_last strides in place (the same Tensor
// objects, so an optimiser holding them keeps working).
void to_channels_last(torch::nn::Module& module);

// bf16 autocast on CUDA for the enclosing scope when `enabled` (the forward pass and the loss; backward
// runs outside it, as in PyTorch). A no-op when not enabled.
class AutocastGuard {
 public:
  explicit AutocastGuard(bool enabled);
  ~AutocastGuard();
  AutocastGuard(const AutocastGuard&) = delete;
  AutocastGuard& operator=(const AutocastGuard&) = delete;

 private:
  bool enabled_;
  bool previous_enabled_ = false;
  torch::ScalarType previous_dtype_ = torch::kFloat;
};

}  // namespace ablate::train
