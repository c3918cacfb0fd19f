#include "runner/store_sink.h"

#include "runner/stop_signal.h"

namespace ablate::runner {

namespace {
// Well inside the store's staleness threshold (StoreOptions::stale_after, 120 s by default).
constexpr auto kHeartbeatEvery = std::chrono::seconds(10);
}  // namespace

void StoreSink::on_epoch_end(int64_t epoch, const train::EpochMetrics& metrics) {
  store_.log_epoch(run_key_, epoch, metrics);
  last_heartbeat_ = std::chrono::steady_clock::now();
  display_.epoch_done(epoch, metrics);
}

void StoreSink::on_progress(int64_t epoch, int64_t step, int64_t steps, double loss, double images_per_sec) {
  display_.step(epoch, step, steps, loss, images_per_sec);
}

bool StoreSink::should_stop() {
  if (stop_requested() || lost_run_) return true;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_heartbeat_ >= kHeartbeatEvery) {
    last_heartbeat_ = now;
    if (!store_.heartbeat(run_key_)) {
      lost_run_ = true;
      display_.message("ablate: warning: run " + run_key_ + " was taken over by another process; leaving it");
      return true;
    }
  }
  return false;
}

void StoreSink::on_warning(const std::string& message) { display_.message("ablate: warning: " + message); }

}  // namespace ablate::runner
