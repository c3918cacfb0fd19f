#pragma once
// The part of Python's pickle that torch.save uses for a state_dict, read without running any Python:
// dicts (plain and collections.OrderedDict), tensors (torch._utils._rebuild_tensor_v2 over storages kept
// beside the pickle, `persistent_id` records), parameters, LibTorch's typed containers
// (torch.jit._pickle.restore_type_tag), and plain values (None, bool, int, float, str, bytes, tuple,
// list). Any other Python class is not built: it becomes an Object that only carries its name, so a
// caller can say what the file holds instead of what the file is not.
//
// Why not torch::pickle_load: LibTorch 1.13 turns every collections.OrderedDict into None (it expects one
// only as a tensor's empty backward hooks), so a `torch.save(model.state_dict())` file loads as None.
// LibTorch 2.x reads it, but one reader for both versions keeps one behaviour to test.
//
// Files are untrusted input: every read is bounds-checked, and malformed data throws
// std::runtime_error with the byte offset; nothing is executed.
//
// The writing side (pickle_tensor_dict) emits the same subset for ablate's own files.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <torch/types.h>

namespace ablate::models::pickle {

struct Value;
using ValuePtr = std::shared_ptr<Value>;

struct Value {
  enum class Kind { none, boolean, integer, real, string, bytes, tuple, list, dict, tensor, global, object };
  Kind kind = Kind::none;
  bool boolean = false;
  int64_t integer = 0;
  double real = 0;
  std::string text;             // string, bytes; global and object: "module.Class"
  std::vector<ValuePtr> items;  // tuple, list; dict: key0, value0, key1, value1, ... in insertion order
  torch::Tensor tensor;         // tensor
};

// What the kind is called in Python ("dict", "Tensor", "str", or the class name of an object).
std::string type_name(const Value& value);

// A storage named by a persistent id ('storage', torch.<Type>Storage, key, location, numel): a 1-D
// tensor of `numel` elements of `dtype`, on the CPU.
using StorageLoader = std::function<torch::Tensor(const std::string& key, torch::ScalarType dtype, int64_t numel)>;

// Runs the pickle program `data` (protocols 2 to 5) and returns the object it builds.
ValuePtr unpickle(const std::string& data, const StorageLoader& load_storage);

// Pickle opcodes (protocol 2) as Python's pickler writes them.
class PickleWriter {
 public:
  PickleWriter& op(char code);
  PickleWriter& raw(const std::string& bytes);
  PickleWriter& global(const std::string& module, const std::string& name);  // GLOBAL
  PickleWriter& text(const std::string& value);                              // BINUNICODE
  PickleWriter& integer(int64_t value);  // BININT1, BININT2, BININT or LONG1, as Python picks
  PickleWriter& put(uint8_t memo);       // BINPUT
  PickleWriter& get(uint8_t memo);       // BINGET
  PickleWriter& integers(const std::vector<int64_t>& values);  // a tuple of ints
  const std::string& bytes() const { return bytes_; }

 private:
  PickleWriter& little_endian(uint64_t value, int size);
  std::string bytes_;
};

// The class torch.save names for storages of `dtype` ("FloatStorage"); throws for a dtype it has none for.
std::string storage_class(torch::ScalarType dtype);

// The pickle program of Python's torch.save({name: tensor, ...}) for contiguous CPU tensors that own their
// storage: a plain dict in the given order, tensor i a torch._utils._rebuild_tensor_v2 call over persistent
// storage "i" (the archive's data/i). Only globals that torch.load(weights_only=True), PyTorch's default
// since 2.6, accepts appear in it; LibTorch's torch::pickle_save also writes torch.jit._pickle.
// restore_type_tag, which it refuses.
std::string pickle_tensor_dict(const std::vector<std::pair<std::string, torch::Tensor>>& tensors);

}  // namespace ablate::models::pickle
