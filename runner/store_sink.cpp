#include "runner/store_sink.h"

#include <fmt/format.h>

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

void StoreSink::on_restored(const std::vector<train::EpochMetrics>& history) {
  const int64_t restored = static_cast<int64_t>(history.size());
  const std::string missing = results::missing_epochs(store_.epochs(run_key_), restored);
  for (int64_t epoch = 1; epoch <= restored; ++epoch) store_.log_epoch(run_key_, epoch, history[epoch - 1]);
  last_heartbeat_ = std::chrono::steady_clock::now();
  if (!missing.empty()) {
    display_.message(fmt::format("  resumed from the checkpoint of epoch {}; the metrics of epoch(s) {}, missing "
                                 "from {}, were recorded from it",
                                 restored, missing, store_.path()));
  }
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
