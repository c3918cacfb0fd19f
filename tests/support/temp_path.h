#pragma once
// Scratch paths for tests that no other test process can be using.

#include <unistd.h>

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

namespace ablate::testing {

// ::testing::TempDir()/ablate-<pid>-<name>. The pid matters: ctest runs every test case as its own process,
// several at once, so a suite-level fixture is set up by many processes side by side; and two checkouts
// may run their suites at the same time on one machine. A name alone would let one process delete
// another's files.
inline std::filesystem::path unique_temp_path(const std::string& name) {
  return std::filesystem::path(::testing::TempDir()) / ("ablate-" + std::to_string(::getpid()) + "-" + name);
}

}  // namespace ablate::testing
