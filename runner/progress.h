#pragma once
// What a sweep tells the person watching: on a terminal a live bar for the running epoch, redrawn in
// place, plus one summary line per epoch; when stdout is not a terminal (CI, nohup, a pipe) only the
// summary lines; with --quiet only problems and the final tally.

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

#include "runner/eta.h"

namespace ablate::runner {

class ProgressDisplay {
 public:
  enum class Mode { live, lines, quiet };
  explicit ProgressDisplay(Mode mode) : mode_(mode) {}
  static Mode detect(bool quiet);  // live when stdout is a terminal

  // A run starts: "run 3/10  ResNeXt-50 32x4d  seed 1".
  void begin_run(int64_t index, int64_t total, const std::string& variant, int64_t seed, int64_t epochs,
                 const std::string& note);
  void step(int64_t epoch, int64_t step, int64_t steps, double loss, double images_per_sec);
  void epoch_done(int64_t epoch, const std::map<std::string, double>& metrics);
  // A line that must always be seen (skips, failures, warnings): clears the live bar first.
  void message(const std::string& line);
  void info(const std::string& line);  // like message, but silent in quiet mode

 private:
  void clear_live_line();
  Mode mode_;
  int64_t run_index_ = 0, run_total_ = 0, epochs_ = 0, seed_ = 0;
  std::string variant_;
  bool live_line_shown_ = false;
  EtaEstimator eta_;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace ablate::runner
