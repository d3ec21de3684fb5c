/* SPDX-License-Identifier: GPL-2.0 */
/* The vxlan driver's device fields a tool reads at encapsulation (vxlan_xmit), declared for CO-RE:
 * relocated against the running kernel's BTF (module BTF /sys/kernel/btf/vxlan, or vmlinux when
 * vxlan is built in). The ___nt suffix keeps them apart from vmlinux.h; libbpf ignores it. */
#pragma once
#include "common.bpf.h"
#include "netdev_priv.bpf.h"

/* include/net/vxlan.h: the flag of a flow-based ("external", collect_md) device, as Open vSwitch's
 * vxlan_sys_4789 is: its VNI comes with each packet's tunnel metadata, not from the device. */
#define NT_VXLAN_F_COLLECT_METADATA 0x2000
/* include/net/dst.h: a dst that is tunnel metadata, not a route. */
#define NT_DST_METADATA 0x0080

struct vxlan_config___nt {
    __be32 vni; /* the device's own VNI, network order */
    __u32 flags;
} __attribute__((preserve_access_index));

struct vxlan_dev___nt {
    struct vxlan_config___nt cfg;
} __attribute__((preserve_access_index));

/* The tunnel a packet is to be sent into, as skb_tunnel_info() finds it: the dst is tunnel
 * metadata (Open vSwitch's set_tunnel, tc tunnel_key, bpf_skb_set_tunnel_key), or a route with an
 * `encap ip` lightweight tunnel. The dst pointer is the refdst without its "no reference" bit. */
static __always_inline struct ip_tunnel_info *nt_skb_tunnel_info(struct sk_buff *skb) {
    struct dst_entry *dst = (struct dst_entry *)(BPF_CORE_READ(skb, _skb_refdst) & ~1UL);
    if (!dst)
        return NULL;
    if (BPF_CORE_READ(dst, flags) & NT_DST_METADATA) {
        struct metadata_dst *md = (struct metadata_dst *)dst;
        return BPF_CORE_READ(md, type) == METADATA_IP_TUNNEL ? &md->u.tun_info : NULL;
    }
    struct lwtunnel_state *lw = BPF_CORE_READ(dst, lwtstate);
    if (!lw)
        return NULL;
    __u16 type = BPF_CORE_READ(lw, type);
    if (type != LWTUNNEL_ENCAP_IP && type != LWTUNNEL_ENCAP_IP6)
        return NULL;
    return (struct ip_tunnel_info *)((char *)lw +
                                     bpf_core_field_offset(struct lwtunnel_state, data));
}

/* The VNI a packet sent through a VXLAN device leaves with: its tunnel's id on a flow-based
 * device, else the device's configured VNI. A per-fdb-entry VNI (`bridge fdb ... vni N`) is not
 * seen here: the fdb lookup comes later. */
static __always_inline __u32 nt_vxlan_tx_vni(struct sk_buff *skb, struct net_device *dev) {
    struct vxlan_dev___nt *vxlan = nt_netdev_priv(dev);
    if (!(BPF_CORE_READ(vxlan, cfg.flags) & NT_VXLAN_F_COLLECT_METADATA))
        return bpf_ntohl(BPF_CORE_READ(vxlan, cfg.vni)) & 0xffffff;
    struct ip_tunnel_info *info = nt_skb_tunnel_info(skb);
    return info ? bpf_be64_to_cpu(BPF_CORE_READ(info, key.tun_id)) & 0xffffff : 0;
}
