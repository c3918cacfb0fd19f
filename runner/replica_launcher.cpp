#include "runner/replica_launcher.h"

#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <optional>
#include <thread>

#include <fmt/format.h>

#include "core/dist/rendezvous.h"
#include "core/dist/world.h"
#include "results/store.h"
#include "runner/replicas.h"
#include "runner/stop_signal.h"

extern char** environ;

namespace ablate::runner {

namespace {

using Clock = std::chrono::steady_clock;

// How long workers get to stop after SIGTERM before they are SIGKILLed: a step and a checkpoint.
constexpr auto kStopGrace = std::chrono::seconds(10);
constexpr auto kPoll = std::chrono::milliseconds(20);

struct Worker {
  int64_t rank = 0;
  pid_t pid = -1;
  bool running = false;
  int wait_status = 0;
};

// The environment of worker `rank`: this process's, with the torchrun variables set.
std::vector<std::string> worker_environment(const LaunchOptions& options, int64_t rank, int64_t port) {
  const std::vector<std::pair<std::string, std::string>> set = {
      {"RANK", std::to_string(rank)},
      {"WORLD_SIZE", std::to_string(options.processes)},
      {"LOCAL_RANK", std::to_string(rank)},
      {"LOCAL_WORLD_SIZE", std::to_string(options.processes)},
      {"MASTER_ADDR", "127.0.0.1"},
      {"MASTER_PORT", std::to_string(port)},
      {"TORCHELASTIC_USE_AGENT_STORE", "True"},
      {"TORCHELASTIC_RESTART_COUNT", "0"},
  };
  std::vector<std::string> environment;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string text = *entry;
    bool replaced = false;
    for (const auto& [name, value] : set) replaced |= text.rfind(name + "=", 0) == 0;
    if (!replaced) environment.push_back(text);
  }
  for (const auto& [name, value] : set) environment.push_back(name + "=" + value);
  return environment;
}

std::vector<char*> pointers(std::vector<std::string>& texts) {
  std::vector<char*> result;
  for (auto& text : texts) result.push_back(text.data());
  result.push_back(nullptr);
  return result;
}

pid_t start_worker(const LaunchOptions& options, int64_t rank, int64_t port) {
  // Everything is prepared before fork: the launcher has threads (the rendezvous store's), so the child
  // may only make async-signal-safe calls until it execs.
  std::vector<std::string> arguments = options.arguments;
  std::vector<std::string> environment = worker_environment(options, rank, port);
  std::vector<char*> argv = pointers(arguments), envp = pointers(environment);
  const pid_t launcher = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(fmt::format("--nproc: cannot start worker {}: {}", rank, std::strerror(errno)));
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);  // the launcher gone (even SIGKILLed): stop at the next step
    if (::getppid() != launcher) ::_exit(1);
    ::execve("/proc/self/exe", argv.data(), envp.data());
    ::_exit(127);
  }
  return pid;
}

void signal_running(std::vector<Worker>& workers, int signal_number) {
  for (const auto& worker : workers) {
    if (worker.running) ::kill(worker.pid, signal_number);
  }
}

bool any_running(const std::vector<Worker>& workers) {
  for (const auto& worker : workers) {
    if (worker.running) return true;
  }
  return false;
}

// Rank 0 died holding a run: nobody else writes the store, so the launcher marks the run killed (it
// resumes on the next `ablate run` at once instead of after the heartbeat goes stale).
void release_run_of_dead_root(dist::Rendezvous& rendezvous, const std::string& db, const std::string& why) {
  const std::optional<std::string> run_key = rendezvous.get(replica_note::run);
  if (!run_key || run_key->empty()) return;
  try {
    results::Store store = results::Store::open(db);
    store.mark_killed(*run_key, why);
  } catch (const std::exception& e) {
    fmt::print(stderr, "ablate: warning: could not mark run {} killed in {}: {}\n", *run_key, db, e.what());
  }
}

}  // namespace

int launch_replicas(const LaunchOptions& options) {
  std::shared_ptr<dist::Rendezvous> rendezvous = dist::Rendezvous::host(0, dist::agent_store_prefix(0), options.timeout);
  install_stop_handlers();
  std::vector<Worker> workers(static_cast<size_t>(options.processes));
  for (int64_t rank = 0; rank < options.processes; ++rank) {
    workers[rank].rank = rank;
    workers[rank].pid = start_worker(options, rank, rendezvous->port());
    workers[rank].running = true;
  }

  int handled_signals = 0;
  bool stopping = false, broken = false;
  constexpr Clock::time_point kNever = Clock::time_point::max();
  Clock::time_point terminate_at = kNever, kill_at = kNever;
  while (any_running(workers)) {
    int raw = 0;
    pid_t pid;
    while ((pid = ::waitpid(-1, &raw, WNOHANG)) > 0) {
      for (auto& worker : workers) {
        if (worker.pid != pid || !worker.running) continue;
        worker.running = false;
        worker.wait_status = raw;
        const bool others_running = any_running(workers);
        const bool abnormal = WIFSIGNALED(raw) || (WIFEXITED(raw) && WEXITSTATUS(raw) != 0 && others_running);
        if (!abnormal) continue;
        broken = true;
        // A worker that failed on its own error left its note already; a killed one could not.
        const std::string key = replica_note::exit(worker.rank);
        if (!rendezvous->get(key)) rendezvous->set(key, describe_exit(worker.rank, options.processes, raw));
        if (!stopping && terminate_at == kNever && others_running) {
          terminate_at = Clock::now() + options.timeout + kStopGrace;
        }
      }
    }
    const int signals = stop_signal_count();
    if (signals > handled_signals) {
      if (handled_signals == 0) {
        stopping = true;
        rendezvous->set(replica_note::stop, std::to_string(stop_signal()));
        signal_running(workers, stop_signal());
        kill_at = Clock::now() + kStopGrace;
      } else {
        signal_running(workers, SIGKILL);
      }
      handled_signals = signals;
    }
    const auto now = Clock::now();
    if (now >= terminate_at) {
      signal_running(workers, SIGTERM);
      terminate_at = kNever;
      kill_at = now + kStopGrace;
    }
    if (now >= kill_at) signal_running(workers, SIGKILL);
    std::this_thread::sleep_for(kPoll);
  }

  const int root_status = workers.front().wait_status;
  if (WIFSIGNALED(root_status)) {
    release_run_of_dead_root(*rendezvous, options.db, describe_exit(0, options.processes, root_status));
  }
  if (stopping) return 130;
  if (broken) return 1;
  for (const auto& worker : workers) {
    if (WEXITSTATUS(worker.wait_status) != 0) return WEXITSTATUS(worker.wait_status);
  }
  return 0;
}

}  // namespace ablate::runner
