#pragma once
// Helpers shared by the results-store tests: scratch directories, run records, a settable clock.

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>

#include "results/store.h"

namespace ablate::results::testing {

// A fresh directory under `parent` (default: the system temp dir), removed with its contents on scope exit.
class ScratchDir {
 public:
  explicit ScratchDir(const std::filesystem::path& parent = std::filesystem::temp_directory_path()) {
    static std::atomic<int> counter{0};
    path_ = parent / ("ablate-store-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline RunRecord make_record(const std::string& run_key, const std::string& group_key = "group",
                             int64_t seed = 0, const std::string& experiment = "cardinality",
                             const std::string& profile = "cpu") {
  RunRecord record;
  record.run_key = run_key;
  record.group_key = group_key;
  record.experiment = experiment;
  record.profile = profile;
  record.variant = "variant of " + group_key;
  record.seed = seed;
  record.epochs_planned = 3;
  record.provenance.host = "test-host";
  return record;
}

// A clock the test moves by hand, shared by every Store given `options()`.
class ManualClock {
 public:
  ManualClock() : now_(std::make_shared<std::chrono::system_clock::time_point>(
                      std::chrono::system_clock::time_point(std::chrono::hours(24 * 365 * 56)))) {}
  void advance(std::chrono::milliseconds step) { *now_ += step; }
  StoreOptions options() const {
    StoreOptions options;
    auto now = now_;
    options.clock = [now] { return *now; };
    return options;
  }

 private:
  std::shared_ptr<std::chrono::system_clock::time_point> now_;
};

}  // namespace ablate::results::testing
