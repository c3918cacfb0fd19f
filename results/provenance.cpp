#include "results/provenance.h"

#include <unistd.h>

#include <array>
#include <optional>

#include "results/subprocess.h"

namespace ablate::results {

namespace {

// stdout of a program that exits 0; nullopt otherwise (missing program, failure).
std::optional<std::string> capture(const std::vector<std::string>& arguments) {
  const auto result = run_program(arguments);
  if (!result || result->exit_status != 0) return std::nullopt;
  return result->out;
}

std::string trim(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  return text;
}

bool is_plain_word(const std::string& word) {
  if (word.empty()) return false;
  for (const char c : word) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '_' || c == '.' || c == '/' || c == ',' || c == ':' || c == '=' ||
                       c == '+' || c == '@' || c == '%';
    if (!plain) return false;
  }
  return true;
}

}  // namespace

GitState detect_git(const std::filesystem::path& directory) {
  GitState state;
  const std::string dir = directory.string();
  const auto commit = capture({"git", "-C", dir, "rev-parse", "--verify", "HEAD"});
  if (!commit) return state;
  state.commit = trim(*commit);
  const auto changes = capture({"git", "-C", dir, "status", "--porcelain", "--untracked-files=no"});
  state.dirty = changes && !trim(*changes).empty();
  return state;
}

std::string host_name() {
  std::array<char, 256> name{};
  if (gethostname(name.data(), name.size() - 1) != 0) return "";
  return std::string(name.data());
}

std::string shell_quote(const std::vector<std::string>& arguments) {
  std::string line;
  for (const std::string& argument : arguments) {
    if (!line.empty()) line += ' ';
    if (is_plain_word(argument)) {
      line += argument;
      continue;
    }
    line += '\'';
    for (const char c : argument) {
      if (c == '\'') {
        line += "'\\''";
      } else {
        line += c;
      }
    }
    line += '\'';
  }
  return line;
}

Provenance detect_provenance(const std::vector<std::string>& arguments, const GitState& build,
                             const std::filesystem::path& source_directory) {
  Provenance provenance;
  provenance.host = host_name();
  provenance.git_commit = build.commit;
  provenance.git_dirty = build.dirty;
  const GitState tree = detect_git(source_directory);
  provenance.tree_commit = tree.commit;
  provenance.tree_dirty = tree.dirty;
  provenance.command_line = shell_quote(arguments);
  return provenance;
}

std::string short_commit(const std::string& commit, bool dirty) {
  if (commit.empty()) return "";
  return commit.substr(0, 12) + (dirty ? "+dirty" : "");
}

std::string describe_code(const Provenance& p) {
  const std::string built = short_commit(p.git_commit, p.git_dirty);
  const std::string tree = short_commit(p.tree_commit, p.tree_dirty);
  if (tree.empty() || tree == built) return built;
  return (built.empty() ? "unknown build" : built) + " (source tree at " + tree + ")";
}

}  // namespace ablate::results
