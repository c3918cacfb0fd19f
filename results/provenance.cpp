#include "results/provenance.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <optional>

extern char** environ;

namespace ablate::results {

namespace {

// Runs a program found on PATH with `arguments` (no shell), returns its stdout when it exits 0.
std::optional<std::string> capture(const std::vector<std::string>& arguments) {
  int pipe_ends[2];
  if (pipe(pipe_ends) != 0) return std::nullopt;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_ends[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipe_ends[0]);
  posix_spawn_file_actions_addclose(&actions, pipe_ends[1]);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);

  std::vector<char*> argv;
  for (const std::string& argument : arguments) argv.push_back(const_cast<char*>(argument.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_ends[1]);
  if (spawned != 0) {
    close(pipe_ends[0]);
    return std::nullopt;
  }
  std::string output;
  std::array<char, 4096> buffer;
  for (;;) {
    const ssize_t got = read(pipe_ends[0], buffer.data(), buffer.size());
    if (got > 0) {
      output.append(buffer.data(), static_cast<size_t>(got));
    } else if (got == 0 || errno != EINTR) {
      break;
    }
  }
  close(pipe_ends[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return std::nullopt;
  return output;
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

Provenance detect_provenance(const std::vector<std::string>& arguments,
                             const std::filesystem::path& source_directory) {
  Provenance provenance;
  provenance.host = host_name();
  const GitState git = detect_git(source_directory);
  provenance.git_commit = git.commit;
  provenance.git_dirty = git.dirty;
  provenance.command_line = shell_quote(arguments);
  return provenance;
}

}  // namespace ablate::results
