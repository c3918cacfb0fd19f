#pragma once
// ConfigNode: a YAML document as a plain tree in which every value and every key remembers where it came
// from (file, line, column and its key path). yaml-cpp's own nodes lose their marks as soon as they are
// copied into a new map, and silently accept duplicate keys; this tree is built once per file with both
// checked, then deep-merged (extended file, base, profile, variant, --set) without losing any location,
// so an error found after merging still points at the line that wrote the value.

#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/config/config_error.h"

namespace ablate::config {

// A vector that copies share until one of them changes it. Every run's settings are the layers merged
// anew, and a merge copies the maps it merges into: with shared children a copy costs the entries of one
// map, not everything under it, so a large value in a base (valid or not) is not copied once per
// variant and profile.
template <typename T>
class SharedVector {
 public:
  using const_iterator = typename std::vector<T>::const_iterator;

  std::size_t size() const noexcept { return data_ ? data_->size() : 0; }
  bool empty() const noexcept { return size() == 0; }
  const T& operator[](std::size_t i) const { return (*data_)[i]; }
  const_iterator begin() const { return data_ ? data_->cbegin() : const_iterator(); }
  const_iterator end() const { return data_ ? data_->cend() : const_iterator(); }
  void push_back(T value) { mutable_vector().push_back(std::move(value)); }
  // The elements for changing them; copies them first when another node shares them.
  std::vector<T>& mutable_vector() {
    if (!data_) {
      data_ = std::make_shared<std::vector<T>>();
    } else if (data_.use_count() > 1) {
      data_ = std::make_shared<std::vector<T>>(*data_);
    }
    return *data_;
  }

 private:
  std::shared_ptr<std::vector<T>> data_;
};

struct ConfigNode {
  enum class Kind { null, scalar, sequence, map };

  struct Entry;

  Kind kind = Kind::null;
  std::string scalar;  // text of a scalar, as written (without quotes)
  bool quoted = false; // scalar was quoted in YAML: always a string, never a number or bool
  SharedVector<ConfigNode> items;  // sequence
  SharedVector<Entry> entries;     // map, in document order, keys unique
  SourceLocation location;        // of the value (for a null value: of its key)

  bool is_null() const { return kind == Kind::null; }
  bool is_scalar() const { return kind == Kind::scalar; }
  bool is_sequence() const { return kind == Kind::sequence; }
  bool is_map() const { return kind == Kind::map; }

  // Map lookup; nullptr when absent or when this is not a map.
  const ConfigNode* find(const std::string& key) const;
  ConfigNode* find(const std::string& key);
  const Entry* find_entry(const std::string& key) const;
  bool contains(const std::string& key) const { return find(key) != nullptr; }
  // Removes a key from a map; no-op when absent.
  void erase(const std::string& key);
  // Sets (replacing) or appends a map entry.
  void set(const std::string& key, const SourceLocation& key_location, ConfigNode value);

  // For messages: `"32x"`, `[...]`, `{...}`, `null`.
  std::string describe() const;
};

struct ConfigNode::Entry {
  std::string key;
  SourceLocation key_location;
  ConfigNode value;
};

// An empty map located at `where`.
ConfigNode make_map(const SourceLocation& where);

// What one YAML text may hold: its size, and its nodes counted with every alias expanded. A few hundred
// bytes of nested aliases ("billion laughs") stand for billions of nodes; the expanded count is taken
// from the parser's events, before any node is built, so such a file costs time and memory in
// proportion to its size, never to its expansion. An experiment file holds a few hundred nodes.
constexpr std::size_t kMaxYamlBytes = 16u * 1024 * 1024;
constexpr std::size_t kMaxYamlNodes = 1000000;

// Parses one YAML document. `file` is used in locations and messages as given. Tabs in indentation,
// duplicate keys, non-scalar keys, malformed YAML, trailing documents and a text past the limits above
// are all reported with file:line:column. Throws ConfigError (collecting every tab and duplicate it finds).
ConfigNode parse_yaml(const std::string& text, const std::string& file);

// Reads and parses a file; a missing or unreadable file is a ConfigError naming it. Reads no more than
// kMaxYamlBytes + 1 bytes, whatever the file's size.
ConfigNode parse_yaml_file(const std::string& path);

// Keys whose presence in an overlay map replaces the other keys of its group in the base map, so a
// variant that says `blocks:` overrides a base `depth:` instead of conflicting with it.
using ExclusiveKeys = std::vector<std::vector<std::string>>;

// Deep merge, `overlay` over `base`: maps merge key by key (recursively), scalars and lists replace, and a
// null overlay (an empty `model:`) leaves a base map as it is. `exclusive` applies to maps whose key path ends with one of `exclusive_maps`.
ConfigNode merge(const ConfigNode& base, const ConfigNode& overlay, const ExclusiveKeys& exclusive = {},
                 const std::vector<std::string>& exclusive_maps = {});

// A command-line override "path.to.key=value". The value is parsed as YAML flow ("2", "0.1", "[30, 60]",
// "{kind: cosine}", "fashion-mnist"). Returns a tree {path: {to: {key: value}}} whose locations name the
// argument. Throws ConfigError for a missing '=', an empty or malformed path, or a malformed value (the
// value is bounded as a file is).
ConfigNode parse_set_override(const std::string& assignment);

}  // namespace ablate::config
