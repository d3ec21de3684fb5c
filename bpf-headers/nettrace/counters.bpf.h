/* SPDX-License-Identifier: GPL-2.0 */
/* Per-CPU event counters: one PERCPU_ARRAY named `counters` indexed by a plugin's enum;
 * @nettrace/core reads them with readCounters(map, names), summed over CPUs. */
#pragma once
#include "common.bpf.h"

#define NT_COUNTERS(n)                                                                             \
    struct {                                                                                       \
        __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);                                                   \
        __uint(max_entries, n);                                                                    \
        __type(key, __u32);                                                                        \
        __type(value, __u64);                                                                      \
    } counters SEC(".maps")

/* Adds `by` to counter `which` (per CPU: no atomics needed, no lost updates). */
#define nt_count(which, by)                                                                        \
    do {                                                                                           \
        __u32 __k = (which);                                                                       \
        __u64 *__c = bpf_map_lookup_elem(&counters, &__k);                                         \
        if (__c)                                                                                   \
            *__c += (by);                                                                          \
    } while (0)
