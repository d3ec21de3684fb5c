/* SPDX-License-Identifier: GPL-2.0 */
/* The --process filter (BCC's `--process NAME`): only tasks whose comm is exactly this name. Set
 * by @nettrace/core from a `comm`-vocabulary option; an empty name means no filter. Kept apart
 * from filter.bpf.h so only the plugins that offer the option carry the variable. */
#pragma once
#include "common.bpf.h"

const volatile char cfg_comm[NT_TASK_COMM_LEN] = {};

static __always_inline bool nt_comm_match(void) {
    if (!cfg_comm[0])
        return true;
    char comm[NT_TASK_COMM_LEN];
    bpf_get_current_comm(comm, sizeof(comm));
#pragma unroll
    for (int i = 0; i < NT_TASK_COMM_LEN; i++) {
        if (comm[i] != cfg_comm[i])
            return false;
        if (!comm[i])
            return true;
    }
    return true;
}
