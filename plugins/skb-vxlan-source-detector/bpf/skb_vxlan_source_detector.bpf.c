/* SPDX-License-Identifier: GPL-2.0 */
/* skb-vxlan-source-detector: where do SKB_GSO_UDP_TUNNEL(_CSUM) bits in skb_shinfo()->gso_type come
 * from? gso_type is compared before and after the points that set or carry them (entry/return
 * pairs, fentry/fexit else kprobe/kretprobe):
 *   virtnet_poll            + napi_gro_receive inside it (receive_buf's call): the skb virtio
 *                            built from the device's virtio_net_hdr (kept in skb->cb)  [virtio_net]
 *   udp4_gro_complete       GRO of UDP-encapsulated traffic sets the tunnel bits
 *   tcp_gro_complete        the inner TCP of such an aggregate
 *   vxlan_rcv               decapsulation: what the inner packet goes on with           [vxlan]
 *   skb_segment             software GSO of a tunnel skb
 * Without kprobes and fentry: skbs seen with the bits after GRO (net:netif_receive_skb) and at
 * transmit (net:net_dev_start_xmit). Only skbs with tunnel bits before or after are reported
 * (every skb with --all-skbs); filters run here. The static checks (devices, sockets, virtio
 * features) are user space. */
#include "netdev.bpf.h"
#include "gso.bpf.h"
#include "buffer.bpf.h"
#include "counters.bpf.h"
#include "call_frames.bpf.h"
#include "function.bpf.h"
#include "kind_counts.bpf.h"

enum vx_point {
    VX_VIRTIO_RX,
    VX_UDP4_GRO_COMPLETE,
    VX_TCP_GRO_COMPLETE,
    VX_VXLAN_RCV,
    VX_SKB_SEGMENT,
    VX_RECEIVE, /* tracepoint rung: net:netif_receive_skb */
    VX_XMIT,    /* tracepoint rung: net:net_dev_start_xmit */
    VX_POINTS,
};
NT_EXPORT_TYPE(enum vx_point, vx_point);

enum vx_kind {
    VX_SET,     /* tunnel bits absent before, present after */
    VX_CLEARED, /* present before, absent after */
    VX_KEPT,    /* present before and after (or present where the point sees one state) */
    VX_NONE,    /* no tunnel bits (--all-skbs only) */
    VX_KINDS,
};
NT_EXPORT_TYPE(enum vx_kind, vx_kind);

/* Bookkeeping of the entry/return pairing. */
enum vx_counter {
    VX_UNMATCHED_RETURNS, /* a return without its entry's frame (attached mid-call) */
    VX_TOO_DEEP,          /* nested calls past NT_CALL_DEPTH */
    VX_COUNTERS,
};
NT_COUNTERS(vx_counter, VX_COUNTERS);

/* Skbs reported, per point (enum vx_point) and kind. */
NT_KIND_COUNTS(per_point, VX_POINTS, VX_KINDS)

/* VIRTIO_NET_HDR_GSO_UDP_TUNNEL_IPV4 | _IPV6 (UAPI, 6.17+): the device says it is a tunnel packet.
 */
#define VX_VNET_GSO_UDP_TUNNEL 0x60

const volatile __u8 cfg_all_skbs = 0;     /* every skb, tunnel bits or not */
const volatile __u8 cfg_changes_only = 0; /* only SET and CLEARED */

struct vx_event {
    __u64 ts_ns;
    const void *skb;
    __u32 pid;
    __u32 cpu;
    __u32 ifindex;
    __u32 netns;
    __u32 len;
    __u32 gso_type_before;
    __u32 gso_type_after;
    __u16 gso_size;
    __u16 gso_segs;
    __u16 inner_protocol; /* skb->inner_protocol (ethertype, host order) */
    __u16 vnet_gso_size;
    __u16 vnet_hdr_len;
    __u8
        vnet_flags; /* virtio_net_hdr of a virtio receive: flags, gso_type (VIRTIO_NET_HDR_GSO_*) */
    __u8 vnet_gso_type;
    __u8 encapsulation; /* skb->encapsulation */
    __u8 point;
    __u8 kind;
    __u8 _pad;
    char comm[NT_TASK_COMM_LEN];
    char ifname[NT_IFNAMSIZ];
    struct nt_flow flow;
};
NT_EXPORT_TYPE(struct vx_event, vx_event);

/* What an entry hands to its return: the point, the skb, whether it passed the filters, its
 * gso_type before. Every entry pushes one, so that every return pops its own. */
struct vx_frame {
    __u64 skb;
    __u32 point;
    __u32 wanted;
    __u32 gso_type;
    __u32 _pad;
};
NT_CALL_FRAMES(vx_frames, struct vx_frame)

