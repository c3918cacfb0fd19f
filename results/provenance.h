#pragma once
// Where a run came from: enough to trace every number in a table back to the code, the libraries, the
// machine and the command that produced it. Plain data recorded with each run by the results store.
// The torch-free pieces are detected here; the runner fills torch_version, device and dataset_digest
// (it is the only part that sees LibTorch and the data).

#include <filesystem>
#include <string>
#include <vector>

namespace ablate::results {

struct Provenance {
  std::string host;            // gethostname(); "" when unknown
  std::string git_commit;      // full hash of HEAD; "" outside a git checkout or without git
  bool git_dirty = false;      // tracked files differ from HEAD (untracked files do not count)
  std::string torch_version;   // e.g. "1.13.1"; set by the runner
  std::string device;          // e.g. "cpu (2 threads)" or "NVIDIA H100 80GB HBM3"; set by the runner
  std::string command_line;    // the invocation, shell-quoted so it can be pasted back into a shell
  std::string dataset_digest;  // hash of the data the run saw; set by the runner
};

struct GitState {
  std::string commit;  // "" when `directory` is not inside a git work tree or git is missing
  bool dirty = false;
};

// Runs `git rev-parse HEAD` and `git status --porcelain --untracked-files=no` in `directory` (no shell
// involved, so any path is safe). Never throws: a missing git or a non-repository gives {"", false}.
GitState detect_git(const std::filesystem::path& directory);

// The machine's host name, "" when it cannot be read.
std::string host_name();

// Joins arguments into one line a POSIX shell would split back into the same arguments: plain words
// stay as they are, anything else is single-quoted ('it'\''s').
std::string shell_quote(const std::vector<std::string>& arguments);

// Host, git state of `source_directory` and the quoted command line; the runner adds the rest.
Provenance detect_provenance(const std::vector<std::string>& arguments,
                             const std::filesystem::path& source_directory);

}  // namespace ablate::results
