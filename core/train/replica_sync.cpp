#include "core/train/replica_sync.h"

#include <map>
#include <sstream>

#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

namespace ablate::train {

namespace {

// Rank 0's values into `tensors` on every rank: one broadcast per dtype of the tensors flattened together.
void broadcast_from_root(dist::ProcessGroup& replicas, const std::vector<torch::Tensor>& tensors) {
  torch::NoGradGuard no_grad;
  std::map<torch::ScalarType, std::vector<torch::Tensor>> by_type;
  for (const auto& tensor : tensors) by_type[tensor.scalar_type()].push_back(tensor);
  for (auto& [type, group] : by_type) {
    std::vector<torch::Tensor> flat_parts;
    for (const auto& tensor : group) flat_parts.push_back(tensor.reshape({-1}).to(replicas.device()));
    torch::Tensor flat = torch::cat(flat_parts);
    replicas.broadcast(flat);
    int64_t offset = 0;
    for (auto& tensor : group) {
      // copy_ keeps each tensor's own memory format (channels_last weights stay channels_last).
      tensor.copy_(flat.narrow(0, offset, tensor.numel()).view(tensor.sizes()));
      offset += tensor.numel();
    }
  }
}

}  // namespace

void share_root_state(dist::ProcessGroup& replicas, torch::nn::Module& model, torch::optim::Optimizer& optimizer,
                      TrainingProgress& progress) {
  progress.epochs_completed = replicas.broadcast_value(progress.epochs_completed);
  progress.global_step = replicas.broadcast_value(progress.global_step);
  std::vector<torch::Tensor> state = model.parameters();
  for (const auto& buffer : model.buffers()) state.push_back(buffer);
  broadcast_from_root(replicas, state);

  // The optimiser's state (momentum buffers, created lazily) through its own serialisation: the other ranks
  // may not have it yet at all.
  std::string bytes;
  if (replicas.rank() == 0) {
    torch::serialize::OutputArchive archive;
    optimizer.save(archive);
    std::ostringstream out;
    archive.save_to(out);
    bytes = out.str();
  }
  bytes = replicas.broadcast_bytes(bytes);
  if (replicas.rank() != 0) {
    torch::serialize::InputArchive archive;
    const torch::Device device = model.parameters().empty() ? torch::Device(torch::kCPU) : model.parameters().front().device();
    archive.load_from(bytes.data(), bytes.size(), device);
    optimizer.load(archive);
  }
}

void share_root_buffers(dist::ProcessGroup& replicas, torch::nn::Module& model) {
  broadcast_from_root(replicas, model.buffers());
}

void combine_meter(dist::ProcessGroup& replicas, EpochMeter& meter) {
  meter.combine([&](torch::Tensor& sums) { replicas.all_reduce(sums, dist::Reduce::sum); },
                [&](torch::Tensor& firsts) { replicas.all_reduce(firsts, dist::Reduce::min); });
}

}  // namespace ablate::train
