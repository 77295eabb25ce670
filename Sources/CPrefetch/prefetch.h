// A cache prefetch hint, which Swift has no spelling for: SluiceState's passes over a key table
// fetch the state a value points to a few entries ahead, so that its cache misses overlap.
#ifndef SLUICE_CPREFETCH_H
#define SLUICE_CPREFETCH_H

static inline __attribute__((always_inline)) void sluice_prefetch(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

#endif
