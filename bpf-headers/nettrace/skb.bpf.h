/* SPDX-License-Identifier: GPL-2.0 */
/* The one packet parser: sk_buff -> L2 (VLAN) -> IPv4/IPv6 -> TCP/UDP/ICMP, plus an entry point
 * at L3 for tunnel inner headers. Every read is a CO-RE or probe read; no offsets are assumed. */
#pragma once
#include "common.bpf.h"

/* A flow as the tools see it. Addresses stay in network byte order (IPv4 in the first 4 bytes),
 * ports are converted to host order, so user space formats without guessing. */
struct nt_flow {
    __u8 family;   /* NT_AF_INET, NT_AF_INET6, or 0 when the packet is not IP */
    __u8 protocol; /* IPPROTO_* of the L4 header (after IPv6 extension headers are not walked) */
    __u16 sport;
    __u16 dport;
    __u16 l3_len; /* IP total length (IPv6: payload + 40) */
    __u8 saddr[16];
    __u8 daddr[16];
    __u8 icmp_type;
    __u8 icmp_code;
    __u16 icmp_id; /* echo id / seq in host order, for ICMP RTT tools */
    __u16 icmp_seq;
    __u16 _pad;
};

#define NT_NO_HEADER ((__u16)~0U)

/* Parses L4 ports or ICMP ids at `l4`. */
static __always_inline void nt_parse_l4(const void *l4, struct nt_flow *f) {
    if (f->protocol == NT_IPPROTO_TCP || f->protocol == NT_IPPROTO_UDP) {
        __be16 ports[2];
        if (bpf_probe_read_kernel(ports, sizeof(ports), l4) == 0) {
            f->sport = bpf_ntohs(ports[0]);
            f->dport = bpf_ntohs(ports[1]);
        }
    } else if (f->protocol == NT_IPPROTO_ICMP || f->protocol == NT_IPPROTO_ICMPV6) {
        struct icmphdr h;
        if (bpf_probe_read_kernel(&h, sizeof(h), l4) == 0) {
            f->icmp_type = h.type;
            f->icmp_code = h.code;
            f->icmp_id = bpf_ntohs(h.un.echo.id);
            f->icmp_seq = bpf_ntohs(h.un.echo.sequence);
        }
    }
}

/* Parses an IP header at `l3` given its ethertype (host order). Returns 0 when IP was found. */
static __always_inline int nt_parse_l3(const void *l3, __u16 ethertype, struct nt_flow *f) {
    if (ethertype == NT_ETH_P_IP) {
        struct iphdr ip;
        if (bpf_probe_read_kernel(&ip, sizeof(ip), l3))
            return -1;
        f->family = NT_AF_INET;
        f->protocol = ip.protocol;
        f->l3_len = bpf_ntohs(ip.tot_len);
        __builtin_memcpy(f->saddr, &ip.saddr, 4);
        __builtin_memcpy(f->daddr, &ip.daddr, 4);
        /* fragments after the first carry no L4 header */
        if (bpf_ntohs(ip.frag_off) & 0x1fff)
            return 0;
        nt_parse_l4((const char *)l3 + ip.ihl * 4, f);
        return 0;
    }
    if (ethertype == NT_ETH_P_IPV6) {
        struct ipv6hdr ip6;
        if (bpf_probe_read_kernel(&ip6, sizeof(ip6), l3))
            return -1;
        f->family = NT_AF_INET6;
        f->protocol = ip6.nexthdr;
        f->l3_len = bpf_ntohs(ip6.payload_len) + 40;
        __builtin_memcpy(f->saddr, &ip6.saddr, 16);
        __builtin_memcpy(f->daddr, &ip6.daddr, 16);
        nt_parse_l4((const char *)l3 + 40, f);
        return 0;
    }
    return -1;
}

/* Parses an Ethernet header (with up to one VLAN tag) at `l2`. */
static __always_inline int nt_parse_l2(const void *l2, struct nt_flow *f) {
    struct ethhdr eth;
    if (bpf_probe_read_kernel(&eth, sizeof(eth), l2))
        return -1;
    __u16 type = bpf_ntohs(eth.h_proto);
    const char *next = (const char *)l2 + sizeof(eth);
    if (type == NT_ETH_P_8021Q || type == NT_ETH_P_8021AD) {
        __be16 inner[2]; /* TCI, encapsulated ethertype */
        if (bpf_probe_read_kernel(inner, sizeof(inner), next))
            return -1;
        type = bpf_ntohs(inner[1]);
        next += 4;
    }
    return nt_parse_l3(next, type, f);
}

/* Parses an skb wherever it is in the stack: from the network header when the kernel has set it,
 * otherwise from the MAC header (e.g. early receive hooks). Returns 0 when an IP header was found.
 */
