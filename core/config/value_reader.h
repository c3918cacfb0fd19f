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

// The range of a bounded number, printed as intervals are in mathematics, "(0, 1e6]" or "[0, 1)", so
// every range message names both ends.
struct Bounds {
  double lo = 0;
  bool lo_inclusive = true;
  double hi = 0;
  bool hi_inclusive = true;

  bool contains(double value) const;
  std::string describe() const;
};

// A bound as people write it: 64, 0.5, 1e6 (not 1000000 or 1e+06).
std::string format_bound(double value);

class ValueReader {
 public:
  explicit ValueReader(ErrorList& errors) : errors_(errors) {}

  // Adds "expected ..., got <value>" at the node.
  void fail(const ConfigNode& node, const std::string& expected);
  // Adds a free-form message at the node.
  void error(const SourceLocation& where, const std::string& message);
  // Problems found through this reader, repeats included. A caller that must not go on after a bad value
  // compares this before and after its reads: the ErrorList's size does not grow for a message it already
  // holds (the same bad value seen again for the next variant), this count does.
  size_t failures() const noexcept { return failures_; }

  // False (with an error) unless the node is a map. A null node counts as an empty map when allow_null.
  bool map(const ConfigNode& node, bool allow_null = true);
  // Every key of `node` must be in `known`; the others are errors at the key with a did-you-mean.
  void check_keys(const ConfigNode& node, const std::vector<std::string>& known);

  // Integer >= min ("a positive integer" for 1, "a non-negative integer" for 0).
  std::optional<int64_t> integer(const ConfigNode& node, int64_t min);
  // A finite number within `bounds`; the message reads "expected <what> in <bounds>, got ...".
  std::optional<double> number(const ConfigNode& node, const Bounds& bounds, const std::string& what = "a number");
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
  size_t failures_ = 0;
};

}  // namespace ablate::config
