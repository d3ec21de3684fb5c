/* SPDX-License-Identifier: GPL-2.0 */
/* Filters shared by every plugin, configured before load through const volatile rodata (set by
 * @nettrace/core from the unified CLI options). Zero / unset means "no filter". */
#pragma once
#include "skb.bpf.h"

const volatile __u8 cfg_src_ip_set = 0;
const volatile __u8 cfg_src_ip_family = 0;
const volatile __u8 cfg_src_ip[16] = {};
const volatile __u8 cfg_dst_ip_set = 0;
const volatile __u8 cfg_dst_ip_family = 0;
const volatile __u8 cfg_dst_ip[16] = {};
const volatile __u16 cfg_src_port = 0;
const volatile __u16 cfg_dst_port = 0;
const volatile __u8 cfg_protocol = 0;
const volatile __u32 cfg_ifindex = 0;
const volatile __u32 cfg_pid = 0;
/* 0: directional (src matches source AND dst matches destination); 1: either direction (the
 * filter addresses and ports may appear on either side), as the catalog's tools need.
 * 2: per field: each given address and port may be on either side independently of the others
 * (upstream qdisc_latency_details / vm_network_*: "-s X -D 80" = X somewhere and 80 somewhere). */
const volatile __u8 cfg_either_direction = 0;

static __always_inline bool nt_ip_eq(const __u8 *addr, __u8 family, const volatile __u8 *want,
                                     __u8 want_family) {
    if (family != want_family)
        return false;
    int n = family == NT_AF_INET ? 4 : 16;
#pragma unroll
    for (int i = 0; i < 16; i++)
        if (i < n && addr[i] != want[i])
            return false;
    return true;
}

static __always_inline bool nt_side_match(const __u8 *sa, __u16 sp, const __u8 *da, __u16 dp,
                                          __u8 family) {
    if (cfg_src_ip_set && !nt_ip_eq(sa, family, cfg_src_ip, cfg_src_ip_family))
        return false;
    if (cfg_dst_ip_set && !nt_ip_eq(da, family, cfg_dst_ip, cfg_dst_ip_family))
        return false;
    if (cfg_src_port && sp != cfg_src_port)
        return false;
    if (cfg_dst_port && dp != cfg_dst_port)
        return false;
    return true;
}

static __always_inline bool nt_any_side_match(const struct nt_flow *f) {
    if (cfg_src_ip_set && !nt_ip_eq(f->saddr, f->family, cfg_src_ip, cfg_src_ip_family) &&
        !nt_ip_eq(f->daddr, f->family, cfg_src_ip, cfg_src_ip_family))
        return false;
    if (cfg_dst_ip_set && !nt_ip_eq(f->saddr, f->family, cfg_dst_ip, cfg_dst_ip_family) &&
        !nt_ip_eq(f->daddr, f->family, cfg_dst_ip, cfg_dst_ip_family))
        return false;
    if (cfg_src_port && f->sport != cfg_src_port && f->dport != cfg_src_port)
        return false;
    if (cfg_dst_port && f->sport != cfg_dst_port && f->dport != cfg_dst_port)
        return false;
    return true;
}

/* Does the flow pass the address/port/protocol filters? */
static __always_inline bool nt_flow_match(const struct nt_flow *f) {
    if (cfg_protocol && f->protocol != cfg_protocol)
        return false;
    if (!cfg_src_ip_set && !cfg_dst_ip_set && !cfg_src_port && !cfg_dst_port)
        return true;
    if (cfg_either_direction == 2)
        return nt_any_side_match(f);
    if (nt_side_match(f->saddr, f->sport, f->daddr, f->dport, f->family))
        return true;
    return cfg_either_direction && nt_side_match(f->daddr, f->dport, f->saddr, f->sport, f->family);
}

static __always_inline bool nt_ifindex_match(__u32 ifindex) {
    return !cfg_ifindex || ifindex == cfg_ifindex;
}

static __always_inline bool nt_pid_match(void) {
    return !cfg_pid || nt_tgid() == cfg_pid;
}