/* One frame per virtnet_poll in progress on this thread: a napi_gro_receive under it is virtio's.
 */
struct vx_poll {
    __u64 in_poll;
};
NT_CALL_FRAMES(vx_polls, struct vx_poll)

struct sk_buff___vx_encap {
    __u8 encapsulation : 1;
} __attribute__((preserve_access_index));

static __always_inline __u8 vx_kind(__u32 before, __u32 after) {
    bool b = before & NT_SKB_GSO_TUNNEL_BITS, a = after & NT_SKB_GSO_TUNNEL_BITS;
    return !b && a ? VX_SET : b && !a ? VX_CLEARED : b ? VX_KEPT : VX_NONE;
}

/* Reports one skb at a point, if it qualifies. `vnet` is the virtio_net_hdr for VX_VIRTIO_RX. */
static __always_inline int vx_emit(void *ctx, __u8 point, struct sk_buff *skb, __u32 before,
                                   const struct nt_gso *after, const struct virtio_net_hdr *vnet) {
    __u8 kind = vx_kind(before, after->gso_type);
    if (kind == VX_NONE && !cfg_all_skbs && !(vnet && (vnet->gso_type & VX_VNET_GSO_UDP_TUNNEL)))
        return 0;
    if (cfg_changes_only && kind != VX_SET && kind != VX_CLEARED)
        return 0;
    per_point_add(point, kind);
    struct vx_event *e = nt_event_reserve(sizeof(*e));
    if (!e)
        return 0;
    __builtin_memset(e, 0, sizeof(*e));
    e->ts_ns = bpf_ktime_get_ns();
    e->skb = skb;
    e->gso_type_before = before;
    e->gso_type_after = after->gso_type;
    e->gso_size = after->gso_size;
    e->gso_segs = after->gso_segs;
    e->len = BPF_CORE_READ(skb, len);
    e->inner_protocol = bpf_ntohs(BPF_CORE_READ(skb, inner_protocol));
    e->encapsulation =
        BPF_CORE_READ_BITFIELD_PROBED((struct sk_buff___vx_encap *)skb, encapsulation);
    if (vnet) {
        e->vnet_flags = vnet->flags;
        e->vnet_gso_type = vnet->gso_type;
        e->vnet_gso_size = vnet->gso_size;
        e->vnet_hdr_len = vnet->hdr_len;
    }
    e->point = point;
    e->kind = kind;
    e->pid = nt_tgid();
    e->cpu = bpf_get_smp_processor_id();
    bpf_get_current_comm(e->comm, sizeof(e->comm));
    nt_skb_dev_fields(skb, &e->ifindex, &e->netns, e->ifname);
    nt_parse_skb(skb, &e->flow);
    nt_event_submit(ctx, e);
    return 0;
}

/* Entry/return pairs: gso_type before, compared at the return. */
static __always_inline int vx_entry(__u32 point, struct sk_buff *skb) {
    struct vx_frame *f = vx_frames_push();
    if (!f)
        return 0;
    f->point = point;
    f->skb = (__u64)skb;
    if (!nt_skb_match(skb))
        return 0;
    struct nt_gso g = {};
    nt_skb_gso(skb, &g);
    f->gso_type = g.gso_type;
    f->wanted = 1;
    return 0;
}

static __always_inline int vx_return(void *ctx, __u32 point) {
    struct vx_frame f;
    int r = vx_frames_pop(&f);
    if (r || f.point != point) {
        nt_count(r == -2 ? VX_TOO_DEEP : VX_UNMATCHED_RETURNS, 1);
        return 0;
    }
    if (!f.wanted)
        return 0;
    struct sk_buff *skb = (struct sk_buff *)f.skb;
    struct nt_gso g = {};
    nt_skb_gso(skb, &g);
    return vx_emit(ctx, point, skb, f.gso_type, &g, NULL);
}

/* One-state points (virtio receive, tracepoint rungs): before = after. */
static __always_inline int vx_seen(void *ctx, __u32 point, struct sk_buff *skb,
                                   const struct virtio_net_hdr *vnet) {
    if (!nt_skb_match(skb))
        return 0;
    struct nt_gso g = {};
    nt_skb_gso(skb, &g);
    return vx_emit(ctx, point, skb, g.gso_type, &g, vnet);
}

/* The four programs of fn(..., skb at argument `skb`): entry (fentry, kprobe) and return (fexit,
 * kretprobe; the return value is not needed, so the fexit reads no arguments). */
#define VX_PAIR(fn, id, tag, ...)                                                                  \
    static __always_inline int vx_##tag##_entry(void *ctx, __VA_ARGS__) {                          \
        return vx_entry(id, skb);                                                                  \
    }                                                                                              \
    static __always_inline int vx_##tag##_return(void *ctx) {                                      \
        return vx_return(ctx, id);                                                                 \
    }

