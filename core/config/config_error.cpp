#include "core/config/config_error.h"

#include <fmt/format.h>

#include <algorithm>

namespace ablate::config {

std::string format_error(const SourceLocation& where, const std::string& message) {
  std::string prefix;
  if (!where.file.empty()) {
    prefix = where.line > 0 ? fmt::format("{}:{}:{}: ", where.file, where.line, where.column)
                            : fmt::format("{}: ", where.file);
  }
  if (!where.path.empty()) prefix += where.path + ": ";
  return prefix + message;
}

namespace {
std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) out += (i ? "\n" : "") + lines[i];
  return out;
}
}  // namespace

ConfigError::ConfigError(std::vector<std::string> messages)
    : std::runtime_error(join_lines(messages)), messages_(std::move(messages)) {}

void ErrorList::add(const SourceLocation& where, const std::string& message) {
  add_formatted(format_error(where, message));
}

void ErrorList::add_formatted(const std::string& formatted) {
  if (std::find(messages_.begin(), messages_.end(), formatted) == messages_.end()) messages_.push_back(formatted);
}

void ErrorList::append(const ConfigError& error) {
  for (const auto& m : error.messages()) add_formatted(m);
}

void ErrorList::throw_if_any() const {
  if (!messages_.empty()) throw ConfigError(messages_);
}

namespace {
size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}
}  // namespace

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  // A typo is a few edits away; allow more for long words ("bottleneck_widht").
  const size_t limit = std::max<size_t>(2, word.size() / 3);
  std::string best;
  size_t best_distance = limit + 1;
  for (const auto& c : candidates) {
    const size_t d = edit_distance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

std::string suggestion_suffix(const std::string& word, const std::vector<std::string>& candidates) {
  const std::string best = did_you_mean(word, candidates);
  return best.empty() ? "" : fmt::format(" (did you mean \"{}\"?)", best);
}

}  // namespace ablate::config
