#include "core/config/config_error.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

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
std::string unlisted_line(size_t unlisted) {
  return fmt::format("... and {} more problem{} (only the first {} are listed)", unlisted, unlisted == 1 ? "" : "s",
                     ErrorList::kMaxListed);
}

std::vector<std::string> with_unlisted(std::vector<std::string> lines, size_t unlisted) {
  if (unlisted > 0) lines.push_back(unlisted_line(unlisted));
  return lines;
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) out += (i ? "\n" : "") + lines[i];
  return out;
}
}  // namespace

ConfigError::ConfigError(std::vector<std::string> messages, size_t unlisted)
    : std::runtime_error(join_lines(with_unlisted(messages, unlisted))),
      messages_(with_unlisted(std::move(messages), unlisted)),
      unlisted_(unlisted) {}

void ErrorList::add(const SourceLocation& where, const std::string& message) {
  add_formatted(format_error(where, message));
}

void ErrorList::add_formatted(const std::string& formatted) {
  if (!seen_.insert(formatted).second) return;
  if (messages_.size() < kMaxListed) {
    messages_.push_back(formatted);
  } else {
    ++unlisted_;
  }
}

void ErrorList::append(const ConfigError& error) {
  const auto& messages = error.messages();
  // The last line of an error with unlisted problems says so; it is counted, not listed again.
  const size_t listed = messages.size() - (error.unlisted() > 0 ? 1 : 0);
  for (size_t i = 0; i < listed; ++i) add_formatted(messages[i]);
  unlisted_ += error.unlisted();
}

void ErrorList::throw_if_any() const {
  if (!messages_.empty()) throw ConfigError(messages_, unlisted_);
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
