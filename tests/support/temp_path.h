#pragma once
// Scratch paths for tests that no other test process can be using.

#include <unistd.h>

#include <filesystem>
#include <fstream>
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

// A fresh folder for the running test case (prefix + suite + test name), removed when the object goes away.
class CaseTempDir {
 public:
  explicit CaseTempDir(const std::string& prefix) {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = unique_temp_path(prefix + "_" + info->test_suite_name() + "_" + info->name());
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~CaseTempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  CaseTempDir(const CaseTempDir&) = delete;
  CaseTempDir& operator=(const CaseTempDir&) = delete;

  std::string path() const { return path_.string(); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  // Writes `text` to `name` inside the folder (subfolders made as needed) and returns the file's path.
  std::string write(const std::string& name, const std::string& text) const {
    const auto file = path_ / name;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
    return file.string();
  }

 private:
  std::filesystem::path path_;
};

}  // namespace ablate::testing
