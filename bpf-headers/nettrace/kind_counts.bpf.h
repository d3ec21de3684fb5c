/* SPDX-License-Identifier: GPL-2.0 */
/* Events counted per hook point and kind (where each of a tool's hooks saw what):
 *
 *   enum fl_func { FL_GRO_RECEIVE_LIST, ..., FL_FUNCS };
 *   enum fl_kind { FL_CREATE, FL_CLEAR, ..., FL_KINDS };
 *   NT_KIND_COUNTS(per_func, FL_FUNCS, FL_KINDS)
 *   ...
 *   per_func_add(FL_SEGMENT_LIST, FL_CLEAR);
 *
 * declares the PERCPU_ARRAY `per_func` (one slot per point) of struct per_func_counts
 * { __u64 kinds[FL_KINDS]; }, exported so the build generates its layout (list it in the
 * package's nettrace.types). TypeScript reads it as one report table with kindCountsSection(). */
#pragma once
#include "common.bpf.h"

#define NT_KIND_COUNTS(name, n_points, n_kinds)                                                    \
    struct name##_counts {                                                                         \
        __u64 kinds[n_kinds];                                                                      \
    };                                                                                             \
    NT_EXPORT_TYPE(struct name##_counts, name##_counts);                                           \
    struct {                                                                                       \
        __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);                                                   \
        __uint(max_entries, n_points);                                                             \
        __type(key, __u32);                                                                        \
        __type(value, struct name##_counts);                                                       \
    } name SEC(".maps");                                                                           \
    static __always_inline void name##_add(__u32 point, __u32 kind) {                              \
        struct name##_counts *c = bpf_map_lookup_elem(&name, &point);                              \
        if (c && kind < (n_kinds))                                                                 \
            c->kinds[kind]++;                                                                      \
    }
