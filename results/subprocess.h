#pragma once
// Running another program without a shell: provenance asks git for the commit, the runner asks Slurm's
// sbatch/squeue. Arguments go to execvp as they are, so no value can be reinterpreted by a shell.
// Lives in results/ because it is torch-free and both users link it.

#include <optional>
#include <string>
#include <vector>

namespace ablate::results {

struct ProgramOutput {
  int exit_status = -1;  // the program's exit status; 128+N when killed by signal N
  std::string out;       // everything it wrote to stdout
  std::string err;       // everything it wrote to stderr
};

// Runs arguments[0] (looked up on PATH unless it contains '/') with the rest as its arguments; stdin is
// /dev/null. Waits for it to exit. std::nullopt when it cannot be started (not found, not executable).
std::optional<ProgramOutput> run_program(const std::vector<std::string>& arguments);

// The file `name` resolves to on PATH (the first executable match), "" when there is none.
std::string find_on_path(const std::string& name);

}  // namespace ablate::results
