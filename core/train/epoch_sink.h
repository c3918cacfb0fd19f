#pragma once
// EpochSink: how the trainer reports, and how it is asked to stop. The runner implements it over the
// results store (metrics), the progress display (on_progress) and the signal handler (should_stop);
// core/train never sees SQL or a terminal.

#include <cstdint>
#include <iostream>
#include <map>
#include <string>
#include <vector>

namespace ablate::train {

// One epoch's metrics by name. Errors are percentages (0..100).
using EpochMetrics = std::map<std::string, double>;

// The exact metric names the trainer reports at every epoch end.
namespace metric {
inline constexpr const char* train_loss = "train_loss";          // mean over the epoch's training batches
inline constexpr const char* train_top1_err = "train_top1_err";  // %, model in train mode, as it trained
inline constexpr const char* val_loss = "val_loss";              // plain cross-entropy (no smoothing)
inline constexpr const char* val_top1_err = "val_top1_err";      // %
inline constexpr const char* val_top5_err = "val_top5_err";      // %; top-min(5, classes)
inline constexpr const char* lr = "lr";                          // learning rate of the epoch's last step
inline constexpr const char* images_per_sec = "images_per_sec";  // training images / training seconds
inline constexpr const char* epoch_seconds = "epoch_seconds";    // wall time of train + eval
}  // namespace metric

class EpochSink {
 public:
  virtual ~EpochSink() = default;

  // After every completed epoch (1-based: the first epoch is 1), before its checkpoint is written.
  // If the process dies between the two, the resumed run trains that epoch again and reports it again
  // with the same epoch number: a store must overwrite (upsert), not append. The val_* metrics are absent
  // when the trainer was given no validation source.
  virtual void on_epoch_end(int64_t epoch, const EpochMetrics& metrics) = 0;

  // After a checkpoint was restored, before training goes on: the metrics of epochs 1..k exactly as they
  // were reported when those epochs ran (checkpoints keep them). A store that lacks them (a new database
  // beside an old checkpoint folder) records them from here, so a resumed run has no hole in its history.
  virtual void on_restored(const std::vector<EpochMetrics>& history) {}

  // Progress within the current epoch: `step` of `steps` (1-based), the mean training loss so far and the
  // training throughput so far. Called as TrainerOptions::progress_every says (by default about every
  // 0.5 s) and at the last step; each call costs one host-device sync on CUDA.
  virtual void on_progress(int64_t epoch, int64_t step, int64_t steps, double loss, double images_per_sec) {}

  // Polled before every training and evaluation step. Returning true stops the run at once: the partial
  // epoch is discarded and the previous epoch's checkpoint stays the resume point.
  virtual bool should_stop() { return false; }

  // Something the user should know that does not stop the run (a corrupt checkpoint skipped, bf16
  // requested on CPU, ...). The default prints it to stderr.
  virtual void on_warning(const std::string& message) { std::cerr << "ablate: warning: " << message << '\n'; }
};

}  // namespace ablate::train
