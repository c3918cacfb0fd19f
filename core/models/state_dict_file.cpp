#include "core/models/state_dict_file.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <stdexcept>

#include <caffe2/serialize/inline_container.h>
#include <caffe2/serialize/read_adapter_interface.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/config/sha256.h"
#include "core/models/state_dict_pickle.h"

namespace ablate::models {

namespace {

// The zip reader over bytes in memory. Unlike caffe2's MemoryReadAdapter it never reads past the end,
// whatever offsets a damaged file's directory claims.
class BytesReadAdapter final : public caffe2::serialize::ReadAdapterInterface {
 public:
  explicit BytesReadAdapter(const std::string& bytes) : bytes_(bytes) {}
  size_t size() const override { return bytes_.size(); }
  size_t read(uint64_t pos, void* buf, size_t n, const char* /*what*/) const override {
    if (pos >= bytes_.size()) return 0;
    n = std::min<size_t>(n, bytes_.size() - static_cast<size_t>(pos));
    std::memcpy(buf, bytes_.data() + pos, n);
    return n;
  }

 private:
  const std::string& bytes_;
};

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(fmt::format("cannot open weights file '{}'", path));
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) throw std::runtime_error(fmt::format("cannot read weights file '{}'", path));
  return bytes.str();
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

std::string record(caffe2::serialize::PyTorchStreamReader& reader, const std::string& name) {
  const auto [data, size] = reader.getRecord(name);
  return std::string(static_cast<const char*>(data.get()), size);
}

// What a file holds when it is not a dict of tensors, and what to save instead.
std::string not_a_state_dict(const pickle::Value& top) {
  if (top.kind == pickle::Value::Kind::object && top.text.rfind("__torch__.", 0) == 0) {
    return fmt::format("it holds a TorchScript object ({}), not a state_dict; save module.state_dict() with "
                       "torch.save instead",
                       top.text);
  }
  if (top.kind != pickle::Value::Kind::dict) {
    return fmt::format("it holds a {}, not a state_dict (a dict of tensors); save model.state_dict() with torch.save",
                       pickle::type_name(top));
  }
  std::vector<std::string> keys;
  std::string nested;
  for (size_t i = 0; i + 1 < top.items.size(); i += 2) {
    const pickle::Value& key = *top.items[i];
    keys.push_back(key.kind == pickle::Value::Kind::string ? key.text : pickle::type_name(key));
    if (nested.empty() && top.items[i + 1]->kind == pickle::Value::Kind::dict) nested = keys.back();
  }
  if (keys.size() > 8) {
    keys.resize(8);
    keys.push_back("...");
  }
  std::string message = fmt::format("it holds a dict whose entries are not all tensors (keys: {}), not a state_dict",
                                    fmt::join(keys, ", "));
  if (!nested.empty()) {
    message += fmt::format("; if the weights are under '{}', save that one: torch.save(d[\"{}\"], ...)", nested, nested);
  }
  return message;
}

}  // namespace

void write_state_dict_file(const std::string& path, const NamedTensors& tensors, const std::string& metadata_json) {
  NamedTensors entries;  // contiguous CPU copies, each with a storage of its own
  for (const auto& [name, tensor] : tensors) {
    entries.emplace_back(name, tensor.detach().to(torch::kCPU).clone(torch::MemoryFormat::Contiguous));
  }
  if (!metadata_json.empty()) {
    torch::Tensor text = torch::empty({static_cast<int64_t>(metadata_json.size())}, torch::kUInt8);
    std::memcpy(text.data_ptr(), metadata_json.data(), metadata_json.size());
    entries.emplace_back(kMetadataKey, text);
  }
  const std::string program = pickle::pickle_tensor_dict(entries);

  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error(fmt::format("cannot write weights file '{}'", path));
  {
    // The archive torch.save writes: data.pkl, the storages as data/<i>, the byte order, the version.
    caffe2::serialize::PyTorchStreamWriter writer([&](const void* data, size_t size) {
      out.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
      return out ? size : 0;
    });
    writer.writeRecord("data.pkl", program.data(), program.size());
    writer.writeRecord("byteorder", "little", 6);
    for (size_t i = 0; i < entries.size(); ++i) {
      const torch::Tensor& t = entries[i].second;
      writer.writeRecord("data/" + std::to_string(i), t.data_ptr(), t.nbytes());
    }
    writer.writeEndOfFile();
  }
  out.close();
  if (!out) throw std::runtime_error(fmt::format("cannot write weights file '{}'", path));
}

