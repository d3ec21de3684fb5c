/* SPDX-License-Identifier: GPL-2.0 */
/* Open vSwitch kernel datapath (net/openvswitch) structs the OVS tools read: the datapath, its
 * ports (vport), the flow key extracted from a packet (sw_flow_key), what an upcall carries
 * (dp_upcall_info), OVS's per-packet state in skb->cb (ovs_skb_cb) and the ctx of the module's
 * openvswitch:ovs_dp_upcall tracepoint (5.19+). All are private to the module, so only the
 * openvswitch module BTF (/sys/kernel/btf/openvswitch, 5.11+) describes them; libbpf relocates
 * every access against it at load. The ___nt suffix keeps these apart from vmlinux.h and is ignored
 * when matching; anonymous unions/structs are transparent to CO-RE matching, so members are found
 * by name whatever the nesting. No offsets are assumed anywhere.
 *
 * Versions (checked in the 6.1 and 6.12 module BTF, and on 5.10 through the BTF that `nettrace btf
 * build` makes from its debug package): every field declared here exists with the same name and
 * type from 5.10 to 6.12, so no ___flavor variants are needed. The layouts do differ
 * (vport.dev_tracker 5.17+, vport.upcall_stats 6.2+, datapath.upcall_portids 5.14+,
 * ovs_skb_cb.probability 6.11+), which CO-RE absorbs. Those fields come and go, so they are not
 * declared: a tool that needs one adds it here and reads it behind bpf_core_field_exists(). */
#pragma once
#include "common.bpf.h"
#include "skb.bpf.h"
#include "modules/nf_conntrack.bpf.h"

/* UAPI values (include/uapi/linux/openvswitch.h): stable ABI, so plain constants. */
#define NT_OVS_PACKET_CMD_MISS 1   /* enum ovs_packet_cmd: flow table miss */
#define NT_OVS_PACKET_CMD_ACTION 2 /* userspace() action */
#define NT_OVS_FLOW_CMD_NEW 1      /* enum ovs_flow_cmd */
#define NT_OVSP_LOCAL 0            /* port number of the datapath's local (internal) port */
#define NT_OVS_IFNAMSIZ 16

struct datapath___nt;

struct vport___nt {
    struct net_device *dev;
    struct datapath___nt *dp;
    __u16 port_no;
    struct hlist_node dp_hash_node; /* link in dp->ports[port_no % DP_VPORT_HASH_BUCKETS] */
} __attribute__((preserve_access_index));

struct datapath___nt {
    struct hlist_head *ports; /* hash of vports by port number */
    __u32 user_features;
} __attribute__((preserve_access_index));

struct dp_upcall_info___nt {
    __u32 portid; /* netlink port the upcall goes to (0: nobody listens, the upcall is lost) */
    __u8 cmd;     /* NT_OVS_PACKET_CMD_* */
    __u16 mru;
} __attribute__((preserve_access_index));

struct sw_flow_key___nt {
    struct {
        __u32 priority;
        __u32 skb_mark;
        __u16 in_port; /* datapath port number the packet came in on */
    } __attribute__((packed)) phy;
    __u32 recirc_id;
    struct {
        __u8 src[6];
        __u8 dst[6];
        __be16 type;
    } eth;
    union {
        struct {
            __u8 proto; /* IP protocol (ARP: low byte of the opcode) */
            __u8 tos;
            __u8 ttl;
            __u8 frag;
        } ip;
    };
    struct {
        __be16 src; /* L4 ports; ICMP/ICMPv6: type and code */
        __be16 dst;
        __be16 flags;
    } tp;
    union {
        struct {
            struct {
                __be32 src;
                __be32 dst;
            } addr;
        } ipv4;
        struct {
            struct {
                struct in6_addr src;
                struct in6_addr dst;
            } addr;
        } ipv6;
    };
} __attribute__((preserve_access_index));

