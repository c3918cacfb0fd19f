#include "core/models/state_dict_pickle.h"

#include <climits>
#include <cstdint>
#include <cstring>
#include <map>
#include <stdexcept>
#include <unordered_map>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace ablate::models::pickle {

namespace {

// The storage classes torch.save names in a persistent id, by the dtype of their elements.
const std::map<std::string, torch::ScalarType>& storage_types() {
  static const std::map<std::string, torch::ScalarType> types = {
      {"torch.FloatStorage", torch::kFloat},     {"torch.DoubleStorage", torch::kDouble},
      {"torch.HalfStorage", torch::kHalf},       {"torch.BFloat16Storage", torch::kBFloat16},
      {"torch.LongStorage", torch::kLong},       {"torch.IntStorage", torch::kInt},
      {"torch.ShortStorage", torch::kShort},     {"torch.CharStorage", torch::kChar},
      {"torch.ByteStorage", torch::kByte},       {"torch.BoolStorage", torch::kBool},
  };
  return types;
}

ValuePtr make(Value::Kind kind) {
  auto value = std::make_shared<Value>();
  value->kind = kind;
  return value;
}

class Machine {
 public:
  Machine(const std::string& data, const StorageLoader& load_storage) : data_(data), load_storage_(load_storage) {}

  ValuePtr run() {
    while (true) {
      const size_t at = pos_;
      const auto opcode = static_cast<unsigned char>(byte());
      if (opcode == '.') {  // STOP
        if (stack_.empty()) fail(at, "STOP with an empty stack");
        return stack_.back();
      }
      step(opcode, at);
    }
  }

 private:
  [[noreturn]] void fail(size_t at, const std::string& what) const {
    throw std::runtime_error(fmt::format("malformed pickle at byte {}: {}", at, what));
  }

  char byte() {
    if (pos_ >= data_.size()) fail(pos_, "the data ends before STOP");
    return data_[pos_++];
  }
  std::string bytes(uint64_t count) {
    if (count > data_.size() - pos_) fail(pos_, fmt::format("{} bytes wanted, {} left", count, data_.size() - pos_));
    std::string out = data_.substr(pos_, count);
    pos_ += count;
    return out;
  }
  // Little-endian unsigned integer of `size` bytes.
  uint64_t unsigned_le(size_t size) {
    const std::string raw = bytes(size);
    uint64_t value = 0;
    for (size_t i = 0; i < size; ++i) value |= static_cast<uint64_t>(static_cast<unsigned char>(raw[i])) << (8 * i);
    return value;
  }
  std::string line() {
    const size_t end = data_.find('\n', pos_);
    if (end == std::string::npos) fail(pos_, "unterminated line");
    std::string out = data_.substr(pos_, end - pos_);
    pos_ = end + 1;
    return out;
  }

  ValuePtr pop(size_t at) {
    if (stack_.size() <= (marks_.empty() ? 0 : marks_.back())) fail(at, "pop from an empty stack");
    ValuePtr value = std::move(stack_.back());
    stack_.pop_back();
    return value;
  }
  ValuePtr& top(size_t at) {
    if (stack_.empty()) fail(at, "empty stack");
    return stack_.back();
  }
  // The items pushed since the last MARK, removed from the stack with the mark.
  std::vector<ValuePtr> pop_mark(size_t at) {
    if (marks_.empty()) fail(at, "no MARK");
    const size_t start = marks_.back();
    marks_.pop_back();
    std::vector<ValuePtr> items(std::make_move_iterator(stack_.begin() + static_cast<std::ptrdiff_t>(start)),
                                std::make_move_iterator(stack_.end()));
    stack_.resize(start);
    return items;
  }

  void push(ValuePtr value) { stack_.push_back(std::move(value)); }
  void push_integer(int64_t v) {
    auto value = make(Value::Kind::integer);
    value->integer = v;
    push(std::move(value));
  }
  void push_text(Value::Kind kind, std::string text) {
    auto value = make(kind);
    value->text = std::move(text);
    push(std::move(value));
  }
  void push_sequence(Value::Kind kind, std::vector<ValuePtr> items) {
    auto value = make(kind);
    value->items = std::move(items);
    push(std::move(value));
  }

