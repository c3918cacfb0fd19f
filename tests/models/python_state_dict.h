#pragma once
// Weights files as Python's torch.save(model.state_dict()) writes them (PyTorch 1.13, pickle protocol 2),
// made here so the tests need no Python: a zip archive with archive/data.pkl, one archive/data/<key>
// record per storage and archive/version. The pickle program repeats Python's opcode for opcode (compare
// `python3 -m pickletools` on such a file): a collections.OrderedDict built by REDUCE and filled by
// SETITEMS, each tensor a torch._utils._rebuild_tensor_v2 call over a persistent storage id with an empty
// OrderedDict of backward hooks, and finally the BUILD that attaches the `_metadata` attribute. That
// OrderedDict is what LibTorch 1.13's own torch::pickle_load turns into None.

#include <caffe2/serialize/inline_container.h>
#include <torch/torch.h>

#include <cstdint>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

namespace ablate::models::testing {

class PickleWriter {
 public:
  PickleWriter& op(char code) {
    bytes_ += code;
    return *this;
  }
  PickleWriter& raw(const std::string& text) {
    bytes_ += text;
    return *this;
  }
  PickleWriter& global(const std::string& module, const std::string& name) { return op('c').raw(module + "\n" + name + "\n"); }
  PickleWriter& text(const std::string& value) {  // BINUNICODE
    op('X');
    le(value.size(), 4);
    return raw(value);
  }
  PickleWriter& integer(int64_t value) {  // as Python picks: BININT1, BININT2, BININT
    if (value >= 0 && value < 256) return op('K').le(static_cast<uint64_t>(value), 1);
    if (value >= 0 && value < 65536) return op('M').le(static_cast<uint64_t>(value), 2);
    return op('J').le(static_cast<uint64_t>(value), 4);
  }
  PickleWriter& put(uint8_t memo) { return op('q').le(memo, 1); }  // BINPUT
  PickleWriter& get(uint8_t memo) { return op('h').le(memo, 1); }  // BINGET
  PickleWriter& ints(const std::vector<int64_t>& values) {         // a tuple of ints, as Python writes it
    if (values.empty()) return op(')');
    if (values.size() <= 3) {
      for (int64_t v : values) integer(v);
      return op(static_cast<char>(0x84 + values.size()));
    }
    op('(');
    for (int64_t v : values) integer(v);
    return op('t');
  }
  const std::string& bytes() const { return bytes_; }

 private:
  PickleWriter& le(uint64_t value, int size) {
    for (int i = 0; i < size; ++i) bytes_ += static_cast<char>((value >> (8 * i)) & 0xff);
    return *this;
  }
  std::string bytes_;
};

inline std::string storage_class(torch::ScalarType dtype) {
  switch (dtype) {
    case torch::kFloat: return "FloatStorage";
    case torch::kLong: return "LongStorage";
    case torch::kDouble: return "DoubleStorage";
    case torch::kHalf: return "HalfStorage";
    default: throw std::invalid_argument("storage_class: dtype not used by the tests");
  }
}

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
    p.integer(t.storage_offset()).ints(t.sizes().vec()).ints(t.strides().vec());
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
