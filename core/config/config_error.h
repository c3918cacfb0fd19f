#pragma once
// Errors of the config layer. Every problem names where it came from (file:line:column when it came from a
// YAML file, the `--set` argument when it came from the command line), the key path inside the document
// and what was expected, e.g.
//   experiments/x.yaml:12:5: variants[2].model.cardinality: expected a positive integer, got "32x"
// A file is checked completely before anything is thrown: ErrorList collects every problem and
// ConfigError carries all of them, one per line of what(), so a user fixes a file in one pass.

#include <stdexcept>
#include <string>
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
  explicit ConfigError(std::vector<std::string> messages);
  // Each formatted error, in the order found; what() joins them with '\n'.
  const std::vector<std::string>& messages() const noexcept { return messages_; }

 private:
  std::vector<std::string> messages_;
};

// Collects formatted errors, dropping exact repeats (the same bad key is seen once per expanded run).
class ErrorList {
 public:
  void add(const SourceLocation& where, const std::string& message);
  void add_formatted(const std::string& formatted);
  void append(const ConfigError& error);
  bool empty() const noexcept { return messages_.empty(); }
  size_t size() const noexcept { return messages_.size(); }
  const std::vector<std::string>& messages() const noexcept { return messages_; }
  // Throws ConfigError with every collected message when there is at least one.
  void throw_if_any() const;

 private:
  std::vector<std::string> messages_;
};

// The closest of `candidates` to `word` by edit distance, or "" when none is close enough to be a typo.
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

// " (did you mean \"x\"?)" or "" : ready to append to a message.
std::string suggestion_suffix(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace ablate::config
