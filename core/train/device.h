#pragma once
// Device choice and the process-wide runtime settings a run needs: threads, determinism, cuDNN, memory
// format, precision (bf16 autocast, TF32). Guards the few LibTorch API differences between 1.13 (Debian,
// CPU) and 2.x (pip, CUDA).

#include <cstdint>
#include <string>
#include <vector>

#include <torch/nn/module.h>
#include <torch/types.h>

#include "core/config/run_spec.h"

namespace ablate::train {

// train.device on this machine: auto is CUDA device 0 when LibTorch sees a GPU, else the CPU; cuda is
// cuda:0. Throws std::invalid_argument naming train.device when CUDA is asked for and not available, or
// N is not a visible device.
torch::Device resolve_device(const config::DeviceSpec& device);

// Whether `device` trains in bf16: a CUDA device of compute capability 8.0 or newer (Ampere and later).
// False on the CPU, where ablate does not autocast. Asks LibTorch's CUDA hooks, so it compiles and runs
// without the CUDA headers (Debian's CPU LibTorch).
bool supports_bf16(const torch::Device& device);

// A run trains in the precision its key names, or not at all: bf16 where it cannot run is refused, never
// silently trained in fp32 (a "bf16" group must hold bf16 numbers). Throws std::invalid_argument naming
// train.precision, the device and what to do. `bf16_supported` is supports_bf16(device), a parameter so
// the rule is testable without a GPU.
void check_precision(config::Precision precision, const config::DeviceSpec& configured, const torch::Device& device,
                     bool bf16_supported);

// resolve_device and check_precision for one run's settings, with no other effect: the runner calls it for
// every run of a sweep before the first one trains.
torch::Device check_runnable(const config::TrainSpec& train);

// What configure_runtime decided, for the trainer and for the run's record.
struct RuntimeSettings {
  torch::Device device{torch::kCPU};
  bool channels_last = false;   // train.channels_last (NHWC weights and inputs)
  bool bf16_autocast = false;   // train.precision bf16 (on a CUDA device that supports it; refused elsewhere)
  // TF32 for fp32 matmuls and convolutions on CUDA. Always set, and off: cuDNN's default is on, which
  // would make an "fp32" run on an Ampere GPU compute its convolutions with 10-bit mantissas.
  bool allow_tf32 = false;
  int64_t threads = 0;          // intra-op threads in effect
  bool deterministic = false;
  std::vector<std::string> warnings;  // for EpochSink::on_warning

  // The arithmetic the run trains in, for its record: "fp32" on the CPU; "fp32, tf32 off" or
  // "bf16 autocast, tf32 off" on CUDA.
  std::string precision_description() const;
};

// Applies train.* to the process: precision (check_precision), TF32 off on CUDA, intra-op threads
// (train.threads; 0 = all cores), host memory kept for reuse (retain_freed_host_memory), deterministic
// algorithms and cuDNN determinism when train.deterministic (with warn_only, because a few CUDA kernels,
// e.g. adaptive average pooling's backward, have no deterministic variant: LibTorch warns instead of
// failing), cuDNN benchmark on CUDA otherwise. Every flag is set both ways, so a run never inherits the
// previous run's settings in the same process. Throws std::invalid_argument naming train.precision or
// train.device for what this machine cannot run.
RuntimeSettings configure_runtime(const config::TrainSpec& train);

// What must be in place before the process's first CUDA call; main() calls it first thing. Sets
// CUBLAS_WORKSPACE_CONFIG=:4096:8 (unless the environment already has a value): cuBLAS reads it once,
// when its first handle is created, and is deterministic only with it, so a deterministic run that is
// not the process's first could not set it in time.
void configure_process();

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
