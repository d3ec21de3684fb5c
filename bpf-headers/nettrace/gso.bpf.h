/* SPDX-License-Identifier: GPL-2.0 */
/* An skb's shared info (skb_shinfo(): the struct at skb->head + skb->end) and its GSO state:
 * frag_list, gso_type, gso_size, gso_segs, nr_frags, read with CO-RE (the upstream tools read them
 * at fixed offsets). Used by the tools that follow frag_list and gso_type through the stack. */
#pragma once
#include "common.bpf.h"

/* SKB_GSO_* bits (include/linux/skbuff.h): an anonymous enum, so CO-RE cannot relocate its values;
 * these bits are the same from 4.13 to 6.18 (only SKB_GSO_TCP_FIXEDID moved, in 6.18). */
#define NT_SKB_GSO_UDP_TUNNEL (1U << 10)
#define NT_SKB_GSO_UDP_TUNNEL_CSUM (1U << 11)
#define NT_SKB_GSO_FRAGLIST (1U << 18)
#define NT_SKB_GSO_TUNNEL_BITS (NT_SKB_GSO_UDP_TUNNEL | NT_SKB_GSO_UDP_TUNNEL_CSUM)

struct nt_gso {
    const void *frag_list; /* first skb of the frag_list, NULL when there is none */
    __u32 gso_type;        /* SKB_GSO_* bits */
    __u32 data_len;        /* skb->data_len: bytes in frags and frag_list */
    __u16 gso_size;
    __u16 gso_segs;
    __u8 nr_frags;
    __u8 _pad[3];
};

/* skb_shinfo(skb). skb->end is an offset from skb->head on 64-bit kernels, the only ones BPF
 * tracing runs on here (NET_SKBUFF_DATA_USES_OFFSET). */
static __always_inline struct skb_shared_info *nt_skb_shinfo(const struct sk_buff *skb) {
    unsigned char *head = BPF_CORE_READ(skb, head);
    return (struct skb_shared_info *)(head + BPF_CORE_READ(skb, end));
}

static __always_inline void nt_skb_gso(const struct sk_buff *skb, struct nt_gso *g) {
    struct skb_shared_info *sh = nt_skb_shinfo(skb);
    g->frag_list = BPF_CORE_READ(sh, frag_list);
    g->gso_type = BPF_CORE_READ(sh, gso_type);
    g->gso_size = BPF_CORE_READ(sh, gso_size);
    g->gso_segs = BPF_CORE_READ(sh, gso_segs);
    g->nr_frags = BPF_CORE_READ(sh, nr_frags);
    g->data_len = BPF_CORE_READ(skb, data_len);
}

/* A GSO skb with nothing to segment: gso_size set, but no frag_list, no page frags and no paged
 * data (the state skb_segment() crashes on). */
static __always_inline bool nt_gso_inconsistent(const struct nt_gso *g) {
    return g->gso_size && !g->frag_list && !g->nr_frags && !g->data_len;
}

/* The GSO state in three values, for an entry frame handed to the return (call_frames.bpf.h). */
static __always_inline void nt_gso_save(const struct nt_gso *g, __u64 *v) {
    v[0] = (__u64)g->frag_list;
    v[1] = (__u64)g->gso_type | ((__u64)g->gso_size << 32) | ((__u64)g->gso_segs << 48);
    v[2] = (__u64)g->data_len | ((__u64)g->nr_frags << 32);
}

static __always_inline void nt_gso_load(const __u64 *v, struct nt_gso *g) {
    g->frag_list = (const void *)v[0];
    g->gso_type = (__u32)v[1];
    g->gso_size = (__u16)(v[1] >> 32);
    g->gso_segs = (__u16)(v[1] >> 48);
    g->data_len = (__u32)v[2];
    g->nr_frags = (__u8)(v[2] >> 32);
}
