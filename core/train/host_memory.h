#pragma once
// Host memory policy of a training process.

namespace ablate::train {

// Makes glibc's malloc keep freed memory for reuse instead of handing it back to the kernel: blocks up to
// 32 MB from the heap, and no trimming of the heap top. A training step frees and reallocates the same
// activation and gradient buffers (megabytes each) every step; with glibc's defaults the heap top is
// trimmed when they are freed, so each step faults its working memory back in page by page (measured on
// the quick profile's nets: about 20,000 page faults per step and 15% of a CPU training step). Blocks above
// 32 MB stay mapped one by one (see the .cpp); the CPU evaluation keeps its activations below that size
// (train_step.cpp). The cost: the process keeps its peak heap until it exits, which a training run reaches
// anyway. Process-wide and idempotent; a no-op where the C library is not glibc.
void retain_freed_host_memory();

}  // namespace ablate::train