static __always_inline int nt_parse_skb(struct sk_buff *skb, struct nt_flow *f) {
    unsigned char *head = BPF_CORE_READ(skb, head);
    __u16 nh = BPF_CORE_READ(skb, network_header);
    __u16 mh = BPF_CORE_READ(skb, mac_header);
    __u16 proto = bpf_ntohs(BPF_CORE_READ(skb, protocol));
    if (nh != NT_NO_HEADER && (proto == NT_ETH_P_IP || proto == NT_ETH_P_IPV6) &&
        (mh == NT_NO_HEADER || nh > mh))
        return nt_parse_l3(head + nh, proto, f);
    if (mh != NT_NO_HEADER)
        return nt_parse_l2(head + mh, f);
    /* No header offsets yet (transmit before the stack set them): skb->data is L3 for IP. */
    if (proto == NT_ETH_P_IP || proto == NT_ETH_P_IPV6)
        return nt_parse_l3(BPF_CORE_READ(skb, data), proto, f);
    return -1;
}

static __always_inline __u32 nt_skb_ifindex(struct sk_buff *skb) {
    return BPF_CORE_READ(skb, dev, ifindex);
}

/* Header positions, for plugins that need more than the flow: tunnel payloads, packet identity.
 * Same rules as the parsers above; every pointer is a kernel address to read with probe reads. */

/* After an Ethernet header (and up to one VLAN tag) at `l2`: the L3 header and its ethertype. */
static __always_inline const void *nt_l2_payload(const void *l2, __u16 *ethertype) {
    struct ethhdr eth;
    if (bpf_probe_read_kernel(&eth, sizeof(eth), l2))
        return NULL;
    __u16 type = bpf_ntohs(eth.h_proto);
    const char *next = (const char *)l2 + sizeof(eth);
    if (type == NT_ETH_P_8021Q || type == NT_ETH_P_8021AD) {
        __be16 inner[2];
        if (bpf_probe_read_kernel(inner, sizeof(inner), next))
            return NULL;
        type = bpf_ntohs(inner[1]);
        next += sizeof(inner);
    }
    *ethertype = type;
    return next;
}

/* The L3 header of an skb, located as nt_parse_skb() does; NULL when there is none. */
static __always_inline const void *nt_skb_l3(struct sk_buff *skb, __u16 *ethertype) {
    unsigned char *head = BPF_CORE_READ(skb, head);
    __u16 nh = BPF_CORE_READ(skb, network_header);
    __u16 mh = BPF_CORE_READ(skb, mac_header);
    __u16 proto = bpf_ntohs(BPF_CORE_READ(skb, protocol));
    bool ip = proto == NT_ETH_P_IP || proto == NT_ETH_P_IPV6;
    if (nh != NT_NO_HEADER && ip && (mh == NT_NO_HEADER || nh > mh)) {
        *ethertype = proto;
        return head + nh;
    }
    if (mh != NT_NO_HEADER)
        return nt_l2_payload(head + mh, ethertype);
    if (!ip)
        return NULL;
    *ethertype = proto;
    return BPF_CORE_READ(skb, data);
}

/* The L4 header after the IP header at `l3` and its protocol; NULL for non-IP packets and for
 * IPv4 fragments after the first (IPv6 extension headers are not walked, as in nt_parse_l3). */
static __always_inline const void *nt_l4_header(const void *l3, __u16 ethertype, __u8 *protocol) {
    if (ethertype == NT_ETH_P_IP) {
        struct iphdr ip;
        if (bpf_probe_read_kernel(&ip, sizeof(ip), l3) || (bpf_ntohs(ip.frag_off) & 0x1fff))
            return NULL;
        *protocol = ip.protocol;
        return (const char *)l3 + ip.ihl * 4;
    }
    if (ethertype == NT_ETH_P_IPV6) {
        struct ipv6hdr ip6;
        if (bpf_probe_read_kernel(&ip6, sizeof(ip6), l3))
            return NULL;
        *protocol = ip6.nexthdr;
        return (const char *)l3 + sizeof(ip6);
    }
    return NULL;
}

/* The payload of a UDP datagram whose IP header is at `l3` (tunnel headers start here); NULL when
 * the packet is not UDP. */
static __always_inline const void *nt_udp_payload(const void *l3, __u16 ethertype) {
    __u8 protocol = 0;
    const char *l4 = nt_l4_header(l3, ethertype, &protocol);
    if (!l4 || protocol != NT_IPPROTO_UDP)
        return NULL;
    return l4 + sizeof(struct udphdr);
}

/* IPv4 identification in host order (0 for IPv6, which has none outside fragment headers): with
 * the flow, it tells apart the datagrams of one flow (packet identity across hooks). */
static __always_inline __u16 nt_ip_id(const void *l3, __u16 ethertype) {
    struct iphdr ip;
    if (ethertype != NT_ETH_P_IP || bpf_probe_read_kernel(&ip, sizeof(ip), l3))
        return 0;
    return bpf_ntohs(ip.id);
}

/* The L2 frame length of an skb at any hook: skb->len plus the link-layer header the receive path
 * has already pulled (on transmit skb->data is the MAC header, so this is skb->len). */
static __always_inline __u32 nt_skb_frame_len(const struct sk_buff *skb) {
    __u32 len = BPF_CORE_READ(skb, len);
    __u16 mh = BPF_CORE_READ(skb, mac_header);
    __u64 data = BPF_CORE_READ(skb, data) - BPF_CORE_READ(skb, head);
    if (mh != NT_NO_HEADER && data > mh)
        len += data - mh;
    return len;
}
