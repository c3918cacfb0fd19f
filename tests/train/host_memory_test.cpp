#include "core/train/host_memory.h"

#include <sys/resource.h>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "core/train/train_step.h"
#include "core/train/trainer.h"
#include "train_test_support.h"

namespace ablate::train {
namespace {

long minor_page_faults() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_minflt;
}

TEST(HostMemory, TrainingStepsAfterTheFirstFaultNoMemoryIn) {
  retain_freed_host_memory();
  // The quick profile's kind of net: ResNeXt-29 8x4d, 16 base channels, stride-2 stem, 28 px, batch 64:
  // about 100 MB of activations and gradients allocated and freed every step.
  config::RunSpec spec = testing::tiny_run_spec("host-memory");
  spec.model.options.blocks({3, 3, 3}).cardinality(8).bottleneck_width(4).base_channels(16).stem_channels(16)
      .stem_stride(2).num_classes(10);
  RuntimeSettings runtime;
  runtime.channels_last = true;
  ModelAndOptimizer built = build_model_and_optimizer(spec, runtime);
  TrainStep step(built.model, *built.optimizer, runtime, 0);
  const Batch batch{torch::randn({64, 1, 28, 28}), torch::randint(10, {64}, torch::kLong)};
  EpochMeter meter(runtime.device);
  for (int64_t i = 1; i <= 3; ++i) step(batch, meter, i);  // the heap grows to its peak
  const long before = minor_page_faults();
  for (int64_t i = 4; i <= 6; ++i) step(batch, meter, i);
  // With glibc's defaults the heap top is trimmed when the step's buffers are freed, and every step
  // faults about 20,000 4 KiB pages in again.
  EXPECT_LT(minor_page_faults() - before, 3 * 1000);
}

}  // namespace
}  // namespace ablate::train
