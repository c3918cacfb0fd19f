#include "core/config/value_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <regex>

namespace ablate::config {

bool Bounds::contains(double value) const {
  return (lo_inclusive ? value >= lo : value > lo) && (hi_inclusive ? value <= hi : value < hi);
}

std::string Bounds::describe() const {
  return fmt::format("{}{}, {}{}", lo_inclusive ? '[' : '(', format_bound(lo), format_bound(hi),
                     hi_inclusive ? ']' : ')');
}

std::string format_bound(double value) {
  if (std::fabs(value) < 1e5) return fmt::format("{}", value);
  std::string text = fmt::format("{:g}", value);  // 1e+06
  const size_t e = text.find("e+");
  if (e == std::string::npos) return text;
  size_t digits = e + 2;
  while (digits + 1 < text.size() && text[digits] == '0') ++digits;
  return text.substr(0, e + 1) + text.substr(digits);
}

void ValueReader::fail(const ConfigNode& node, const std::string& expected) {
  ++failures_;
  errors_.add(node.location, fmt::format("expected {}, got {}", expected, node.describe()));
}

void ValueReader::error(const SourceLocation& where, const std::string& message) {
  ++failures_;
  errors_.add(where, message);
}

bool ValueReader::map(const ConfigNode& node, bool allow_null) {
  if (node.is_map() || (allow_null && node.is_null())) return true;
  fail(node, "a map of keys");
  return false;
}

void ValueReader::check_keys(const ConfigNode& node, const std::vector<std::string>& known) {
  for (const auto& e : node.entries) {
    if (std::find(known.begin(), known.end(), e.key) != known.end()) continue;
    std::string list;
    for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
    error(e.key_location,
          fmt::format("unknown key \"{}\"{}; expected one of: {}", e.key, suggestion_suffix(e.key, known), list));
  }
}

namespace {
const char* integer_expectation(int64_t min) {
  return min == 1 ? "a positive integer" : min == 0 ? "a non-negative integer" : nullptr;
}
}  // namespace

std::optional<int64_t> ValueReader::integer(const ConfigNode& node, int64_t min) {
  const std::string expected =
      integer_expectation(min) ? integer_expectation(min) : fmt::format("an integer >= {}", min);
  static const std::regex integer_re(R"([-+]?[0-9]+)");
  if (!node.is_scalar() || node.quoted || !std::regex_match(node.scalar, integer_re)) {
    fail(node, expected);
    return std::nullopt;
  }
  errno = 0;
  const long long value = std::strtoll(node.scalar.c_str(), nullptr, 10);
  if (errno == ERANGE || value < min) {
    fail(node, expected);
    return std::nullopt;
  }
  return static_cast<int64_t>(value);
}

std::optional<double> ValueReader::number(const ConfigNode& node) {
  if (node.is_scalar() && !node.quoted && !node.scalar.empty()) {
    char* end = nullptr;
    errno = 0;
    const double value = std::strtod(node.scalar.c_str(), &end);
    // strtod also reads "inf", "nan" and hex floats; a config value is a plain decimal number.
    const bool plain = node.scalar.find_first_of("xXnN") == std::string::npos;
    if (end && *end == '\0' && errno != ERANGE && std::isfinite(value) && plain) return value;
  }
  fail(node, "a number");
  return std::nullopt;
}

std::optional<double> ValueReader::number(const ConfigNode& node, const Bounds& bounds, const std::string& what) {
  ErrorList scratch;
  ValueReader quiet(scratch);
  const auto value = quiet.number(node);
  if (!value || !bounds.contains(*value)) {
    fail(node, fmt::format("{} in {}", what, bounds.describe()));
    return std::nullopt;
  }
  return value;
}

std::optional<bool> ValueReader::boolean(const ConfigNode& node) {
  if (node.is_scalar() && !node.quoted) {
    if (node.scalar == "true" || node.scalar == "True" || node.scalar == "TRUE") return true;
    if (node.scalar == "false" || node.scalar == "False" || node.scalar == "FALSE") return false;
  }
  fail(node, "true or false");
  return std::nullopt;
}

std::optional<std::string> ValueReader::string(const ConfigNode& node, bool allow_empty) {
  if (node.is_scalar() && (allow_empty || !node.scalar.empty())) return node.scalar;
  fail(node, allow_empty ? "a string" : "a non-empty string");
  return std::nullopt;
}

std::optional<std::string> ValueReader::choice(const ConfigNode& node, const std::vector<std::string>& allowed) {
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : " | ") + a;
  if (node.is_scalar()) {
    if (std::find(allowed.begin(), allowed.end(), node.scalar) != allowed.end()) return node.scalar;
    error(node.location, fmt::format("expected one of {}, got {}{}", list, node.describe(),
                                     suggestion_suffix(node.scalar, allowed)));
    return std::nullopt;
  }
  fail(node, "one of " + list);
  return std::nullopt;
}

std::optional<std::vector<int64_t>> ValueReader::integers(const ConfigNode& node, int64_t min) {
  if (!node.is_sequence()) {
    fail(node, min == 1 ? "a list of positive integers"
                        : min == 0 ? "a list of non-negative integers" : fmt::format("a list of integers >= {}", min));
    return std::nullopt;
  }
  std::vector<int64_t> out;
  bool ok = true;
  for (const auto& item : node.items) {
    if (auto v = integer(item, min)) {
      out.push_back(*v);
    } else {
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<std::vector<double>> ValueReader::numbers(const ConfigNode& node) {
  if (!node.is_sequence()) {
    fail(node, "a list of numbers");
    return std::nullopt;
  }
  std::vector<double> out;
  bool ok = true;
  for (const auto& item : node.items) {
    if (auto v = number(item)) {
      out.push_back(*v);
    } else {
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<std::vector<std::string>> ValueReader::strings(const ConfigNode& node) {
  if (!node.is_sequence()) {
    fail(node, "a list of strings");
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool ok = true;
  for (const auto& item : node.items) {
    if (auto v = string(item)) {
      out.push_back(*v);
    } else {
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

}  // namespace ablate::config
