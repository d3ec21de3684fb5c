/* SPDX-License-Identifier: GPL-2.0 */
/* Per-CPU event counters named by an enum of the plugin:
 *
 *   enum qld_counter { QLD_ENQUEUED, QLD_DEQUEUED, QLD_COUNTERS };
 *   NT_COUNTERS(qld_counter, QLD_COUNTERS);
 *   ...
 *   nt_count(QLD_ENQUEUED, 1);
 *
 * declares the PERCPU_ARRAY `counters` with one slot per counter and puts the enum into the
 * object's BTF. The build reads it from there and generates `contract.counters = ['enqueued',
 * 'dequeued']` (the names without their common prefix, lower case; the last member is the count),
 * so TypeScript reads them by name with ctx.counters(), summed over CPUs, and a renamed or removed
 * counter fails the type check instead of shifting every later one. */
#pragma once
#include "common.bpf.h"

#define NT_COUNTERS(enum_name, count)                                                              \
    struct {                                                                                       \
        __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);                                                   \
        __uint(max_entries, count);                                                                \
        __type(key, __u32);                                                                        \
        __type(value, __u64);                                                                      \
    } counters SEC(".maps");                                                                       \
    NT_EXPORT_TYPE(enum enum_name, counters)

/* Adds `by` to counter `which` (per CPU: no atomics needed, no lost updates). */
#define nt_count(which, by)                                                                        \
    do {                                                                                           \
        __u32 __k = (which);                                                                       \
        __u64 *__c = bpf_map_lookup_elem(&counters, &__k);                                         \
        if (__c)                                                                                   \
            *__c += (by);                                                                          \
    } while (0)
