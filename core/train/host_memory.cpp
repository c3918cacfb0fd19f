#include "core/train/host_memory.h"

#include <cstdlib>  // before the test below: a C library header is what defines __GLIBC__
#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace ablate::train {

void retain_freed_host_memory() {
#if defined(__GLIBC__)
  // Blocks up to 32 MB (the most glibc allows) come from the heap, where a freed block can be reused;
  // larger ones keep their own mapping, so no pattern of large blocks can fragment the heap without bound
  // (which mmap off entirely allowed: measured, a heap growing by a 48 MB block every cycle).
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, -1);  // never shrink the heap (-1: trimming off, mallopt(3))
#endif
}

}  // namespace ablate::train
