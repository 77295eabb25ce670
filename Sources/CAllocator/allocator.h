// mimalloc (Debian's libmimalloc-dev), linked into every Sluice binary in place of the C
// library's malloc, and what Swift needs to ask it.
#ifndef SLUICE_CALLOCATOR_H
#define SLUICE_CALLOCATOR_H

#include <stdbool.h>
#include <stdlib.h>
#include <mimalloc.h>

// Whether `malloc` itself, as the Swift runtime and the C library call it, is mimalloc's: true
// when the link put libmimalloc before the C library, false if something interposed another.
static inline bool sluice_malloc_is_mimalloc(void) {
    void *probe = malloc(16);
    bool served = probe != NULL && mi_is_in_heap_region(probe);
    free(probe);
    return served;
}

// mimalloc's version as one number: 209 for 2.0.9.
static inline int sluice_mimalloc_version(void) { return mi_version(); }

#endif
