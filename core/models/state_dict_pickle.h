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

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
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

}  // namespace ablate::models::pickle
