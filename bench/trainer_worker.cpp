// The C++ side of bench/vs_eager.py: the trainer's own step and evaluation (core/train/train_step.h)
// on one run's network, timed in rounds that the Python driver requests one at a time, so that C++ and
// PyTorch eager alternate in one run on the same machine.
//
//   trainer_worker RUN.json     RUN.json: one of the "runs" of `ablate show NAME --format json`
//
// Builds the model and optimiser as the trainer does (build_model_and_optimizer: seeded, on the run's
// device and memory format, make_sgd), with the run's train.* runtime settings (threads, device,
// precision, channels_last), and fixed random batches of train.batch_size and train.eval_batch_size
// images of the model's input shape. Then reads commands on stdin, one per line, and answers each with
// one line on stdout:
//   train K  ->  "train SECONDS IMAGES CPU_SECONDS"   K training steps (the last one waits for the device)
//   eval K   ->  "eval SECONDS IMAGES CPU_SECONDS"    K evaluation batches through a fresh EvalStep
//                                                     (folding included)
// SECONDS is wall time, CPU_SECONDS the process's user + system time over the same span (all threads).
//   profile K PATH -> "profile PATH"     K training steps under LibTorch's profiler, chrome trace to PATH
//   memory   ->  "memory PEAK_BYTES"      peak CUDA memory allocated so far (-1 without CUDA)
//   quit
// Errors go to stderr as one line, exit status 1 (2 for a bad command line).

#include <chrono>
#include <cstdio>
#include <exception>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include <sys/resource.h>

#include <c10/core/InferenceMode.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <torch/csrc/autograd/profiler_legacy.h>
#include <torch/types.h>

#include "core/config/run_spec_json.h"
#include "core/train/device.h"
#include "core/train/train_step.h"
#include "core/train/trainer.h"

#if ABLATE_TORCH_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#endif

namespace {

using Clock = std::chrono::steady_clock;
using namespace ablate;

config::RunSpec read_run(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(fmt::format("{}: cannot open", path));
  const nlohmann::json json = nlohmann::json::parse(in);
  // One run, or `ablate show --format json`'s whole output (its first run).
  return config::run_spec_from_json(json.contains("runs") ? json.at("runs").at(0) : json);
}

train::Batch random_batch(const config::RunSpec& spec, int64_t size) {
  const auto& o = spec.model.options;
  const int64_t side = spec.model.image_size;
  return {torch::randn({size, o.input_channels(), side, side}), torch::randint(o.num_classes(), {size}, torch::kLong)};
}

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + 1e-6 * static_cast<double>(t.tv_usec); };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

int64_t peak_cuda_bytes(const torch::Device& device) {
#if ABLATE_TORCH_CUDA
  if (device.is_cuda()) {
    const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(device.index());
    return stats.allocated_bytes[0].peak;  // [0]: StatType::AGGREGATE
  }
#endif
  return -1;
}

int serve(const config::RunSpec& spec) {
  const train::RuntimeSettings runtime = train::configure_runtime(spec.train);
  train::ModelAndOptimizer built = train::build_model_and_optimizer(spec, runtime);
  train::TrainStep train_step(built.model, *built.optimizer, runtime, spec.train.label_smoothing);
  const train::Batch train_batch = random_batch(spec, spec.train.batch_size);
  const train::Batch eval_batch = random_batch(spec, spec.train.eval_batch_size);
  std::printf("ready threads=%lld device=%s channels_last=%d bf16=%d\n", static_cast<long long>(runtime.threads),
              runtime.device.str().c_str(), runtime.channels_last ? 1 : 0, runtime.bf16_autocast ? 1 : 0);
  std::fflush(stdout);

  for (std::string line; std::getline(std::cin, line);) {
    std::istringstream command(line);
    std::string what;
    int64_t count = 0;
    command >> what >> count;
    if (what == "quit") break;
    if (what == "profile" && count > 0) {
      std::string path;
      command >> path;
      built.model.ptr()->train();
      train::EpochMeter meter(runtime.device, /*count_top5=*/false);
      {
        torch::autograd::profiler::RecordProfile profile(path);
        for (int64_t step = 1; step <= count; ++step) train_step(train_batch, meter, step);
        meter.read();
      }
      std::printf("profile %s\n", path.c_str());
    } else if (what == "memory") {
      std::printf("memory %lld\n", static_cast<long long>(peak_cuda_bytes(runtime.device)));
    } else if ((what == "train" || what == "eval") && count > 0) {
      const Clock::time_point start = Clock::now();
      const double cpu_start = cpu_seconds();
      int64_t images = 0;
      if (what == "train") {
        built.model.ptr()->train();
        train::EpochMeter meter(runtime.device, /*count_top5=*/false);
        for (int64_t step = 1; step <= count; ++step) train_step(train_batch, meter, step);
        images = meter.read().samples;  // the read waits for the device, as the trainer's epoch end does
      } else {
        c10::InferenceMode inference;
        train::EvalStep eval_step(built.model, runtime);
        train::EpochMeter meter(runtime.device);
        for (int64_t step = 1; step <= count; ++step) eval_step(eval_batch, meter, step);
        images = meter.read().samples;
      }
      const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
      std::printf("%s %.6f %lld %.6f\n", what.c_str(), seconds, static_cast<long long>(images),
                  cpu_seconds() - cpu_start);
    } else {
      std::fprintf(stderr, "trainer_worker: unknown command '%s' (expected train K, eval K, profile K PATH, memory or quit)\n",
                   line.c_str());
      return 1;
    }
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: trainer_worker RUN.json (one run of `ablate show NAME --format json`)\n");
    return 2;
  }
  try {
    return serve(read_run(argv[1]));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "trainer_worker: %s\n", e.what());
    return 1;
  }
}