  void memo_put(uint64_t index, size_t at) { memo_[index] = top(at); }
  void memo_get(uint64_t index, size_t at) {
    const auto found = memo_.find(index);
    if (found == memo_.end()) fail(at, fmt::format("memo entry {} was never stored", index));
    push(found->second);
  }

  ValuePtr& expect(ValuePtr& value, Value::Kind kind, const char* what, size_t at) {
    if (value->kind != kind) fail(at, fmt::format("{} expected, found {}", what, type_name(*value)));
    return value;
  }

  void add_items(Value& container, std::vector<ValuePtr> items, size_t at) {
    if (container.kind == Value::Kind::dict && items.size() % 2 != 0) fail(at, "odd number of dict items");
    if (container.kind != Value::Kind::dict && container.kind != Value::Kind::list) {
      fail(at, fmt::format("items added to a {}", type_name(container)));
    }
    for (auto& item : items) container.items.push_back(std::move(item));
  }

  void step(unsigned char opcode, size_t at) {
    switch (opcode) {
      case 0x80: byte(); break;                 // PROTO
      case 0x95: unsigned_le(8); break;         // FRAME: a length hint only
      case '(': marks_.push_back(stack_.size()); break;
      case ')': push_sequence(Value::Kind::tuple, {}); break;
      case 0x85: case 0x86: case 0x87: {        // TUPLE1..3
        const size_t n = opcode - 0x84u;
        std::vector<ValuePtr> items(n);
        for (size_t i = n; i-- > 0;) items[i] = pop(at);
        push_sequence(Value::Kind::tuple, std::move(items));
        break;
      }
      case 't': push_sequence(Value::Kind::tuple, pop_mark(at)); break;
      case ']': push_sequence(Value::Kind::list, {}); break;
      case 'l': push_sequence(Value::Kind::list, pop_mark(at)); break;
      case '}': push_sequence(Value::Kind::dict, {}); break;
      case 'a': {  // APPEND
        ValuePtr item = pop(at);
        add_items(*top(at), {std::move(item)}, at);
        break;
      }
      case 'e': case 'u': {  // APPENDS, SETITEMS
        std::vector<ValuePtr> items = pop_mark(at);
        add_items(*top(at), std::move(items), at);
        break;
      }
      case 's': {  // SETITEM
        ValuePtr value = pop(at);
        ValuePtr key = pop(at);
        add_items(*top(at), {std::move(key), std::move(value)}, at);
        break;
      }
      case 'N': push(make(Value::Kind::none)); break;
      case 0x88: case 0x89: {  // NEWTRUE, NEWFALSE
        auto value = make(Value::Kind::boolean);
        value->boolean = opcode == 0x88;
        push(std::move(value));
        break;
      }
      case 'K': push_integer(static_cast<int64_t>(unsigned_le(1))); break;
      case 'M': push_integer(static_cast<int64_t>(unsigned_le(2))); break;
      case 'J': push_integer(static_cast<int32_t>(static_cast<uint32_t>(unsigned_le(4)))); break;
      case 0x8a: {  // LONG1: a two's-complement integer of n bytes
        const auto n = static_cast<size_t>(unsigned_le(1));
        if (n > 8) fail(at, fmt::format("integer of {} bytes", n));
        uint64_t raw = n == 0 ? 0 : unsigned_le(n);
        if (n > 0 && n < 8 && (raw >> (8 * n - 1)) != 0) raw |= ~uint64_t{0} << (8 * n);  // sign extension
        push_integer(static_cast<int64_t>(raw));
        break;
      }
      case 'G': {  // BINFLOAT: big-endian IEEE double
        const std::string raw = bytes(8);
        uint64_t bits = 0;
        for (char c : raw) bits = (bits << 8) | static_cast<unsigned char>(c);
        auto value = make(Value::Kind::real);
        std::memcpy(&value->real, &bits, sizeof bits);
        push(std::move(value));
        break;
      }
      case 0x8c: push_text(Value::Kind::string, bytes(unsigned_le(1))); break;  // SHORT_BINUNICODE
      case 'X': push_text(Value::Kind::string, bytes(unsigned_le(4))); break;   // BINUNICODE
      case 0x8d: push_text(Value::Kind::string, bytes(unsigned_le(8))); break;  // BINUNICODE8
      case 'U': push_text(Value::Kind::string, bytes(unsigned_le(1))); break;   // SHORT_BINSTRING
      case 'T': push_text(Value::Kind::string, bytes(unsigned_le(4))); break;   // BINSTRING
      case 'C': push_text(Value::Kind::bytes, bytes(unsigned_le(1))); break;    // SHORT_BINBYTES
      case 'B': push_text(Value::Kind::bytes, bytes(unsigned_le(4))); break;    // BINBYTES
      case 'c': {  // GLOBAL module\nname\n
        std::string module = line();
        push_text(Value::Kind::global, module + "." + line());
        break;
      }
      case 0x93: {  // STACK_GLOBAL
        ValuePtr name = pop(at);
        ValuePtr module = pop(at);
        expect(name, Value::Kind::string, "a class name", at);
        expect(module, Value::Kind::string, "a module name", at);
        push_text(Value::Kind::global, module->text + "." + name->text);
        break;
      }
      case 'q': memo_put(unsigned_le(1), at); break;   // BINPUT
      case 'r': memo_put(unsigned_le(4), at); break;   // LONG_BINPUT
      case 0x94: memo_put(memo_.size(), at); break;    // MEMOIZE
      case 'h': memo_get(unsigned_le(1), at); break;   // BINGET
      case 'j': memo_get(unsigned_le(4), at); break;   // LONG_BINGET
      case '0': pop(at); break;                        // POP
      case '1': pop_mark(at); break;                   // POP_MARK
      case 'R': case 0x81: {  // REDUCE callable(*args), NEWOBJ cls.__new__(cls, *args)
        ValuePtr args = pop(at);
        ValuePtr callable = pop(at);
        expect(args, Value::Kind::tuple, "an argument tuple", at);
        expect(callable, Value::Kind::global, "a class or function", at);
        push(call(callable->text, args->items, at));
        break;
      }
      case 'b': {  // BUILD: obj.__setstate__(state)
        // The state of what a state_dict holds carries nothing the weights need: an OrderedDict's
        // `_metadata` (module versions), a tensor subclass's Python attributes. It is dropped.
        pop(at);
        top(at);
        break;
      }
      case 'Q': push(persistent_load(pop(at), at)); break;  // BINPERSID
      default: fail(at, fmt::format("unsupported pickle opcode 0x{:02x}", opcode));
    }
  }

