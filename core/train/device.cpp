#include "core/train/device.h"

#include <cstdlib>
#include <regex>
#include <stdexcept>
#include <thread>

#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <ATen/autocast_mode.h>
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

torch::Device resolve_device(const std::string& device) {
  if (device == "auto") return torch::cuda::is_available() ? torch::Device(torch::kCUDA, 0) : torch::Device(torch::kCPU);
  if (device == "cpu") return torch::Device(torch::kCPU);
  static const std::regex cuda_pattern("cuda(?::([0-9]+))?");
  std::smatch match;
  if (!std::regex_match(device, match, cuda_pattern)) {
    throw std::invalid_argument(fmt::format("train.device: expected auto, cpu, cuda or cuda:N, got '{}'", device));
  }
  if (!torch::cuda::is_available()) {
    throw std::invalid_argument(fmt::format(
        "train.device: '{}' asked for, but CUDA is not available (LibTorch {} sees no GPU); use auto or cpu", device,
        TORCH_VERSION));
  }
  const int64_t index = match[1].matched ? std::stoll(match[1].str()) : 0;
  const int64_t count = static_cast<int64_t>(torch::cuda::device_count());
  if (index >= count) {
    throw std::invalid_argument(
        fmt::format("train.device: '{}' asked for, but only {} CUDA device(s) are visible", device, count));
  }
  return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(index));
}

RuntimeSettings configure_runtime(const config::TrainSpec& train) {
  RuntimeSettings settings;
  settings.device = resolve_device(train.device);
  const bool cuda = settings.device.is_cuda();
  if (train.precision != "fp32" && train.precision != "bf16") {
    throw std::invalid_argument(fmt::format("train.precision: expected fp32 or bf16, got '{}'", train.precision));
  }
  if (train.precision == "bf16" && !cuda) {
    settings.warnings.push_back("train.precision bf16 is used on CUDA only; training in fp32 on the CPU");
  }
  settings.bf16_autocast = train.precision == "bf16" && cuda;
  settings.channels_last = train.channels_last;

  if (train.threads < 0) throw std::invalid_argument(fmt::format("train.threads: expected >= 0, got {}", train.threads));
  const int64_t cores = std::max<int64_t>(1, std::thread::hardware_concurrency());
  settings.threads = train.threads == 0 ? cores : train.threads;
  at::set_num_threads(static_cast<int>(settings.threads));
  retain_freed_host_memory();

  settings.deterministic = train.deterministic;
  if (train.deterministic && cuda && std::getenv("CUBLAS_WORKSPACE_CONFIG") == nullptr) {
    // cuBLAS is deterministic only with a fixed workspace; read when the first handle is created.
    setenv("CUBLAS_WORKSPACE_CONFIG", ":4096:8", /*overwrite=*/0);
  }
  auto& context = at::globalContext();
  context.setDeterministicAlgorithms(train.deterministic, /*warn_only=*/true);
  context.setDeterministicCuDNN(train.deterministic);
  context.setBenchmarkCuDNN(cuda && !train.deterministic);
  return settings;
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
