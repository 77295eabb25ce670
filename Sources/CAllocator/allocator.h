// glibc's malloc settings, which Swift's Glibc module does not export (malloc.h is not in it).
#ifndef SLUICE_CALLOCATOR_H
#define SLUICE_CALLOCATOR_H

#include <stdlib.h>  // a C library header first: it defines __GLIBC__ on glibc
#if defined(__GLIBC__)
#include <malloc.h>
#endif

// Keeps up to `trimBytes` of freed memory at the top of each malloc arena instead of handing it
// back to the kernel, and serves blocks below `mmapBytes` from the arenas rather than from
// mmap(2). Returns 0 where the C library has no such settings (it is not glibc).
static inline int sluice_keep_freed_memory(size_t trimBytes, size_t mmapBytes) {
#if defined(__GLIBC__)
    return mallopt(M_MMAP_THRESHOLD, (int)mmapBytes) && mallopt(M_TRIM_THRESHOLD, (int)trimBytes);
#else
    (void)trimBytes;
    (void)mmapBytes;
    return 0;
#endif
}

#endif
