#pragma once
// Typed reads of ConfigNode values that never throw: a wrong type or an out-of-range value is added to
// an ErrorList with the value's location and key path, and the read returns nullopt so decoding carries
// on and finds the next problem too. Internal to core/config.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/config/config_error.h"
#include "core/config/config_node.h"

namespace ablate::config {

class ValueReader {
 public:
  explicit ValueReader(ErrorList& errors) : errors_(errors) {}

  // Adds "expected ..., got <value>" at the node.
  void fail(const ConfigNode& node, const std::string& expected);
  // Adds a free-form message at the node.
  void error(const SourceLocation& where, const std::string& message);

  // False (with an error) unless the node is a map. A null node counts as an empty map when allow_null.
  bool map(const ConfigNode& node, bool allow_null = true);
  // Every key of `node` must be in `known`; the others are errors at the key with a did-you-mean.
  void check_keys(const ConfigNode& node, const std::vector<std::string>& known);

  // Integer >= min ("a positive integer" for 1, "a non-negative integer" for 0).
  std::optional<int64_t> integer(const ConfigNode& node, int64_t min);
  // A finite number; lo/hi bounds with inclusive flags; `expected` describes the range for messages.
  std::optional<double> number(const ConfigNode& node, double lo, bool lo_inclusive, double hi, bool hi_inclusive,
                               const std::string& expected);
  std::optional<double> number(const ConfigNode& node);  // any finite number
  std::optional<bool> boolean(const ConfigNode& node);
  std::optional<std::string> string(const ConfigNode& node, bool allow_empty = false);
  std::optional<std::string> choice(const ConfigNode& node, const std::vector<std::string>& allowed);
  std::optional<std::vector<int64_t>> integers(const ConfigNode& node, int64_t min);
  std::optional<std::vector<double>> numbers(const ConfigNode& node);
  std::optional<std::vector<std::string>> strings(const ConfigNode& node);

  ErrorList& errors() { return errors_; }

 private:
  ErrorList& errors_;
};

}  // namespace ablate::config
