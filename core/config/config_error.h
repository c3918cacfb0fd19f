#pragma once
// Errors of the config layer. Every problem names where it came from (file:line:column when it came from a
// YAML file, the `--set` argument when it came from the command line), the key path inside the document
// and what was expected, e.g.
//   experiments/x.yaml:12:5: variants[2].model.cardinality: expected a positive integer, got "32x"
// A file is checked completely before anything is thrown: ErrorList collects every problem and
// ConfigError carries all of them, one per line of what(), so a user fixes a file in one pass.

#include <cstddef>
#include <stdexcept>
#include <string>
#include <unordered_set>
#include <vector>

namespace ablate::config {

// Where a value or key came from. line == 0 means "no line" (a --set argument, a missing file).
struct SourceLocation {
  std::string file;  // path as the user gave it, or "--set train.epochs=abc"
  int line = 0;      // 1-based
  int column = 0;    // 1-based
  std::string path;  // key path inside its document: "variants[2].model.cardinality"; may be empty
};

// "file:line:column: path: message" (parts that are unknown are left out).
std::string format_error(const SourceLocation& where, const std::string& message);

class ConfigError : public std::runtime_error {
 public:
  // `unlisted`: further problems found but not listed (see ErrorList); what() ends with a line saying so.
  explicit ConfigError(std::vector<std::string> messages, size_t unlisted = 0);
  // Each formatted error, in the order found, ending with the "... more" line when problems were left
  // out; what() joins them with '\n'.
  const std::vector<std::string>& messages() const noexcept { return messages_; }
  size_t unlisted() const noexcept { return unlisted_; }

 private:
  std::vector<std::string> messages_;
  size_t unlisted_ = 0;
};

// Collects formatted errors, dropping exact repeats (the same bad key is seen once per expanded run).
// Lists the first kMaxListed and counts the rest: a list of a million bad items is one screen of errors
// and linear work, not a million lines.
class ErrorList {
 public:
  static constexpr size_t kMaxListed = 100;

  void add(const SourceLocation& where, const std::string& message);
  void add_formatted(const std::string& formatted);
  void append(const ConfigError& error);
  bool empty() const noexcept { return messages_.empty(); }
  // Distinct problems found, listed or not.
  size_t size() const noexcept { return messages_.size() + unlisted_; }
  const std::vector<std::string>& messages() const noexcept { return messages_; }
  // Throws ConfigError with every listed message when there is at least one.
  void throw_if_any() const;

 private:
  std::vector<std::string> messages_;
  std::unordered_set<std::string> seen_;
  size_t unlisted_ = 0;
};

// The closest of `candidates` to `word` by edit distance, or "" when none is close enough to be a typo.
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

// " (did you mean \"x\"?)" or "" : ready to append to a message.
std::string suggestion_suffix(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace ablate::config