  ValuePtr call(const std::string& name, const std::vector<ValuePtr>& args, size_t at) {
    if (name == "collections.OrderedDict") {
      auto dict = make(Value::Kind::dict);
      if (!args.empty() && args[0]->kind == Value::Kind::list) {  // OrderedDict([(key, value), ...])
        for (const ValuePtr& pair : args[0]->items) {
          if (pair->kind != Value::Kind::tuple || pair->items.size() != 2) fail(at, "OrderedDict item is not a pair");
          dict->items.push_back(pair->items[0]);
          dict->items.push_back(pair->items[1]);
        }
      }
      return dict;
    }
    if (name == "torch._utils._rebuild_tensor_v2" || name == "torch._utils._rebuild_tensor") {
      return rebuild_tensor(args, at);
    }
    // A parameter pickled as such (a dict of named_parameters()): its data is the tensor.
    if (name == "torch._utils._rebuild_parameter" || name == "torch._utils._rebuild_parameter_with_state" ||
        name == "torch.jit._pickle.restore_type_tag") {  // LibTorch's pickler tags typed containers: (obj, type)
      if (args.empty()) fail(at, name + " without arguments");
      return args[0];
    }
    auto object = make(Value::Kind::object);
    object->text = name;
    return object;
  }

  std::vector<int64_t> integers(const ValuePtr& tuple, const char* what, size_t at) {
    if (tuple->kind != Value::Kind::tuple) fail(at, fmt::format("tensor {} is not a tuple", what));
    std::vector<int64_t> out;
    for (const ValuePtr& item : tuple->items) {
      if (item->kind != Value::Kind::integer || item->integer < 0) fail(at, fmt::format("bad tensor {}", what));
      out.push_back(item->integer);
    }
    return out;
  }

