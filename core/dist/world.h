#pragma once
// Which process of which run this is: the launch environment of a data-parallel run, as the three ways of
// starting one describe it in environment variables.
//  - torchrun (and `ablate run --nproc N`, which sets the same): RANK, WORLD_SIZE, LOCAL_RANK,
//    LOCAL_WORLD_SIZE, MASTER_ADDR, MASTER_PORT; TORCHELASTIC_USE_AGENT_STORE=True when the launcher
//    hosts the rendezvous store (then every rank joins it under /worker/attempt_<TORCHELASTIC_RESTART_COUNT>,
//    as PyTorch's env:// init does).
//  - srun: SLURM_PROCID, SLURM_STEP_NUM_TASKS (= SLURM_NTASKS of the step), SLURM_LOCALID, the tasks per
//    node (SLURM_STEP_TASKS_PER_NODE or SLURM_TASKS_PER_NODE, with SLURM_NODEID), and the first host of
//    SLURM_STEP_NODELIST (or SLURM_JOB_NODELIST) as the rendezvous host unless MASTER_ADDR is set; the port
//    is MASTER_PORT, else derived from SLURM_JOB_ID (15000 + id mod 15000: below Linux's ephemeral range,
//    different for the array tasks that share a node). A batch script outside srun sees SLURM_PROCID=0
//    and the allocation's SLURM_NTASKS but no SLURM_STEP_NUM_TASKS: it is one process, not rank 0 of a
//    group that would never come.
// torchrun's variables win when both are present (torchrun inside a Slurm allocation). No LibTorch here.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace ablate::dist {

struct World {
  int64_t rank = 0;        // 0 is the only process that writes results and checkpoints
  int64_t size = 1;        // processes training the run
  int64_t local_rank = 0;  // rank among the processes of this machine: the GPU it takes is cuda:local_rank
  int64_t local_size = 1;  // processes on this machine (they share its cores)
  std::string master_addr;  // host of the rendezvous store
  int64_t master_port = 0;
  // The launcher hosts the rendezvous store (torchrun's agent store, `ablate run --nproc`): every rank,
  // rank 0 included, joins it as a client, its keys under store_prefix. Otherwise rank 0 hosts it.
  bool launcher_hosts_store = false;
  std::string store_prefix;
  std::string source;  // "torchrun environment" or "srun environment", for messages

  bool distributed() const { return size > 1; }
};

// A variable's value, nullopt when unset. The default reads the process environment; tests pass a map.
using Environment = std::function<std::optional<std::string>(const std::string& name)>;
Environment process_environment();

// nullopt when no launch environment is present (one process on its own). Throws std::invalid_argument
// naming the variable and its value when one is malformed, missing where needed, or inconsistent
// (RANK >= WORLD_SIZE, a world size below 1, ...).
std::optional<World> detect_world(const Environment& environment = process_environment());

// The key prefix of a worker's rendezvous store when its launcher hosts the store: PyTorch's env://
// init uses "/worker/attempt_<TORCHELASTIC_RESTART_COUNT>".
std::string agent_store_prefix(int64_t restart_count);

// The first host of a Slurm host list: "gpu[07-09,12],cpu1" gives "gpu07" (as `scontrol show hostnames
// LIST | head -1`). Throws std::invalid_argument for an empty or malformed list.
std::string first_slurm_host(const std::string& nodelist);

// Tasks on node `node` (0-based) of a Slurm tasks-per-node list: "2(x3),1" is 2, 2, 2, 1. Throws
// std::invalid_argument for a malformed list or a node beyond it.
int64_t slurm_tasks_on_node(const std::string& tasks_per_node, int64_t node);

}  // namespace ablate::dist
