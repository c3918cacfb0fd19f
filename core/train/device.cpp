#include "core/train/device.h"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>
#include <thread>

#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <ATen/autocast_mode.h>
#include <ATen/detail/CUDAHooksInterface.h>
#include <c10/core/DeviceGuard.h>
#include <fmt/format.h>
#include <torch/cuda.h>
#include <torch/version.h>

#include "core/train/host_memory.h"

// at::autocast's device-generic API arrived in 2.4; the CUDA-only calls before it are deprecated there.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
#define ABLATE_AUTOCAST_DEVICE_API 1
#else
#define ABLATE_AUTOCAST_DEVICE_API 0
#endif

namespace ablate::train {

torch::Device resolve_device(const config::DeviceSpec& device) {
  switch (device.kind) {
    case config::DeviceKind::automatic:
      return torch::cuda::is_available() ? torch::Device(torch::kCUDA, 0) : torch::Device(torch::kCPU);
    case config::DeviceKind::cpu:
      return torch::Device(torch::kCPU);
    case config::DeviceKind::cuda:
      break;
  }
  const std::string name = config::to_string(device);
  if (!torch::cuda::is_available()) {
    throw std::invalid_argument(fmt::format(
        "train.device: '{}' asked for, but CUDA is not available (LibTorch {} sees no GPU); use auto or cpu", name,
        TORCH_VERSION));
  }
  const int64_t index = std::max<int64_t>(device.index, 0);
  const int64_t count = static_cast<int64_t>(torch::cuda::device_count());
  if (index >= count) {
    throw std::invalid_argument(
        fmt::format("train.device: '{}' asked for, but only {} CUDA device(s) are visible", name, count));
  }
  return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(index));
}

bool supports_bf16(const torch::Device& device) {
  if (!device.is_cuda()) return false;
  // The hook answers for the current device: compute capability 8.0 or newer (and cuDNN present).
  const c10::DeviceGuard guard(device);
  return at::detail::getCUDAHooks().supportsBFloat16ConvolutionWithCuDNNv8();
}

void check_precision(config::Precision precision, const config::DeviceSpec& configured, const torch::Device& device,
                     bool bf16_supported) {
  if (precision != config::Precision::bf16 || bf16_supported) return;
  if (!device.is_cuda()) {
    throw std::invalid_argument(fmt::format(
        "train.precision: bf16 needs a CUDA GPU with bf16 support, but this run would train on the CPU "
        "(train.device {}); set train.precision: fp32 (a different run) or run it where a GPU is visible",
        config::to_string(configured)));
  }
  throw std::invalid_argument(fmt::format(
      "train.precision: bf16 needs a GPU of compute capability 8.0 or newer (Ampere or later), and {} is older; "
      "set train.precision: fp32 (a different run) or use a newer GPU",
      device.str()));
}

torch::Device check_runnable(const config::TrainSpec& train) {
  const torch::Device device = resolve_device(train.device);
  check_precision(train.precision, train.device, device,
                  train.precision == config::Precision::bf16 && supports_bf16(device));
  return device;
}

std::string RuntimeSettings::precision_description() const {
  if (!device.is_cuda()) return "fp32";
  return fmt::format("{}, tf32 {}", bf16_autocast ? "bf16 autocast" : "fp32", allow_tf32 ? "on" : "off");
}

RuntimeSettings configure_runtime(const config::TrainSpec& train) {
  RuntimeSettings settings;
  settings.device = check_runnable(train);
  const bool cuda = settings.device.is_cuda();
  settings.bf16_autocast = train.precision == config::Precision::bf16;
  settings.channels_last = train.channels_last;

  if (train.threads < 0) throw std::invalid_argument(fmt::format("train.threads: expected >= 0, got {}", train.threads));
  const int64_t cores = std::max<int64_t>(1, std::thread::hardware_concurrency());
  settings.threads = train.threads == 0 ? cores : train.threads;
  at::set_num_threads(static_cast<int>(settings.threads));
  retain_freed_host_memory();

  settings.deterministic = train.deterministic;
  if (train.deterministic && cuda && std::getenv("CUBLAS_WORKSPACE_CONFIG") == nullptr) {
    // A program that did not call configure_process first: setting it now helps only if cuBLAS has not
    // started yet, so say so.
    configure_process();
    settings.warnings.push_back(
        "train.deterministic on CUDA: CUBLAS_WORKSPACE_CONFIG was not set at process start "
        "(train::configure_process); cuBLAS results may not be deterministic in this process");
  }
  auto& context = at::globalContext();
  context.setDeterministicAlgorithms(train.deterministic, /*warn_only=*/true);
  context.setDeterministicCuDNN(train.deterministic);
  context.setBenchmarkCuDNN(cuda && !train.deterministic);
  settings.allow_tf32 = false;
  context.setAllowTF32CuBLAS(settings.allow_tf32);
  context.setAllowTF32CuDNN(settings.allow_tf32);
  return settings;
}

void configure_process() {
  // overwrite = 0: a value the user exported wins (":16:8" trades speed for less memory).
  setenv("CUBLAS_WORKSPACE_CONFIG", ":4096:8", /*overwrite=*/0);
}

void seed_everything(uint64_t seed) { at::manual_seed(seed); }

torch::Tensor channels_last_strides(const torch::Tensor& tensor) {
  // contiguous(ChannelsLast) keeps a one-channel NCHW tensor as it is (it counts as channels_last
  // contiguous), but its strides still say NCHW, and convolutions pick their layout from the strides
  // (suggest_memory_format): a net's 1-channel stem would then run NCHW and every layer after it would
  // convert back. This gives real NHWC strides, as PyTorch's .to(memory_format=torch.channels_last).
  if (tensor.dim() != 4 || tensor.suggest_memory_format() == torch::MemoryFormat::ChannelsLast) return tensor;
  return torch::empty_like(tensor, torch::MemoryFormat::ChannelsLast).copy_(tensor);
}

void to_channels_last(torch::nn::Module& module) {
  torch::NoGradGuard no_grad;
  for (auto& tensor : module.parameters()) {
    if (tensor.dim() == 4) tensor.set_data(channels_last_strides(tensor));
  }
  for (auto& tensor : module.buffers()) {
    if (tensor.dim() == 4) tensor.set_data(channels_last_strides(tensor));
  }
}

AutocastGuard::AutocastGuard(bool enabled) : enabled_(enabled) {
  if (!enabled_) return;
#if ABLATE_AUTOCAST_DEVICE_API
  previous_enabled_ = at::autocast::is_autocast_enabled(at::kCUDA);
  previous_dtype_ = at::autocast::get_autocast_dtype(at::kCUDA);
  at::autocast::set_autocast_dtype(at::kCUDA, at::kBFloat16);
  at::autocast::set_autocast_enabled(at::kCUDA, true);
#else
  previous_enabled_ = at::autocast::is_enabled();
  previous_dtype_ = at::autocast::get_autocast_gpu_dtype();
  at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
  at::autocast::set_enabled(true);
#endif
  at::autocast::increment_nesting();
}

AutocastGuard::~AutocastGuard() {
  if (!enabled_) return;
  // As torch.autocast.__exit__: the cast-weight cache lives until the outermost region ends.
  if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
#if ABLATE_AUTOCAST_DEVICE_API
  at::autocast::set_autocast_enabled(at::kCUDA, previous_enabled_);
  at::autocast::set_autocast_dtype(at::kCUDA, previous_dtype_);
#else
  at::autocast::set_enabled(previous_enabled_);
  at::autocast::set_autocast_gpu_dtype(previous_dtype_);
#endif
}

}  // namespace ablate::train
