// One rank of the data-parallel tests (tests/dist): joins the group its torchrun-style environment
// describes (rank 0 hosts the rendezvous store) and then, by MODE:
//   steps OUT GLOBAL_BATCH STEPS BUCKET_BYTES   takes replica_steps.h's steps, saves parameters + meter to OUT.<rank>
//   exit-early                                  rank 1 exits at once; rank 0 all-reduces and reports how it ended
//   hang                                        rank 1 sleeps; rank 0 all-reduces and reports how it ended
// Rank 0's report for the last two: exit status 3 when its collective failed with dist::CollectiveError.
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "core/dist/process_group.h"
#include "core/dist/rendezvous.h"
#include "core/dist/world.h"
#include "tests/dist/replica_steps.h"

namespace {

constexpr int kCollectiveFailed = 3;

}  // namespace

int main(int argc, char** argv) {
  using namespace ablate;
  if (argc < 3) {
    std::fprintf(stderr, "usage: replica_step_worker TIMEOUT_SECONDS MODE [ARGS]\n");
    return 2;
  }
  const auto timeout = std::chrono::seconds(std::stoll(argv[1]));
  const std::string mode = argv[2];
  const dist::World world = dist::detect_world().value();
  auto rendezvous = world.rank == 0 ? dist::Rendezvous::host(world.master_port, "", timeout)
                                    : dist::Rendezvous::join(world.master_addr, world.master_port, "", timeout);
  dist::GroupOptions options;
  options.timeout = timeout;
  dist::ProcessGroup group(world, rendezvous, options);

  if (mode == "steps" && argc == 7) {
    dist::testing::StepPlan plan;
    plan.global_batch = std::stoll(argv[4]);
    plan.steps = std::stoll(argv[5]);
    plan.bucket_bytes = std::stoll(argv[6]);
    const dist::testing::StepResult result = dist::testing::take_steps(plan, {world.rank, world.size}, &group);
    std::vector<torch::Tensor> saved = result.parameters;
    saved.push_back(result.meter);
    saved.push_back(torch::tensor({result.buckets}));
    torch::save(saved, std::string(argv[3]) + "." + std::to_string(world.rank));
    return 0;
  }
  if (mode == "exit-early" || mode == "hang") {
    if (world.rank != 0) {
      if (mode == "hang") std::this_thread::sleep_for(timeout * 4);
      return 0;
    }
    torch::Tensor value = torch::ones({4});
    try {
      group.all_reduce(value);
    } catch (const dist::CollectiveError& e) {
      std::fprintf(stderr, "%s\n", e.what());
      return kCollectiveFailed;
    }
    return 0;
  }
  std::fprintf(stderr, "replica_step_worker: unknown mode or arguments\n");
  return 2;
}
