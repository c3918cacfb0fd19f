// Data-parallel scaling on this machine: the trainer's own step (TrainStep, with dist::GradientAllReduce
// over Gloo on loopback for the group) on one process with one intra-op thread against two processes with
// one thread each, at the same global batch (each of the two takes half of it). Efficiency is the two
// processes' images/s over twice the single process's: 100% is perfect scaling; what is lost is the
// gradient all-reduce that backward did not hide, the smaller per-process batch, and whatever else runs on
// the machine. That last part is measured too: the same two processes side by side without the
// all-reduce (each training its half alone) give the most two processes can reach on this machine now,
// and the group's images/s over theirs is the cost of the communication alone. The single process is
// measured before and after the pairs (the machine's load changes; the mean of the two is used).
//
// Usage: data_parallel_bench [steps per round = 10] [rounds = 3] [global batch = 128]
// The net is the CPU profiles' shape (cifar stem with stride 2, base 16, blocks [3,3,3], 1x16d, 1x28x28
// input, 10 classes), channels_last, batch statistics per process as in training.
// The driver re-executes itself as the two ranks (environment: RANK, WORLD_SIZE, MASTER_PORT, ...).

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "core/data/replica_split.h"
#include "core/dist/gradient_all_reduce.h"
#include "core/dist/process_group.h"
#include "core/dist/rendezvous.h"
#include "core/dist/world.h"
#include "core/models/resnet.h"
#include "core/train/device.h"
#include "core/train/optimizer.h"
#include "core/train/train_step.h"

extern char** environ;

namespace {

using namespace ablate;
using Clock = std::chrono::steady_clock;
constexpr auto kTimeout = std::chrono::minutes(2);

struct Settings {
  int steps = 10, rounds = 3;
  int64_t batch = 128;
};

struct Measured {
  double images_per_second = 0;
  double exposed_share = 0;  // of the step time, waiting for the all-reduce after backward
};

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

// Rounds of `steps` training steps on this process's share of a fixed batch; nullptr group: alone, its
// images/s counting its share only.
Measured measure(const Settings& settings, const data::Replica& replica, dist::ProcessGroup* group) {
  torch::set_num_threads(1);
  torch::manual_seed(0);
  auto model = models::ResNet(models::ResNetOptions()
                                  .stem(models::Stem::cifar)
                                  .stem_stride(2)
                                  .base_channels(16)
                                  .stem_channels(16)
                                  .blocks({3, 3, 3})
                                  .cardinality(1)
                                  .bottleneck_width(16)
                                  .input_channels(1)
                                  .num_classes(10));
  train::to_channels_last(*model);
  model->train();
  config::TrainSpec train_spec;
  train_spec.nesterov = true;
  auto optimizer = train::make_sgd(*model, train_spec);
  torch::nn::AnyModule any(model);
  train::RuntimeSettings runtime;
  runtime.channels_last = true;
  std::unique_ptr<dist::GradientAllReduce> gradients;
  if (group) gradients = std::make_unique<dist::GradientAllReduce>(model->parameters(), *group);
  train::TrainStep step(any, *optimizer, runtime, 0, gradients.get());

  const data::PositionRange part = data::replica_positions(settings.batch, settings.batch, 0, replica);
  const train::Batch batch{torch::randn({settings.batch, 1, 28, 28}).narrow(0, part.begin, part.size()),
                           torch::randint(10, {settings.batch}, torch::kLong).narrow(0, part.begin, part.size())};
  train::EpochMeter meter(runtime.device, false);
  for (int i = 1; i <= 2; ++i) step(batch, meter, i);  // warm-up: allocator, oneDNN primitives, connections
  std::vector<double> rates, shares;
  for (int round = 0; round < settings.rounds; ++round) {
    const double exposed_before = gradients ? gradients->exposed_seconds() : 0;
    const Clock::time_point start = Clock::now();
    for (int i = 1; i <= settings.steps; ++i) step(batch, meter, i);
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    const int64_t images = group ? settings.batch : part.size();
    rates.push_back(static_cast<double>(images * settings.steps) / seconds);
    shares.push_back(gradients ? (gradients->exposed_seconds() - exposed_before) / seconds : 0);
  }
  return {median(rates), median(shares)};
}

int run_rank(const Settings& settings) {
  const dist::World world = dist::detect_world().value();
  if (std::getenv("ABLATE_BENCH_WITHOUT_ALL_REDUCE") != nullptr) {
    const Measured measured = measure(settings, {world.rank, world.size}, nullptr);
    std::printf("%.6f 0\n", measured.images_per_second);
    return 0;
  }
  auto rendezvous = dist::Rendezvous::join(world.master_addr, world.master_port, world.store_prefix, kTimeout);
  dist::GroupOptions options;
  options.timeout = kTimeout;
  dist::ProcessGroup group(world, rendezvous, options);
  const Measured measured = measure(settings, {world.rank, world.size}, &group);
  if (world.rank == 0) std::printf("%.6f %.6f\n", measured.images_per_second, measured.exposed_share);
  return 0;
}

// Two ranks of this executable, as a group or side by side without the all-reduce; their answer lines
// read through a pipe (the group's from rank 0, the two independent ones summed).
Measured measure_pair(char** argv, bool all_reduce) {
  auto rendezvous = dist::Rendezvous::host(0, dist::agent_store_prefix(0), kTimeout);
  int answer[2];
  if (::pipe(answer) != 0) throw std::runtime_error("pipe failed");
  std::vector<pid_t> ranks;
  for (int rank = 0; rank < 2; ++rank) {
    std::vector<std::string> variables;
    for (char** entry = environ; *entry != nullptr; ++entry) variables.push_back(*entry);
    for (const std::string& v : {"RANK=" + std::to_string(rank), std::string("WORLD_SIZE=2"), "LOCAL_RANK=" + std::to_string(rank),
                                 std::string("LOCAL_WORLD_SIZE=2"), std::string("MASTER_ADDR=127.0.0.1"),
                                 "MASTER_PORT=" + std::to_string(rendezvous->port()),
                                 std::string("TORCHELASTIC_USE_AGENT_STORE=True")}) {
      variables.push_back(v);
    }
    if (!all_reduce) variables.push_back("ABLATE_BENCH_WITHOUT_ALL_REDUCE=1");
    std::vector<char*> envp;
    for (auto& v : variables) envp.push_back(v.data());
    envp.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid == 0) {
      if (rank == 0 || !all_reduce) ::dup2(answer[1], STDOUT_FILENO);
      ::close(answer[0]);
      ::close(answer[1]);
      ::execve("/proc/self/exe", argv, envp.data());
      ::_exit(127);
    }
    ranks.push_back(pid);
  }
  ::close(answer[1]);
  std::string line;
  char buffer[256];
  ssize_t n;
  while ((n = ::read(answer[0], buffer, sizeof(buffer))) > 0) line.append(buffer, static_cast<size_t>(n));
  ::close(answer[0]);
  for (pid_t pid : ranks) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error("a rank of the pair failed");
  }
  Measured measured, second;
  const int fields = std::sscanf(line.c_str(), "%lf %lf %lf %lf", &measured.images_per_second, &measured.exposed_share,
                                 &second.images_per_second, &second.exposed_share);
  if (fields != (all_reduce ? 2 : 4)) throw std::runtime_error("the pair gave no figures: '" + line + "'");
  if (!all_reduce) measured.images_per_second += second.images_per_second;
  return measured;
}

}  // namespace

