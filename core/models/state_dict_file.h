#pragma once
// Weights files exchanged with Python: a state_dict in the zip/pickle format of torch.save (PyTorch 1.6
// and later), which torch.load reads into a plain dict[str, Tensor].
//
// Written by ablate (write_state_dict_file): the archive and pickle Python's torch.save writes for a plain
// dict (state_dict_pickle.h), not LibTorch's torch::pickle_save, whose type tags torch.load(weights_only=True)
// refuses, and that is torch.load's default since PyTorch 2.6. The model's entries in PyTorch's order with
// torchvision's names, CPU tensors in the default contiguous layout, plus one entry kMetadataKey: a 1-D
// uint8 tensor holding a JSON object (UTF-8) that says where the weights came from.
// The metadata is a tensor rather than a str so that the file is a dict[str, Tensor] like any state_dict;
// load_state_dict(strict=False) ignores it as an unexpected key, or Python drops it:
//   d = torch.load("model.pt")
//   meta = json.loads(d.pop("_ablate_metadata").numpy().tobytes())
//   torchvision.models.resnext50_32x4d(num_classes=meta["model"]["num_classes"]).load_state_dict(d)
//
// Read by ablate (read_state_dict_file): its own files and Python's torch.save(model.state_dict()) or of
// any dict of tensors (state_dict_pickle.h). The old pre-1.6 format, TorchScript archives, whole pickled
// models and checkpoint dicts (epoch, optimizer, ...) are refused with a line saying what the file holds
// and what to save instead.

#include <string>

#include <torch/nn/module.h>

#include "core/models/state_dict.h"

namespace ablate::models {

// The entry that holds ablate's metadata JSON; never a parameter or buffer name (they never start with _).
inline constexpr const char* kMetadataKey = "_ablate_metadata";

struct StateDictFile {
  NamedTensors tensors;  // in file order, without the metadata entry
  std::string metadata;  // the metadata JSON text; "" when the file has none (e.g. written by Python)
  std::string sha256;    // of the file's bytes, as sha256sum prints it
};

// Writes `tensors` (copied to the CPU, contiguous) and `metadata_json` (skipped when empty) to `path`.
// Throws std::runtime_error naming the path when it cannot be written.
void write_state_dict_file(const std::string& path, const NamedTensors& tensors, const std::string& metadata_json);

// Reads a state_dict file. Throws std::runtime_error naming the path and what is wrong with it.
StateDictFile read_state_dict_file(const std::string& path);

// read_state_dict_file + load_state_dict (state_dict.h) into `module`. `expected_sha256`, when not empty,
// is the digest the caller planned with (a run key hashes it): a file changed since is refused. `what` names
// the setting in errors, e.g. "model.init_from".
void load_weights_file(torch::nn::Module& module, const std::string& path, const std::string& expected_sha256,
                       const std::string& what);

}  // namespace ablate::models
