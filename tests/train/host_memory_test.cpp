#include "core/train/host_memory.h"

#include <sys/resource.h>

#include <vector>

#include <gtest/gtest.h>
#include <torch/torch.h>

namespace ablate::train {
namespace {

long minor_page_faults() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_minflt;
}

// What a training step does to the heap: activations of a few sizes allocated through the forward pass
// and all freed by the end of the backward pass.
void one_step() {
  std::vector<torch::Tensor> activations;
  for (const int64_t megabytes : {4, 16, 48, 8, 24}) activations.push_back(torch::ones({megabytes << 18}));
}

TEST(HostMemory, AStepsWorthOfFreedBlocksIsReusedWithoutFaultingPagesInAgain) {
  retain_freed_host_memory();
  for (int i = 0; i < 3; ++i) one_step();  // the heap grows to its peak
  const long before = minor_page_faults();
  for (int i = 0; i < 3; ++i) one_step();
  // With glibc's defaults the 48 MB block is mapped afresh every step (above the largest mmap threshold
  // glibc picks itself) and the heap top is trimmed: tens of thousands of 4 KiB pages fault in again.
  EXPECT_LT(minor_page_faults() - before, 1000);
}

}  // namespace
}  // namespace ablate::train
