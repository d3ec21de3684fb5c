/* SPDX-License-Identifier: GPL-2.0 */
/* One packet's identity, read from the packet itself wherever it is observed, so the stages of a
 * path (stages.bpf.h) find the same packet again: the flow plus, per protocol, what tells the
 * packets of one flow apart.
 *   TCP:  sequence number + payload length (a retransmission is the same packet again, as it is
 *         on the wire; a key made from the socket's snd_nxt, as upstream did, is not);
 *   UDP and other IP: IPv4 identification + fragment offset + IP payload length;
 *   ICMP: echo id + sequence + type + code.
 * Never read from the socket: stages start where the IP header exists (__ip_local_out). */
#pragma once
#include "skb.bpf.h"

struct nt_pkt_key {
    struct nt_flow flow; /* addresses, protocol, ports or ICMP type/code/id/seq; l3_len is 0 */
    __u32 tcp_seq;       /* TCP: sequence number (host order) */
    __u32 length;        /* TCP: payload bytes; other IP protocols: IP payload bytes */
    __u16 ip_id;         /* non-TCP IPv4: identification (0 for IPv6) */
    __u16 frag_off;      /* IPv4 fragment offset in bytes (0: first or only fragment) */
    __u32 _pad;
};

/* Fills the per-protocol identity from the L4 header at `l4` (the flow's protocol is set). */
static __always_inline int nt_pkt_key_l4(const void *l4, __u32 l4_bytes, struct nt_pkt_key *k) {
    if (k->flow.protocol == NT_IPPROTO_TCP) {
        struct tcphdr th;
        if (bpf_probe_read_kernel(&th, sizeof(th), l4))
            return -1;
        __u32 hlen = th.doff * 4;
        k->tcp_seq = bpf_ntohl(th.seq);
        k->length = l4_bytes > hlen ? l4_bytes - hlen : 0;
        return 0;
    }
    k->length = l4_bytes;
    return 0;
}

/* The key of the IP packet at `l3` (ethertype in host order). Returns 0 when it is IP. */
static __always_inline int nt_pkt_key_l3(const void *l3, __u16 ethertype, struct nt_pkt_key *k) {
    __builtin_memset(k, 0, sizeof(*k));
    if (nt_parse_l3(l3, ethertype, &k->flow))
        return -1;
    k->flow.l3_len = 0; /* not identity: the length that matters is below */
    if (ethertype == NT_ETH_P_IP) {
        struct iphdr ip;
        if (bpf_probe_read_kernel(&ip, sizeof(ip), l3))
            return -1;
        __u32 hlen = ip.ihl * 4;
        __u32 total = bpf_ntohs(ip.tot_len);
        __u16 frag = bpf_ntohs(ip.frag_off) & 0x1fff;
        __u32 l4_bytes = total > hlen ? total - hlen : 0;
        if (frag) { /* no L4 header in this fragment */
            k->ip_id = bpf_ntohs(ip.id);
            k->frag_off = frag * 8;
            k->length = l4_bytes;
            return 0;
        }
        if (ip.protocol != NT_IPPROTO_TCP)
            k->ip_id = bpf_ntohs(ip.id);
        return nt_pkt_key_l4((const char *)l3 + hlen, l4_bytes, k);
    }
    struct ipv6hdr ip6;
    if (bpf_probe_read_kernel(&ip6, sizeof(ip6), l3))
        return -1;
    return nt_pkt_key_l4((const char *)l3 + sizeof(ip6), bpf_ntohs(ip6.payload_len), k);
}

/* An Ethernet frame starting at `l2` (up to one VLAN tag). */
static __always_inline int nt_pkt_key_l2(const void *l2, struct nt_pkt_key *k) {
    __u16 ethertype = 0;
    const void *l3 = nt_l2_payload(l2, &ethertype);
    if (!l3 || (ethertype != NT_ETH_P_IP && ethertype != NT_ETH_P_IPV6))
        return -1;
    return nt_pkt_key_l3(l3, ethertype, k);
}

/* Where a hook finds the packet in its skb. */
enum nt_pkt_at {
    NT_PKT_AT_HEADERS = 0, /* the skb's header offsets, as nt_skb_l3() locates them */
    NT_PKT_AT_DATA_L2 =
        1, /* an Ethernet frame at skb->data, no offsets set (OVS userspace execute) */
    NT_PKT_AT_TCP_SOCK = 2, /* a TCP segment at the transport header, IP header not built yet */
};

/* A locally built packet before ip_output() sets skb->protocol (ip_send_skb, __ip_local_out):
 * only its network header is set; the IP version tells what is there. */
static __always_inline const void *nt_local_l3(struct sk_buff *skb, __u16 *ethertype) {
    __u16 nh = BPF_CORE_READ(skb, network_header);
    if (nh == NT_NO_HEADER || BPF_CORE_READ(skb, protocol) ||
        BPF_CORE_READ(skb, mac_header) != NT_NO_HEADER)
        return NULL;
    const __u8 *l3 = BPF_CORE_READ(skb, head) + nh;
    __u8 version = 0;
    if (bpf_probe_read_kernel(&version, 1, l3))
        return NULL;
    *ethertype = version >> 4 == 4 ? NT_ETH_P_IP : version >> 4 == 6 ? NT_ETH_P_IPV6 : 0;
    return *ethertype ? l3 : NULL;
}

/* The key of `skb` as a hook sees it; 0 when the packet is IP and readable. */
static __always_inline int nt_pkt_key_of(struct sk_buff *skb, enum nt_pkt_at at,
                                         struct nt_pkt_key *k) {
    if (at == NT_PKT_AT_DATA_L2)
        return nt_pkt_key_l2(BPF_CORE_READ(skb, data), k);
    __u16 ethertype = 0;
    const void *l3 = nt_skb_l3(skb, &ethertype);
    if (!l3)
        l3 = nt_local_l3(skb, &ethertype);
    if (!l3 || (ethertype != NT_ETH_P_IP && ethertype != NT_ETH_P_IPV6))
        return -1;
    return nt_pkt_key_l3(l3, ethertype, k);
}

/* Whether a packet that failed to parse was IP at all (only those count as parse failures). */
static __always_inline bool nt_skb_is_ip(struct sk_buff *skb) {
    __u16 proto = bpf_ntohs(BPF_CORE_READ(skb, protocol));
    return proto == NT_ETH_P_IP || proto == NT_ETH_P_IPV6;
}

/* Round trips (ICMP echo): the reply is keyed as its request (addresses swapped back, request
 * type) and neither keeps its identification or length, so one session follows both packets.
 * Returns 1 for an echo reply (the second leg), 0 for a request, -1 for any other packet (not
 * part of a round trip: an ICMP error or other traffic between the two hosts). */
static __always_inline int nt_pkt_key_echo_leg(struct nt_pkt_key *k) {
    __u8 p = k->flow.protocol, type = k->flow.icmp_type;
    bool request = (p == NT_IPPROTO_ICMP && type == 8) || (p == NT_IPPROTO_ICMPV6 && type == 128);
    bool reply = (p == NT_IPPROTO_ICMP && type == 0) || (p == NT_IPPROTO_ICMPV6 && type == 129);
    if (!request && !reply)
        return -1;
    k->ip_id = 0;
    k->length = 0;
    if (request)
        return 0;
    __u8 tmp[16];
    __builtin_memcpy(tmp, k->flow.saddr, 16);
    __builtin_memcpy(k->flow.saddr, k->flow.daddr, 16);
    __builtin_memcpy(k->flow.daddr, tmp, 16);
    k->flow.icmp_type = p == NT_IPPROTO_ICMP ? 8 : 128;
    return 1;
}
