#include "runner/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>

namespace ablate::runner {

namespace {
std::string metric_or_dash(const std::map<std::string, double>& metrics, const char* name, const char* spec) {
  auto it = metrics.find(name);
  if (it == metrics.end() || !std::isfinite(it->second)) return "-";
  return fmt::format(fmt::runtime(spec), it->second);
}

std::string duration(double seconds) {
  const auto s = static_cast<int64_t>(seconds + 0.5);
  return s >= 3600 ? fmt::format("{}h{:02}m", s / 3600, s % 3600 / 60) : fmt::format("{}:{:02}", s / 60, s % 60);
}
}  // namespace

ProgressDisplay::Mode ProgressDisplay::detect(bool quiet) {
  if (quiet) return Mode::quiet;
  return ::isatty(STDOUT_FILENO) ? Mode::live : Mode::lines;
}

void ProgressDisplay::begin_run(int64_t index, int64_t total, const std::string& variant, int64_t seed,
                                int64_t epochs, const std::string& note) {
  run_index_ = index;
  run_total_ = total;
  variant_ = variant;
  seed_ = seed;
  epochs_ = epochs;
  eta_ = EtaEstimator{};
  info(fmt::format("run {}/{}  {}  seed {}  ({} epochs{})", index, total, variant, seed, epochs,
                   note.empty() ? "" : ", " + note));
}

void ProgressDisplay::step(int64_t epoch, int64_t step, int64_t steps, double loss, double images_per_sec) {
  if (mode_ != Mode::live) return;
  const auto now = std::chrono::steady_clock::now();
  const std::optional<double> eta =
      eta_.update(epoch, step, steps, std::chrono::duration<double>(now.time_since_epoch()).count());
  // Redrawing costs a write per step; a few per second is what an eye can follow.
  if (step != steps && now - last_draw_ < std::chrono::milliseconds(200)) return;
  last_draw_ = now;
  const int width = 20;
  const int filled = static_cast<int>(width * step / std::max<int64_t>(steps, 1));
  std::fprintf(stdout, "\r\033[K[%s%s] run %lld/%lld %s s%lld epoch %lld/%lld  %lld/%lld  loss %.4f  %.0f img/s  ETA %s",
               std::string(static_cast<size_t>(filled), '#').c_str(),
               std::string(static_cast<size_t>(width - filled), '.').c_str(), static_cast<long long>(run_index_),
               static_cast<long long>(run_total_), variant_.c_str(), static_cast<long long>(seed_),
               static_cast<long long>(epoch), static_cast<long long>(epochs_), static_cast<long long>(step),
               static_cast<long long>(steps), loss, images_per_sec, eta ? duration(*eta).c_str() : "--:--");
  std::fflush(stdout);
  live_line_shown_ = true;
}

void ProgressDisplay::epoch_done(int64_t epoch, const std::map<std::string, double>& m) {
  info(fmt::format("  epoch {}/{}  train loss {}  err {}%  |  val loss {}  top-1 {}%  top-5 {}%  |  lr {}  "
                   "{} img/s  {}s",
                   epoch, epochs_, metric_or_dash(m, "train_loss", "{:.4f}"), metric_or_dash(m, "train_top1_err", "{:.2f}"),
                   metric_or_dash(m, "val_loss", "{:.4f}"), metric_or_dash(m, "val_top1_err", "{:.2f}"),
                   metric_or_dash(m, "val_top5_err", "{:.2f}"), metric_or_dash(m, "lr", "{:.4g}"),
                   metric_or_dash(m, "images_per_sec", "{:.0f}"), metric_or_dash(m, "epoch_seconds", "{:.1f}")));
}

void ProgressDisplay::clear_live_line() {
  if (!live_line_shown_) return;
  std::fputs("\r\033[K", stdout);
  live_line_shown_ = false;
}

void ProgressDisplay::message(const std::string& line) {
  clear_live_line();
  std::fprintf(stdout, "%s\n", line.c_str());
  std::fflush(stdout);
}

void ProgressDisplay::info(const std::string& line) {
  if (mode_ != Mode::quiet) message(line);
}

}  // namespace ablate::runner
