#include "core/train/host_memory.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace ablate::train {

void retain_freed_host_memory() {
#if defined(__GLIBC__)
  mallopt(M_MMAP_MAX, 0);                 // every block from the heap, where a freed block can be reused
  mallopt(M_TRIM_THRESHOLD, -1);          // never shrink the heap (-1: trimming off, mallopt(3))
#endif
}

}  // namespace ablate::train
