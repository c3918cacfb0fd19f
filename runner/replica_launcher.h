#pragma once
// `ablate run NAME --nproc N`: one run on N local worker processes, started by ablate itself.
//
// The launcher hosts the rendezvous store (on a free port of 127.0.0.1) and starts N copies of the same
// `ablate run` command line with the torchrun variables set (RANK, WORLD_SIZE, LOCAL_RANK,
// LOCAL_WORLD_SIZE, MASTER_ADDR, MASTER_PORT, TORCHELASTIC_USE_AGENT_STORE=True), so the workers take the
// same path as under torchrun. Then it watches:
//  - SIGINT/SIGTERM: noted in the store and forwarded to every worker, which stop at their next step;
//    any still alive 10 s later are SIGKILLed (a second signal does that at once; a third ends the
//    launcher itself, and the workers stop as below). Exit status 130.
//  - a worker that ends while others still run (crash, SIGKILL, OOM killer, an error): its way of ending
//    is noted in the store, where rank 0 reads it to name the rank in the stored run. The others end on
//    their own once their collectives fail (at once for a dead process, after the collective timeout for
//    a hung one); whoever is still alive `timeout` + 10 s later is stopped as above. Exit status 1.
//  - rank 0 itself dying while training: the launcher marks its run killed in the results store, naming
//    rank 0, so the next `ablate run` resumes it at once.
// Workers die with the launcher (PR_SET_PDEATHSIG): a SIGKILLed launcher leaves no orphans training.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace ablate::runner {

struct LaunchOptions {
  int64_t processes = 2;
  std::vector<std::string> arguments;  // the whole invocation; argv[0] is replaced by /proc/self/exe
  std::chrono::milliseconds timeout{std::chrono::minutes(5)};  // the workers' collective timeout
  std::string db;  // where rank 0 stores the runs (for marking its run killed)
};

// Starts the workers, waits for all of them, returns the exit status: rank 0's when every worker ended
// normally, 130 when stopped by a signal, 1 when a worker failed or was killed.
int launch_replicas(const LaunchOptions& options);

}  // namespace ablate::runner
