// Naming a thread and choosing its scheduling policy, which Swift's Glibc module does not export:
// pthread_setname_np and SCHED_BATCH are GNU extensions, declared only under _GNU_SOURCE.
#ifndef SLUICE_CTHREADS_H
#define SLUICE_CTHREADS_H

#include <pthread.h>
#include <sched.h>

#if defined(__linux__)
extern int pthread_setname_np(pthread_t thread, const char *name);
#endif

// Names the calling thread (Linux keeps the first 15 bytes), as `top -H`, `perf` and gdb show it.
// Returns 0 on success, else an error number.
static inline int sluice_name_current_thread(const char *name) {
#if defined(__linux__)
    return pthread_setname_np(pthread_self(), name);
#else
    (void)name;
    return 0;
#endif
}

// Moves the calling thread to SCHED_BATCH (Linux's policy 3 for CPU-bound work: a thread it wakes
// does not preempt the one running, but waits for its slice to end) when `batch` is non-zero, else
// to SCHED_OTHER (0, the default). Returns 0 on success, else an error number; elsewhere than
// Linux, 0 for the default and ENOTSUP for batch.
static inline int sluice_set_current_thread_batch(int batch) {
#if defined(__linux__)
    struct sched_param parameters = { .sched_priority = 0 };
    return pthread_setschedparam(pthread_self(), batch ? 3 : 0, &parameters);
#else
    return batch ? 95 : 0;
#endif
}

// The calling thread's policy (Linux: 0 normal, 3 batch), or -1 where it cannot be read.
static inline int sluice_current_thread_policy(void) {
    int policy = -1;
    struct sched_param parameters;
    if (pthread_getschedparam(pthread_self(), &policy, &parameters) != 0) return -1;
    return policy;
}

#endif
