#include "runner/stop_signal.h"

#include <atomic>
#include <csignal>

namespace ablate::runner {

namespace {
std::atomic<int> g_signal{0};
std::atomic<int> g_count{0};

extern "C" void on_stop_signal(int signal_number) {
  g_count.fetch_add(1);
  if (g_signal.exchange(signal_number) != 0) std::signal(signal_number, SIG_DFL);
}
}  // namespace

void install_stop_handlers() {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

bool stop_requested() { return g_signal.load() != 0; }
int stop_signal() { return g_signal.load(); }
int stop_signal_count() { return g_count.load(); }

}  // namespace ablate::runner