/* OVS's state in skb->cb while the datapath owns the packet (OVS_CB() in the kernel). */
struct ovs_skb_cb___nt {
    struct vport___nt *input_vport;
    __u16 mru;
    __u16 acts_origlen;
    __u32 cutlen;
} __attribute__((preserve_access_index));

/* A ct() action's parameters (net/openvswitch/conntrack.c): zone, the template entry it starts
 * from, and whether it commits (a 1-bit field: read with BPF_CORE_READ_BITFIELD_PROBED). Same
 * members from 5.10 to 6.12. */
struct ovs_conntrack_info___nt {
    struct nf_conntrack_zone___nt zone;
    struct nf_conn___nt *ct;
    __u8 commit : 1;
    __u16 family;
} __attribute__((preserve_access_index));

/* ctx of the classic tracepoint openvswitch:ovs_dp_upcall (fired inside ovs_dp_upcall). */
struct trace_event_raw_ovs_dp_upcall___nt {
    void *dpaddr;
    __u32 __data_loc_dp_name; /* offset (low 16 bits) of the name within the record */
    __u32 __data_loc_dev_name;
    void *skbaddr;
    const void *keyaddr;
    __u8 upcall_cmd;
    __u32 upcall_port;
    __u16 upcall_mru;
} __attribute__((preserve_access_index));

/* OVS_CB(skb): the cb area is located through CO-RE (struct sk_buff's cb member). */
static __always_inline struct ovs_skb_cb___nt *nt_ovs_cb(struct sk_buff *skb) {
    return (struct ovs_skb_cb___nt *)((char *)skb + bpf_core_field_offset(struct sk_buff, cb));
}

/* The port an skb entered the datapath on (set by ovs_vport_receive; NULL for packets injected
 * from user space with OVS_PACKET_CMD_EXECUTE). */
static __always_inline struct vport___nt *nt_ovs_input_vport(struct sk_buff *skb) {
    return BPF_CORE_READ(nt_ovs_cb(skb), input_vport);
}

static __always_inline struct net_device *nt_ovs_vport_dev(struct vport___nt *vport) {
    return vport ? BPF_CORE_READ(vport, dev) : NULL;
}

static __always_inline __u32 nt_ovs_vport_ifindex(struct vport___nt *vport) {
    return vport ? BPF_CORE_READ(vport, dev, ifindex) : 0;
}

/* Entries of one ports bucket walked before giving up. Bucket 0 holds ports 0, 1024, 2048...:
 * newest first, so the local port is last, behind at most one entry per 1024 ports. */
#define NT_OVS_BUCKET_WALK 4

/* The datapath's local port (OVSP_LOCAL), whose device carries the datapath's name: the kernel's
 * ovs_dp_name() does the same look-up. NULL if not found within NT_OVS_BUCKET_WALK entries. */
static __always_inline struct vport___nt *nt_ovs_dp_local_vport(struct datapath___nt *dp) {
    struct hlist_head *bucket = BPF_CORE_READ(dp, ports); /* &ports[OVSP_LOCAL % buckets] */
    struct hlist_node *node = BPF_CORE_READ(bucket, first);
#pragma unroll
    for (int i = 0; i < NT_OVS_BUCKET_WALK; i++) {
        if (!node)
            return NULL;
        struct vport___nt *vport = nt_container_of(node, struct vport___nt, dp_hash_node);
        if (BPF_CORE_READ(vport, port_no) == NT_OVSP_LOCAL)
            return vport;
        node = BPF_CORE_READ(node, next);
    }
    return NULL;
}

/* Copies the datapath's name (NUL-terminated, NT_OVS_IFNAMSIZ bytes); returns false (name
 * emptied) when the local port was not found. */
static __always_inline bool nt_ovs_dp_name(struct datapath___nt *dp, char *name) {
    struct net_device *dev = nt_ovs_vport_dev(nt_ovs_dp_local_vport(dp));
    if (!dev) {
        name[0] = 0;
        return false;
    }
    bpf_core_read_str(name, NT_OVS_IFNAMSIZ, &dev->name);
    return true;
}