/* udp4_gro_complete(skb, nhoff), tcp_gro_complete(skb), skb_segment(head_skb, features),
 * vxlan_rcv(sk, skb). */
VX_PAIR(udp4_gro_complete, VX_UDP4_GRO_COMPLETE, ugc, struct sk_buff *skb)
NT_FUNCTION_PROGRAMS(udp4_gro_complete, nt_vx_ugc_fe, nt_vx_ugc_kp, vx_ugc_entry, struct sk_buff *,
                     skb)
NT_FUNCTION_EXIT_VOID_PROGRAMS(udp4_gro_complete, nt_vx_ugc_fx, nt_vx_ugc_kr, vx_ugc_return)

VX_PAIR(tcp_gro_complete, VX_TCP_GRO_COMPLETE, tgc, struct sk_buff *skb)
NT_FUNCTION_PROGRAMS(tcp_gro_complete, nt_vx_tgc_fe, nt_vx_tgc_kp, vx_tgc_entry, struct sk_buff *,
                     skb)
NT_FUNCTION_EXIT_VOID_PROGRAMS(tcp_gro_complete, nt_vx_tgc_fx, nt_vx_tgc_kr, vx_tgc_return)

VX_PAIR(skb_segment, VX_SKB_SEGMENT, seg, struct sk_buff *skb)
NT_FUNCTION_PROGRAMS(skb_segment, nt_vx_seg_fe, nt_vx_seg_kp, vx_seg_entry, struct sk_buff *, skb)
NT_FUNCTION_EXIT_VOID_PROGRAMS(skb_segment, nt_vx_seg_fx, nt_vx_seg_kr, vx_seg_return)

VX_PAIR(vxlan_rcv, VX_VXLAN_RCV, rcv, struct sock *sk, struct sk_buff *skb)
NT_FUNCTION_PROGRAMS(vxlan_rcv, nt_vx_rcv_fe, nt_vx_rcv_kp, vx_rcv_entry, struct sock *, sk,
                     struct sk_buff *, skb)
NT_FUNCTION_EXIT_VOID_PROGRAMS(vxlan_rcv, nt_vx_rcv_fx, nt_vx_rcv_kr, vx_rcv_return)

/* virtio_net's receive_buf() builds the skb from the device's buffer, applies its virtio_net_hdr
 * (kept in skb->cb) and hands it to napi_gro_receive(): the skb is reported there, while the NAPI
 * poll of a virtio_net device is running on this thread. receive_buf itself is not hooked: vmlinux
 * has a function of that name too (the tty layer's), which fentry and kprobes would find first. */
static __always_inline int poll_entry(void *ctx) {
    struct vx_poll *p = vx_polls_push();
    if (p)
        p->in_poll = 1;
    return 0;
}

static __always_inline int poll_return(void *ctx) {
    struct vx_poll p;
    vx_polls_pop(&p);
    return 0;
}

NT_FUNCTION_PROGRAMS(virtnet_poll, nt_vx_vp_fe, nt_vx_vp_kp, poll_entry)
NT_FUNCTION_EXIT_VOID_PROGRAMS(virtnet_poll, nt_vx_vp_fx, nt_vx_vp_kr, poll_return)

static __always_inline int on_gro_receive(void *ctx, struct napi_struct *napi,
                                          struct sk_buff *skb) {
    if (!vx_polls_top())
        return 0;
    struct virtio_net_hdr vnet = {};
    bpf_probe_read_kernel(&vnet, sizeof(vnet),
                          (char *)skb + bpf_core_field_offset(struct sk_buff, cb));
    return vx_seen(ctx, VX_VIRTIO_RX, skb, &vnet);
}
NT_FUNCTION_PROGRAMS(napi_gro_receive, nt_vx_ngr_fe, nt_vx_ngr_kp, on_gro_receive,
                     struct napi_struct *, napi, struct sk_buff *, skb)

/* Tracepoint rungs. */
static __always_inline int on_receive(void *ctx, struct sk_buff *skb) {
    return vx_seen(ctx, VX_RECEIVE, skb, NULL);
}

static __always_inline int on_xmit(void *ctx, struct sk_buff *skb, const struct net_device *dev) {
    return vx_seen(ctx, VX_XMIT, skb, NULL);
}

NT_SKB_EVENT_PROGRAMS(netif_receive_skb, nt_vx_rx_btf, nt_vx_rx_tp, on_receive)
NT_START_XMIT_PROGRAMS(nt_vx_tx_btf, nt_vx_tx_tp, on_xmit)
