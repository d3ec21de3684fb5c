/* SPDX-License-Identifier: GPL-2.0 */
/* Kernel stacks: one STACK_TRACE map named `stacks`; user space symbolises through kallsyms. */
#pragma once
#include "common.bpf.h"

#define NT_STACK_DEPTH 32
#ifndef NT_STACK_ENTRIES
#define NT_STACK_ENTRIES 4096
#endif

struct {
    __uint(type, BPF_MAP_TYPE_STACK_TRACE);
    __uint(max_entries, NT_STACK_ENTRIES);
    __uint(key_size, sizeof(__u32));
    __uint(value_size, NT_STACK_DEPTH * sizeof(__u64));
} stacks SEC(".maps");

/* Returns the stack id, or a negative error (e.g. -EEXIST when the table is full), which
 * callers keep as is so user space can show "stack unavailable" instead of a wrong stack. */
static __always_inline __s32 nt_kernel_stack(void *ctx) {
    return bpf_get_stackid(ctx, &stacks, 0);
}
