// Restricting a process to some of its CPUs, which Glibc's Swift module does not expose
// (`sched_setaffinity` is a GNU extension): `nexmark run --cores N` measures how a query scales
// with the cores it is given, where the parallelism alone does not (a stage behind an exchange
// is a thread of its own, so parallelism 1 already runs on more than one core).
#ifndef SLUICE_CAFFINITY_H
#define SLUICE_CAFFINITY_H

#include <errno.h>

#ifdef __linux__
// As glibc declares them (pid_t is int and size_t unsigned long on Linux's 64-bit ABIs); declared
// here because <sched.h> hides them without _GNU_SOURCE. A mask of 16 words covers 1,024 CPUs.
int sched_getaffinity(int pid, unsigned long size, void *mask);
int sched_setaffinity(int pid, unsigned long size, const void *mask);
#endif

/// The number of CPUs the calling thread may run on, or -1 with errno set.
static inline int sluice_available_cpus(void) {
#ifdef __linux__
    unsigned long allowed[16] = {0};
    if (sched_getaffinity(0, sizeof allowed, allowed) != 0) return -1;
    int available = 0;
    for (int word = 0; word < 16; word++) available += __builtin_popcountl(allowed[word]);
    return available;
#else
    errno = ENOSYS;
    return -1;
#endif
}

/// Restricts the calling thread, and the threads it starts from now on, to the first `count` of
/// the CPUs it may run on. Returns 0, or -1 with errno set (EINVAL when fewer than `count` CPUs,
/// or none, are available).
static inline int sluice_restrict_to_first_cpus(int count) {
#ifdef __linux__
    unsigned long allowed[16] = {0}, chosen[16] = {0};
    if (count < 1) {
        errno = EINVAL;
        return -1;
    }
    if (sched_getaffinity(0, sizeof allowed, allowed) != 0) return -1;
    int taken = 0;
    for (int cpu = 0; cpu < 1024 && taken < count; cpu++) {
        if ((allowed[cpu / 64] >> (cpu % 64)) & 1UL) {
            chosen[cpu / 64] |= 1UL << (cpu % 64);
            taken++;
        }
    }
    if (taken < count) {
        errno = EINVAL;
        return -1;
    }
    return sched_setaffinity(0, sizeof chosen, chosen);
#else
    (void)count;
    errno = ENOSYS;
    return -1;
#endif
}

#endif