  // _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata]).
  ValuePtr rebuild_tensor(const std::vector<ValuePtr>& args, size_t at) {
    if (args.size() < 4 || args[0]->kind != Value::Kind::tensor || args[1]->kind != Value::Kind::integer) {
      fail(at, "tensor arguments are not (storage, offset, size, stride, ...)");
    }
    const torch::Tensor& storage = args[0]->tensor;
    const int64_t offset = args[1]->integer;
    const std::vector<int64_t> size = integers(args[2], "size", at);
    const std::vector<int64_t> stride = integers(args[3], "stride", at);
    if (size.size() != stride.size()) fail(at, "tensor size and stride differ in length");
    // The view must stay inside its storage: a corrupt file must not read past it.
    int64_t last = offset;
    bool empty = false;
    for (size_t d = 0; d < size.size(); ++d) {
      if (size[d] == 0) empty = true;
      if (size[d] > 0 && stride[d] > (int64_t{1} << 40)) fail(at, "tensor stride out of range");
      last += (size[d] > 0 ? size[d] - 1 : 0) * stride[d];
    }
    if (offset < 0 || (!empty && last >= storage.numel())) {
      fail(at, fmt::format("tensor of size {} at offset {} reaches past its storage of {} elements",
                           fmt::join(size, "x"), offset, storage.numel()));
    }
    auto value = make(Value::Kind::tensor);
    value->tensor = storage.as_strided(size, stride, offset);
    return value;
  }

  // ('storage', torch.<Type>Storage, key, location, numel): the storage is the archive's data/<key>. The
  // same key twice is the same storage (tensors that share memory in Python share it here too).
  ValuePtr persistent_load(const ValuePtr& id, size_t at) {
    const auto& items = id->items;
    if (id->kind != Value::Kind::tuple || items.size() < 5 || items[0]->kind != Value::Kind::string ||
        items[0]->text != "storage" || items[1]->kind != Value::Kind::global ||
        items[2]->kind != Value::Kind::string || items[4]->kind != Value::Kind::integer || items[4]->integer < 0) {
      fail(at, "persistent id is not ('storage', type, key, location, numel)");
    }
    const auto type = storage_types().find(items[1]->text);
    if (type == storage_types().end()) fail(at, fmt::format("unsupported storage type {}", items[1]->text));
    const std::string& key = items[2]->text;
    auto found = storages_.find(key);
    if (found == storages_.end()) {
      found = storages_.emplace(key, load_storage_(key, type->second, items[4]->integer)).first;
    } else if (found->second.scalar_type() != type->second) {
      fail(at, fmt::format("storage {} is read as two types", key));
    }
    auto value = make(Value::Kind::tensor);
    value->tensor = found->second;
    return value;
  }

  const std::string& data_;
  const StorageLoader& load_storage_;
  size_t pos_ = 0;
  std::vector<ValuePtr> stack_;
  std::vector<size_t> marks_;
  std::unordered_map<uint64_t, ValuePtr> memo_;
  std::map<std::string, torch::Tensor> storages_;
};

}  // namespace

std::string type_name(const Value& value) {
  switch (value.kind) {
    case Value::Kind::none: return "None";
    case Value::Kind::boolean: return "bool";
    case Value::Kind::integer: return "int";
    case Value::Kind::real: return "float";
    case Value::Kind::string: return "str";
    case Value::Kind::bytes: return "bytes";
    case Value::Kind::tuple: return "tuple";
    case Value::Kind::list: return "list";
    case Value::Kind::dict: return "dict";
    case Value::Kind::tensor: return "Tensor";
    case Value::Kind::global: return "class " + value.text;
    case Value::Kind::object: return value.text;
  }
  return "?";
}

