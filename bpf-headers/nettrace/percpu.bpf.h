/* SPDX-License-Identifier: GPL-2.0 */
/* One value per CPU (totals, histograms) that a report sums over CPUs: no atomics and no lost
 * updates on the hot path. NT_PERCPU_VALUE(totals, struct totals) declares the map `totals` (read
 * it in TypeScript with ctx.read('totals', TotalsLayout), summed over CPUs) and `totals_get()`. */
#pragma once
#include "common.bpf.h"

#define NT_PERCPU_VALUE(name, value_type)                                                          \
    struct {                                                                                       \
        __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);                                                   \
        __uint(max_entries, 1);                                                                    \
        __type(key, __u32);                                                                        \
        __type(value, value_type);                                                                 \
    } name SEC(".maps");                                                                           \
    static __always_inline value_type *name##_get(void) {                                          \
        __u32 zero = 0;                                                                            \
        return bpf_map_lookup_elem(&name, &zero);                                                  \
    }
