#pragma once
// The trainer's EpochSink for one run of a sweep: every epoch's metrics into the results store, progress
// to the display, heartbeats while the run trains, and the stop flag from SIGINT/SIGTERM.

#include <chrono>
#include <string>

#include "core/train/epoch_sink.h"
#include "results/store.h"
#include "runner/progress.h"

namespace ablate::runner {

class StoreSink : public train::EpochSink {
 public:
  StoreSink(results::Store& store, std::string run_key, ProgressDisplay& display)
      : store_(store), run_key_(std::move(run_key)), display_(display) {}

  void on_epoch_end(int64_t epoch, const train::EpochMetrics& metrics) override;
  // Records the restored epochs' metrics as the checkpoint kept them (replacing whatever the store had
  // for those epochs: the checkpoint is what the model went through), so a run resumed under a new
  // database, or one that lost epochs, has its whole history.
  void on_restored(const std::vector<train::EpochMetrics>& history) override;
  void on_progress(int64_t epoch, int64_t step, int64_t steps, double loss, double images_per_sec) override;
  // Also the heartbeat: polled before every step, it refreshes the run's heartbeat every few seconds, so a
  // live run is never mistaken for an abandoned one, even during a long evaluation.
  bool should_stop() override;
  void on_warning(const std::string& message) override;

  // True when another process took the run over (this one was presumed dead): stop without touching it.
  bool lost_run() const { return lost_run_; }

 private:
  results::Store& store_;
  std::string run_key_;
  ProgressDisplay& display_;
  std::chrono::steady_clock::time_point last_heartbeat_ = std::chrono::steady_clock::now();
  bool lost_run_ = false;
};

}  // namespace ablate::runner
