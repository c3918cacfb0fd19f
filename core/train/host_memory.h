#pragma once
// Host memory policy of a training process.

namespace ablate::train {

// Makes glibc's malloc keep freed memory for reuse instead of handing it back to the kernel: no mmap for
// large blocks, no trimming of the heap top. A training step frees and reallocates the same activation and
// gradient buffers (megabytes each) every step; with glibc's defaults the large ones are mmapped or trimmed
// away when freed, so each step faults its working memory back in page by page (measured on the quick
// profile's nets: about 20,000 page faults and 15% of a CPU training step; an eval batch of 1000 images,
// over 30,000 faults). The cost is that the process keeps its peak heap until it exits, which a training
// run reaches anyway. Process-wide and idempotent; a no-op where the C library is not glibc.
void retain_freed_host_memory();

}  // namespace ablate::train
