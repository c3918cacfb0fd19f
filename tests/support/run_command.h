#pragma once
// Runs a shell command line as a real process (tests of the `ablate` executable) and captures its
// combined stdout+stderr and exit status.

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace ablate::testing {

struct CommandResult {
  int status = -1;  // exit status; 128+N when killed by signal N
  std::string output;
};

inline CommandResult run_command(const std::string& command_line) {
  CommandResult result;
  FILE* pipe = ::popen((command_line + " 2>&1").c_str(), "r");
  if (!pipe) throw std::runtime_error("popen failed: " + command_line);
  std::array<char, 4096> buffer{};
  size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.output.append(buffer.data(), n);
  const int raw = ::pclose(pipe);
  result.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
  return result;
}

// A path as one word of a shell command line (paths with quotes in them are not used by the tests). Takes
// a std::string (a std::filesystem::path converts): for a std::string argument this non-template is chosen
// over std::quoted, which argument-dependent lookup also finds.
inline std::string quoted(const std::string& path) { return "'" + path + "'"; }

// The built `ablate` executable, quoted for a shell command line.
inline std::string ablate_command(const std::string& arguments) {
  return std::string("'") + ABLATE_EXECUTABLE + "' " + arguments;
}

}  // namespace ablate::testing
