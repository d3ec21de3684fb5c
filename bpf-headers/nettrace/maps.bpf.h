/* SPDX-License-Identifier: GPL-2.0 */
/* Map helpers shared by the plugins. */
#pragma once
#include "common.bpf.h"

/* The value of `key` in a hash map, inserted as `init` when absent (another CPU may insert it
 * first: then that one is returned). NULL when the map is full: count it, never ignore it. */
static __always_inline void *nt_map_lookup_or_init(void *map, const void *key, const void *init) {
    void *v = bpf_map_lookup_elem(map, key);
    if (v)
        return v;
    bpf_map_update_elem(map, key, init, BPF_NOEXIST);
    return bpf_map_lookup_elem(map, key);
}