int main(int argc, char** argv) {
  Settings settings;
  if (argc > 1) settings.steps = std::atoi(argv[1]);
  if (argc > 2) settings.rounds = std::atoi(argv[2]);
  if (argc > 3) settings.batch = std::atoll(argv[3]);
  if (settings.steps < 1 || settings.rounds < 1 || settings.batch < 2 || settings.batch % 2 != 0) {
    std::fprintf(stderr, "usage: data_parallel_bench [steps >= 1] [rounds >= 1] [even global batch >= 2]\n");
    return 2;
  }
  try {
    if (std::getenv("RANK") != nullptr) return run_rank(settings);
    std::printf("data-parallel scaling, CPU, Gloo over loopback, LibTorch %s, 1 intra-op thread per process\n"
                "net 1x16d (cifar stem stride 2, base 16, blocks [3,3,3]), channels_last, global batch %lld of "
                "1x28x28, %d steps x %d rounds (median)\n",
                TORCH_VERSION, static_cast<long long>(settings.batch), settings.steps, settings.rounds);
    std::fflush(stdout);
    const Measured before = measure(settings, {0, 1}, nullptr);
    const Measured side_by_side = measure_pair(argv, /*all_reduce=*/false);
    const Measured pair = measure_pair(argv, /*all_reduce=*/true);
    const Measured after = measure(settings, {0, 1}, nullptr);
    const double single = (before.images_per_second + after.images_per_second) / 2;
    std::printf("%-10s %-15s %10s %8s %11s %22s\n", "processes", "batch per rank", "img/s", "speedup", "efficiency",
                "exposed all-reduce");
    std::printf("%-10d %-15lld %10.1f %8.2f %10.0f%% %22s\n", 1, static_cast<long long>(settings.batch), single, 1.0,
                100.0, "-");
    std::printf("%-10d %-15lld %10.1f %8.2f %10.0f%% %22s\n", 2, static_cast<long long>(settings.batch / 2),
                side_by_side.images_per_second, side_by_side.images_per_second / single,
                50.0 * side_by_side.images_per_second / single, "(no all-reduce)");
    std::printf("%-10d %-15lld %10.1f %8.2f %10.0f%% %20.1f%%\n", 2, static_cast<long long>(settings.batch / 2),
                pair.images_per_second, pair.images_per_second / single, 50.0 * pair.images_per_second / single,
                100.0 * pair.exposed_share);
    std::printf("data-parallel pair / the same pair without all-reduce: %.2f (the communication's cost alone)\n",
                pair.images_per_second / side_by_side.images_per_second);
    std::printf("(single process: %.1f img/s before the pairs, %.1f after)\n", before.images_per_second,
                after.images_per_second);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "data_parallel_bench: %s\n", e.what());
    return 1;
  }
}