/* The datapath's ifindex as user space knows it (ovs_header.dp_ifindex): its local port's. */
static __always_inline __u32 nt_ovs_dp_ifindex(struct datapath___nt *dp) {
    return nt_ovs_vport_ifindex(nt_ovs_dp_local_vport(dp));
}

/* The packet's addresses, protocol and ports (ICMP: type/code) as the flow key holds them, in the
 * shared struct nt_flow so filter.bpf.h's nt_flow_match() applies. Non-IP keys get family 0. */
static __always_inline void nt_ovs_key_flow(const struct sw_flow_key___nt *key, struct nt_flow *f) {
    __builtin_memset(f, 0, sizeof(*f));
    __be16 type = BPF_CORE_READ(key, eth.type);
    if (type == bpf_htons(NT_ETH_P_IP)) {
        f->family = NT_AF_INET;
        bpf_core_read(f->saddr, 4, &key->ipv4.addr.src);
        bpf_core_read(f->daddr, 4, &key->ipv4.addr.dst);
    } else if (type == bpf_htons(NT_ETH_P_IPV6)) {
        f->family = NT_AF_INET6;
        bpf_core_read(f->saddr, 16, &key->ipv6.addr.src);
        bpf_core_read(f->daddr, 16, &key->ipv6.addr.dst);
    } else {
        return;
    }
    f->protocol = BPF_CORE_READ(key, ip.proto);
    __u16 src = bpf_ntohs(BPF_CORE_READ(key, tp.src));
    __u16 dst = bpf_ntohs(BPF_CORE_READ(key, tp.dst));
    if (f->protocol == NT_IPPROTO_ICMP || f->protocol == NT_IPPROTO_ICMPV6) {
        f->icmp_type = src;
        f->icmp_code = dst;
    } else {
        f->sport = src;
        f->dport = dst;
    }
}

/* UAPI enum ovs_packet_attr: the frame in an OVS_PACKET_CMD_EXECUTE message. */
#define NT_OVS_PACKET_ATTR_PACKET 1
#define NT_NLA_HDRLEN 4 /* struct nlattr, already NLA_ALIGNed */

/* The Ethernet frame ovs-vswitchd sent back in an OVS_PACKET_CMD_EXECUTE request, as
 * ovs_packet_cmd_execute(skb, info) finds it in info->attrs[OVS_PACKET_ATTR_PACKET] (genl_info is
 * a vmlinux type; the attribute layout is UAPI). NULL when the message carries no frame. */
static __always_inline const void *nt_ovs_execute_frame(struct genl_info *info, __u32 *len) {
    struct nlattr **attrs = BPF_CORE_READ(info, attrs);
    struct nlattr *a = NULL;
    if (!attrs || bpf_probe_read_kernel(&a, sizeof(a), &attrs[NT_OVS_PACKET_ATTR_PACKET]) || !a)
        return NULL;
    __u16 nla_len = 0;
    if (bpf_probe_read_kernel(&nla_len, sizeof(nla_len), &a->nla_len) || nla_len <= NT_NLA_HDRLEN)
        return NULL;
    *len = nla_len - NT_NLA_HDRLEN;
    return (const char *)a + NT_NLA_HDRLEN;
}

/* The L3 header of an Ethernet frame with up to two 802.1Q/802.1ad tags (OVS parses a customer
 * and a service tag into its flow key; the tags of an upcalled packet are in the frame). */
static __always_inline const void *nt_ovs_frame_l3(const void *frame, __u16 *ethertype) {
    __be16 type = 0;
    const char *p = (const char *)frame + 12; /* after the two MAC addresses */
#pragma unroll
    for (int i = 0; i < 3; i++) {
        if (bpf_probe_read_kernel(&type, sizeof(type), p))
            return NULL;
        p += 2;
        if (i == 2 || (type != bpf_htons(NT_ETH_P_8021Q) && type != bpf_htons(NT_ETH_P_8021AD)))
            break;
        p += 2; /* the tag's TCI */
    }
    *ethertype = bpf_ntohs(type);
    return p;
}
