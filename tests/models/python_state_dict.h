#pragma once
// Weights files as Python's torch.save(model.state_dict()) writes them (PyTorch 1.13, pickle protocol 2),
// made here so the tests need no Python: a zip archive with archive/data.pkl, one archive/data/<key>
// record per storage and archive/version. The pickle program repeats Python's opcode for opcode (compare
// `python3 -m pickletools` on such a file): a collections.OrderedDict built by REDUCE and filled by
// SETITEMS, each tensor a torch._utils._rebuild_tensor_v2 call over a persistent storage id with an empty
// OrderedDict of backward hooks, and finally the BUILD that attaches the `_metadata` attribute. That
// OrderedDict is what LibTorch 1.13's own torch::pickle_load turns into None. (ablate itself writes a plain
// dict: core/models/state_dict_pickle.h.)

#include <caffe2/serialize/inline_container.h>
#include <torch/torch.h>

#include "core/models/state_dict_pickle.h"

#include <cstdint>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

namespace ablate::models::testing {

using pickle::PickleWriter;
using pickle::storage_class;

// The bytes of torch.save(state_dict) for these entries (tensors on the CPU; a non-contiguous one keeps
// its strides, as Python would save it).
inline std::string python_state_dict_bytes(const std::vector<std::pair<std::string, torch::Tensor>>& entries) {
  PickleWriter p;
  p.op('\x80').raw("\x02");  // PROTO 2
  p.global("collections", "OrderedDict").put(0).op(')').op('R').put(1);
  p.op('(');
  std::vector<torch::Tensor> storages;
  for (size_t i = 0; i < entries.size(); ++i) {
    const torch::Tensor& t = entries[i].second;
    p.text(entries[i].first);
    p.global("torch._utils", "_rebuild_tensor_v2");
    p.op('(');
    p.op('(').text("storage").global("torch", storage_class(t.scalar_type())).text(std::to_string(i)).text("cpu");
    p.integer(t.storage().nbytes() / static_cast<int64_t>(t.element_size())).op('t').op('Q');
    p.integer(t.storage_offset()).integers(t.sizes().vec()).integers(t.strides().vec());
    p.op('\x89');                         // requires_grad=False
    p.get(0).op(')').op('R');             // backward_hooks = OrderedDict()
    p.op('t').op('R');
    storages.push_back(t);
  }
  p.op('u');  // SETITEMS
  // state = {'_metadata': OrderedDict({'': {'version': 1}})}, then BUILD.
  p.op('}').text("_metadata").get(0).op(')').op('R');
  p.op('(').text("").op('}').text("version").integer(1).op('s').op('u');
  p.op('s').op('b').op('.');

  std::string zip;
  caffe2::serialize::PyTorchStreamWriter writer([&](const void* data, size_t size) {
    zip.append(static_cast<const char*>(data), size);
    return size;
  });
  writer.writeRecord("data.pkl", p.bytes().data(), p.bytes().size());
  for (size_t i = 0; i < storages.size(); ++i) {
    const torch::Tensor& t = storages[i];
    writer.writeRecord("data/" + std::to_string(i), t.storage().data(), t.storage().nbytes());
  }
  writer.writeEndOfFile();
  return zip;
}

inline void write_python_state_dict(const std::string& path,
                                    const std::vector<std::pair<std::string, torch::Tensor>>& entries) {
  std::ofstream(path, std::ios::binary) << python_state_dict_bytes(entries);
}

}  // namespace ablate::models::testing