ValuePtr unpickle(const std::string& data, const StorageLoader& load_storage) {
  return Machine(data, load_storage).run();
}

PickleWriter& PickleWriter::op(char code) {
  bytes_ += code;
  return *this;
}
PickleWriter& PickleWriter::raw(const std::string& bytes) {
  bytes_ += bytes;
  return *this;
}
PickleWriter& PickleWriter::global(const std::string& module, const std::string& name) {
  return op('c').raw(module + "\n" + name + "\n");
}
PickleWriter& PickleWriter::text(const std::string& value) { return op('X').little_endian(value.size(), 4).raw(value); }
PickleWriter& PickleWriter::integer(int64_t value) {
  if (value >= 0 && value < 256) return op('K').little_endian(static_cast<uint64_t>(value), 1);
  if (value >= 0 && value < 65536) return op('M').little_endian(static_cast<uint64_t>(value), 2);
  if (value >= INT32_MIN && value <= INT32_MAX) return op('J').little_endian(static_cast<uint32_t>(value), 4);
  return op('\x8a').little_endian(8, 1).little_endian(static_cast<uint64_t>(value), 8);  // LONG1
}
PickleWriter& PickleWriter::put(uint8_t memo) { return op('q').little_endian(memo, 1); }
PickleWriter& PickleWriter::get(uint8_t memo) { return op('h').little_endian(memo, 1); }
PickleWriter& PickleWriter::integers(const std::vector<int64_t>& values) {
  if (values.empty()) return op(')');
  if (values.size() <= 3) {
    for (int64_t v : values) integer(v);
    return op(static_cast<char>(0x84 + values.size()));  // TUPLE1..3
  }
  op('(');
  for (int64_t v : values) integer(v);
  return op('t');
}
PickleWriter& PickleWriter::little_endian(uint64_t value, int size) {
  for (int i = 0; i < size; ++i) bytes_ += static_cast<char>((value >> (8 * i)) & 0xff);
  return *this;
}

std::string storage_class(torch::ScalarType dtype) {
  for (const auto& [name, type] : storage_types()) {
    if (type == dtype) return name.substr(name.find('.') + 1);
  }
  throw std::invalid_argument(fmt::format("no torch storage class for dtype {}", c10::toString(dtype)));
}

std::string pickle_tensor_dict(const std::vector<std::pair<std::string, torch::Tensor>>& tensors) {
  PickleWriter p;
  p.op('\x80').raw("\x02");  // PROTO 2
  p.op('}');                  // EMPTY_DICT
  if (!tensors.empty()) p.op('(');
  for (size_t i = 0; i < tensors.size(); ++i) {
    const torch::Tensor& t = tensors[i].second;
    if (!t.device().is_cpu() || !t.is_contiguous() || t.storage_offset() != 0 ||
        t.storage().nbytes() != t.nbytes()) {
      throw std::invalid_argument("pickle_tensor_dict: " + tensors[i].first + " is not a contiguous CPU tensor with "
                                  "its own storage");
    }
    p.text(tensors[i].first);
    p.global("torch._utils", "_rebuild_tensor_v2").op('(');
    p.op('(').text("storage").global("torch", storage_class(t.scalar_type())).text(std::to_string(i)).text("cpu");
    p.integer(t.numel()).op('t').op('Q');  // BINPERSID: the storage is data/<i>
    p.integer(0).integers(t.sizes().vec()).integers(t.strides().vec());
    p.op('\x89');                                              // requires_grad=False
    p.global("collections", "OrderedDict").op(')').op('R');   // backward_hooks = OrderedDict()
    p.op('t').op('R');
  }
  if (!tensors.empty()) p.op('u');  // SETITEMS
  p.op('.');
  return p.bytes();
}

}  // namespace ablate::models::pickle
