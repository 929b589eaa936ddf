/* cpu.h - what the threaded parts of quire ask of the machine: how many
 * processors this thread may run on, and a monotonic clock. No state. */
#ifndef QUIRE_CPU_H
#define QUIRE_CPU_H

/* The processors this thread may use (taskset, cgroups), not all the
 * machine has; at least 1. */
int qcpu_count(void);
/* Nanoseconds of a monotonic clock (from an arbitrary start). */
long long qclock_ns(void);

#endif
