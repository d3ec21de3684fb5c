/* SPDX-License-Identifier: GPL-2.0 */
/* Connection tracking (net/netfilter/nf_conntrack*) as the conntrack tools read it: the entry
 * (struct nf_conn) with its two tuples, status bits, zone, mark and TCP state, and the entry an
 * skb carries (skb->_nfct: the nf_conn address with the ctinfo in its low 3 bits).
 *
 * Where the types live: Debian builds nf_conntrack as a module, yet struct nf_conn and its tuple
 * types are in the vmlinux BTF of 5.10, 6.1 and 6.12 (vmlinux code uses them), and kernels that
 * build conntrack in have them there too; CO-RE finds them in vmlinux BTF first, else in the
 * nf_conntrack module BTF. Declared here with the ___nt suffix so the build does not depend on the
 * build machine's vmlinux.h having them. Every field below has the same name and type from 5.10 to
 * 6.12 (nf_conn lost its `cpu` member in 5.19: not declared); zone and mark depend on
 * CONFIG_NF_CONNTRACK_ZONES / _MARK and are read behind bpf_core_field_exists(). */
#pragma once
#include "common.bpf.h"
#include "skb.bpf.h"

/* UAPI / stable kernel ABI values. */
#define NT_NFCT_INFOMASK 7UL /* skb->_nfct low bits: enum ip_conntrack_info */
#define NT_IP_CT_UNTRACKED 7
#define NT_IPS_CONFIRMED (1UL << 3)
#define NT_IPS_TEMPLATE (1UL << 11)
#define NT_IPS_DYING (1UL << 9)
#define NT_CT_DIR_ORIGINAL 0
#define NT_CT_DIR_REPLY 1

union nf_conntrack_man_proto___nt {
    __be16 all;
    struct {
        __be16 id;
    } icmp;
} __attribute__((preserve_access_index));

struct nf_conntrack_man___nt {
    union nf_inet_addr u3;
    union nf_conntrack_man_proto___nt u;
    __u16 l3num;
} __attribute__((preserve_access_index));

struct nf_conntrack_tuple___nt {
    struct nf_conntrack_man___nt src;
    struct {
        union nf_inet_addr u3;
        union {
            __be16 all;
            struct {
                __u8 type;
                __u8 code;
            } icmp;
        } u;
        __u8 protonum;
        __u8 dir;
    } dst;
} __attribute__((preserve_access_index));

struct nf_conntrack_tuple_hash___nt {
    struct nf_conntrack_tuple___nt tuple;
} __attribute__((preserve_access_index));

struct nf_conntrack_zone___nt {
    __u16 id;
    __u8 flags;
    __u8 dir;
} __attribute__((preserve_access_index));

struct ip_ct_tcp___nt {
    __u8 state; /* enum tcp_conntrack */
} __attribute__((preserve_access_index));

union nf_conntrack_proto___nt {
    struct ip_ct_tcp___nt tcp;
} __attribute__((preserve_access_index));

struct nf_conn___nt {
    struct nf_conntrack ct_general; /* what skb->_nfct and nf_ct_destroy() point at */
    __u32 timeout;                  /* jiffies: relative until confirmed, absolute after */
    struct nf_conntrack_zone___nt zone;
    struct nf_conntrack_tuple_hash___nt tuplehash[2];
    unsigned long status;  /* IPS_* bits (enum ip_conntrack_status) */
    possible_net_t ct_net; /* the network namespace whose table holds the entry */
    __u32 mark;
    union nf_conntrack_proto___nt proto;
} __attribute__((preserve_access_index));

/* The entry an skb is attached to (NULL for none and for untracked packets), and its ctinfo
 * (NT_NO_CTINFO when the skb carries nothing). */
#define NT_NO_CTINFO 0xff

static __always_inline struct nf_conn___nt *nt_skb_ct(struct sk_buff *skb, __u8 *ctinfo) {
    unsigned long nfct = 0;
    if (bpf_core_field_exists(skb->_nfct))
        nfct = BPF_CORE_READ(skb, _nfct);
    *ctinfo = nfct ? (__u8)(nfct & NT_NFCT_INFOMASK) : NT_NO_CTINFO;
    return (struct nf_conn___nt *)(nfct & ~NT_NFCT_INFOMASK);
}

/* One direction's tuple as a flow (addresses in network order, ports in host order; ICMP: type,
 * code and echo id). */
static __always_inline void nt_ct_tuple_flow(const struct nf_conntrack_tuple___nt *t,
                                             struct nt_flow *f) {
    __u16 l3 = BPF_CORE_READ(t, src.l3num);
    f->family = l3 == NT_AF_INET ? NT_AF_INET : l3 == NT_AF_INET6 ? NT_AF_INET6 : 0;
    f->protocol = BPF_CORE_READ(t, dst.protonum);
    bpf_core_read(f->saddr, sizeof(f->saddr), &t->src.u3);
    bpf_core_read(f->daddr, sizeof(f->daddr), &t->dst.u3);
    if (f->protocol == NT_IPPROTO_ICMP || f->protocol == NT_IPPROTO_ICMPV6) {
        f->icmp_type = BPF_CORE_READ(t, dst.u.icmp.type);
        f->icmp_code = BPF_CORE_READ(t, dst.u.icmp.code);
        f->icmp_id = bpf_ntohs(BPF_CORE_READ(t, src.u.icmp.id));
    } else {
        f->sport = bpf_ntohs(BPF_CORE_READ(t, src.u.all));
        f->dport = bpf_ntohs(BPF_CORE_READ(t, dst.u.all));
    }
}

/* The original (NT_CT_DIR_ORIGINAL) and reply tuples of an entry. */
static __always_inline void nt_ct_flows(const struct nf_conn___nt *ct, struct nt_flow *orig,
                                        struct nt_flow *reply) {
    nt_ct_tuple_flow(&ct->tuplehash[NT_CT_DIR_ORIGINAL].tuple, orig);
    nt_ct_tuple_flow(&ct->tuplehash[NT_CT_DIR_REPLY].tuple, reply);
}

static __always_inline __u64 nt_ct_status(const struct nf_conn___nt *ct) {
    return BPF_CORE_READ(ct, status);
}

static __always_inline __u8 nt_ct_tcp_state(const struct nf_conn___nt *ct) {
    return BPF_CORE_READ(ct, proto.tcp.state);
}

static __always_inline __u16 nt_ct_zone(const struct nf_conn___nt *ct, __u8 *dir) {
    if (!bpf_core_field_exists(ct->zone)) {
        *dir = 0;
        return 0;
    }
    *dir = BPF_CORE_READ(ct, zone.dir);
    return BPF_CORE_READ(ct, zone.id);
}

/* Inode of the entry's network namespace (as /proc/PID/ns/net shows it). */
static __always_inline __u32 nt_ct_netns(const struct nf_conn___nt *ct) {
    if (!bpf_core_field_exists(ct->ct_net.net))
        return 0;
    return BPF_CORE_READ(ct, ct_net.net, ns.inum);
}

static __always_inline __u32 nt_ct_mark(const struct nf_conn___nt *ct) {
    return bpf_core_field_exists(ct->mark) ? BPF_CORE_READ(ct, mark) : 0;
}
