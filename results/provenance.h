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
  // The code that ran: the commit ablate was built from (embedded at build time), "" when it was not
  // built from a git checkout; dirty: tracked files differed from that commit (untracked files do not
  // count).
  std::string git_commit;
  bool git_dirty = false;
  // The source tree ablate was built in, as it was when the run started: differs from the build's
  // when the tree moved on (or was edited) without a rebuild. "" when the tree is gone or not in git.
  std::string tree_commit;
  bool tree_dirty = false;
  std::string torch_version;   // e.g. "1.13.1"; set by the runner
  std::string device;          // e.g. "cpu (2 threads)" or "NVIDIA H100 80GB HBM3"; set by the runner
  // The arithmetic the run trained in, as the trainer set it up: "fp32" on the CPU; "fp32, tf32 off" or
  // "bf16 autocast, tf32 off" on CUDA. Set by the runner; "" for runs stored before it was recorded.
  std::string precision;
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

// Host, the build's git state, the git state of `source_directory` now and the quoted command line; the
// runner adds the rest.
Provenance detect_provenance(const std::vector<std::string>& arguments, const GitState& build,
                             const std::filesystem::path& source_directory);

// "0123456789ab" or "0123456789ab+dirty" (12 characters of the commit); "" for an unknown commit.
std::string short_commit(const std::string& commit, bool dirty);

// The code a run came from in one phrase: the build's short commit, plus "(source tree at X)" when the
// tree differed from the build when the run started.
std::string describe_code(const Provenance& provenance);

}  // namespace ablate::results
