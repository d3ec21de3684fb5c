/* SPDX-License-Identifier: GPL-2.0 */
/* A set of flow rules (--filters-file, after BCC's trace_conntrack, which parsed up to ten rules
 * and then applied only the first): a flow passes when ANY rule matches it, each rule matched like
 * the single filter of filter.bpf.h (directions per cfg_either_direction; a zero field matches
 * all). Without rules, the single filter decides. @nettrace/core writes the rules as parallel
 * arrays (one element per rule), so it needs no struct layout; their length is the rule limit it
 * enforces. */
#pragma once
#include "filter.bpf.h"

#define NT_FLOW_RULES 8

const volatile __u8 cfg_rules_count = 0;
const volatile __u8 cfg_rules_protocol[NT_FLOW_RULES] = {};
const volatile __u8 cfg_rules_src_family[NT_FLOW_RULES] = {}; /* 0: any source address */
const volatile __u8 cfg_rules_src_ip[NT_FLOW_RULES][16] = {};
const volatile __u8 cfg_rules_dst_family[NT_FLOW_RULES] = {}; /* 0: any destination address */
const volatile __u8 cfg_rules_dst_ip[NT_FLOW_RULES][16] = {};
const volatile __u16 cfg_rules_src_port[NT_FLOW_RULES] = {};
const volatile __u16 cfg_rules_dst_port[NT_FLOW_RULES] = {};

static __always_inline bool nt_rule_addr(const __u8 *addr, __u8 family, __u32 r, bool src) {
    __u8 want = src ? cfg_rules_src_family[r] : cfg_rules_dst_family[r];
    return !want || nt_ip_eq(addr, family, src ? cfg_rules_src_ip[r] : cfg_rules_dst_ip[r], want);
}

static __always_inline bool nt_rule_port(__u16 port, __u32 r, bool src) {
    __u16 want = src ? cfg_rules_src_port[r] : cfg_rules_dst_port[r];
    return !want || port == want;
}

/* Rule r on one orientation: its source on (sa, sp), its destination on (da, dp). */
static __always_inline bool nt_rule_side(const struct nt_flow *f, __u32 r, bool reversed) {
    const __u8 *sa = reversed ? f->daddr : f->saddr, *da = reversed ? f->saddr : f->daddr;
    __u16 sp = reversed ? f->dport : f->sport, dp = reversed ? f->sport : f->dport;
    return nt_rule_addr(sa, f->family, r, true) && nt_rule_addr(da, f->family, r, false) &&
           nt_rule_port(sp, r, true) && nt_rule_port(dp, r, false);
}

/* Rule r, each field on either side independently (cfg_either_direction == 2). */
static __always_inline bool nt_rule_any_side(const struct nt_flow *f, __u32 r) {
    return (nt_rule_addr(f->saddr, f->family, r, true) ||
            nt_rule_addr(f->daddr, f->family, r, true)) &&
           (nt_rule_addr(f->saddr, f->family, r, false) ||
            nt_rule_addr(f->daddr, f->family, r, false)) &&
           (nt_rule_port(f->sport, r, true) || nt_rule_port(f->dport, r, true)) &&
           (nt_rule_port(f->sport, r, false) || nt_rule_port(f->dport, r, false));
}

static __always_inline bool nt_rule_match(const struct nt_flow *f, __u32 r) {
    if (cfg_rules_protocol[r] && f->protocol != cfg_rules_protocol[r])
        return false;
    if (cfg_either_direction == 2)
        return nt_rule_any_side(f, r);
    return nt_rule_side(f, r, false) || (cfg_either_direction && nt_rule_side(f, r, true));
}

/* Does the flow pass the rules (or, without rules, the single filter)? */
static __always_inline bool nt_flow_rules_match(const struct nt_flow *f) {
    if (!cfg_rules_count)
        return nt_flow_match(f);
    /* A loop, not unrolled: eight copies of the address compares would swell every program. */
#pragma clang loop unroll(disable)
    for (__u32 r = 0; r < NT_FLOW_RULES; r++) {
        if (r >= cfg_rules_count)
            break;
        if (nt_rule_match(f, r))
            return true;
    }
    return false;
}