StateDictFile read_state_dict_file(const std::string& path) {
  const std::string bytes = read_bytes(path);
  StateDictFile file;
  file.sha256 = config::sha256_hex(bytes);
  const auto fail = [&](const std::string& why) {
    throw std::runtime_error(fmt::format("weights file '{}': {}", path, why));
  };
  if (bytes.rfind("PK\x03\x04", 0) != 0) {
    fail(bytes.rfind("\x80\x02", 0) == 0
             ? "PyTorch's format from before 1.6 (not a zip archive); re-save it in Python 1.6 or later: "
               "torch.save(torch.load(OLD), NEW)"
             : "not a torch.save file (a zip archive holding data.pkl)");
  }

  pickle::ValuePtr top;
  try {
    caffe2::serialize::PyTorchStreamReader reader(std::make_shared<BytesReadAdapter>(bytes));
    if (!reader.hasRecord("data.pkl")) fail("the archive has no data.pkl (is it a torch.save file?)");
    // PyTorch 2.x records the byte order; tensors here are read as little-endian, as 1.x always wrote them.
    if (reader.hasRecord("byteorder") && record(reader, "byteorder") != "little") {
      fail("tensors stored big-endian are not supported");
    }
    const pickle::StorageLoader load_storage = [&](const std::string& key, torch::ScalarType dtype, int64_t numel) {
      const std::string name = "data/" + key;
      if (!reader.hasRecord(name)) fail(fmt::format("storage {} is missing from the archive", name));
      const std::string data = record(reader, name);
      const size_t element = c10::elementSize(dtype);
      if (static_cast<uint64_t>(numel) > data.size() / element) {  // checked before allocating numel elements
        fail(fmt::format("storage {} holds {} bytes, {} elements of {} bytes expected", name, data.size(), numel, element));
      }
      const size_t needed = static_cast<size_t>(numel) * element;
      torch::Tensor storage = torch::empty({numel}, dtype);
      std::memcpy(storage.data_ptr(), data.data(), needed);
      return storage;
    };
    top = pickle::unpickle(record(reader, "data.pkl"), load_storage);
  } catch (const c10::Error& error) {  // the zip reader's own complaints
    fail(first_line(error.what_without_backtrace()));
  } catch (const std::runtime_error& error) {
    const std::string message = error.what();
    if (message.rfind("weights file", 0) == 0) throw;
    fail(message);
  }

  bool only_tensors = top->kind == pickle::Value::Kind::dict;
  for (size_t i = 0; only_tensors && i + 1 < top->items.size(); i += 2) {
    only_tensors = top->items[i]->kind == pickle::Value::Kind::string && top->items[i + 1]->kind == pickle::Value::Kind::tensor;
  }
  if (!only_tensors) fail(not_a_state_dict(*top));
  for (size_t i = 0; i + 1 < top->items.size(); i += 2) {
    const std::string& name = top->items[i]->text;
    const torch::Tensor& tensor = top->items[i + 1]->tensor;
    if (name == kMetadataKey) {
      if (tensor.scalar_type() != torch::kUInt8 || tensor.dim() != 1) fail("its metadata entry is not a byte string");
      const torch::Tensor text = tensor.contiguous();
      file.metadata.assign(static_cast<const char*>(text.data_ptr()), static_cast<size_t>(text.numel()));
    } else {
      file.tensors.emplace_back(name, tensor);
    }
  }
  return file;
}

void load_weights_file(torch::nn::Module& module, const std::string& path, const std::string& expected_sha256,
                       const std::string& what) {
  const StateDictFile file = read_state_dict_file(path);
  if (!expected_sha256.empty() && file.sha256 != expected_sha256) {
    throw std::runtime_error(fmt::format(
        "{}: '{}' has changed since the run was planned (SHA-256 {}, planned with {}); its run key no longer "
        "describes it: run the command again to plan with the new file",
        what, path, file.sha256.substr(0, 12), expected_sha256.substr(0, 12)));
  }
  load_state_dict(module, file.tensors, fmt::format("{} '{}'", what, path));
}

}  // namespace ablate::models
