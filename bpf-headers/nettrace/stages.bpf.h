/* SPDX-License-Identifier: GPL-2.0 */
/* The stage-latency engine: follow each packet of a flow along a path of stages (kernel and OVS
 * functions, device tracepoints) and time every hop, per packet or aggregated in the kernel.
 *
 * A profile (user space, @nettrace/core's stages/) is data: per direction, an ordered list of
 * stages; each stage is stamped by one or more hook points (enum nt_stage_hook, stage_hooks.bpf.h),
 * optionally only on one device role (the physical NIC, the OVS internal port, the VM's tap) and,
 * for round trips, on one leg (request or reply). User space writes that table into rodata before
 * load, after the hook planner has decided which hooks this kernel has: the first and last stages
 * present create and end sessions, so a profile runs degraded on the stages it can see.
 *
 * One session per packet, keyed by the packet itself (pktkey.bpf.h): the first stage creates it
 * (a key already in flight is replaced and counted), later stages stamp it once (first write
 * wins: recirculation and repeated hooks keep the first time), the last stage completes it.
 * Adjacent pairs are taken in the order the stamps happened, so every delta is >= 0 and a
 * completed packet's total is exactly the sum of its adjacent deltas (pair statistics are added
 * at each stamp, so they also hold the hops of packets that have not completed). Completed
 * sessions are either streamed (details: the whole session record through the shared event
 * channel, filtered by a threshold in the kernel) or aggregated here (summary: per adjacent pair
 * and end to end, count, sum, max, cross-CPU hand-offs and a log2 histogram of nanoseconds). */
#pragma once
#include "pktkey.bpf.h"
#include "netdev.bpf.h"
#include "hist.bpf.h"
#include "buffer.bpf.h"
#include "counters.bpf.h"
#include "stack.bpf.h"

/* Every place a stage can be stamped. Tracepoints carry the device they fire on; a stage on them
 * names a device role. The TypeScript catalog (@nettrace/core stages/hook-points.ts) gives each
 * one its hook ladder; the enum reaches it through the object's BTF. */
enum nt_stage_hook {
    NT_SH_NETIF_RECEIVE_SKB,  /* tp net:netif_receive_skb: a device's packet enters the stack */
    NT_SH_NET_DEV_QUEUE,      /* tp net:net_dev_queue: dev_queue_xmit() on a device */
    NT_SH_QDISC_DEQUEUE,      /* tp qdisc:qdisc_dequeue: leaves a device's qdisc */
    NT_SH_NET_DEV_START_XMIT, /* tp net:net_dev_start_xmit: handed to a device's driver */
    NT_SH_NETIF_RX,           /* tp net:netif_rx: queued to a CPU backlog (netif_rx_internal) */
    NT_SH_IP_LOCAL_OUT, /* __ip_local_out(): a locally generated IPv4 packet (no tot_len yet) */
    NT_SH_IP_OUTPUT,    /* ip_output(): a locally generated IPv4 packet leaves the IP layer */
    NT_SH_OVS_VPORT_RECEIVE,    /* ovs_vport_receive(): a port hands the packet to the datapath */
    NT_SH_OVS_DP_PROCESS,       /* ovs_dp_process_packet(): flow table lookup */
    NT_SH_OVS_DP_UPCALL,        /* ovs_dp_upcall(): flow miss, packet queued to ovs-vswitchd */
    NT_SH_OVS_KEY_EXTRACT_US,   /* ovs_flow_key_extract_userspace(): ovs-vswitchd executes it */
    NT_SH_OVS_CT_EXECUTE,       /* ovs_ct_execute(): the ct() action */
    NT_SH_NF_CONNTRACK_IN,      /* nf_conntrack_in(): conntrack lookup */
    NT_SH_OVS_VPORT_SEND,       /* ovs_vport_send(): output to a port (the port's device) */
    NT_SH_NETDEV_FRAME_HOOK,    /* netdev_frame_hook(): OVS rx_handler of a port device */
    NT_SH_INTERNAL_DEV_RECV,    /* internal_dev_recv(): OVS hands the packet to an internal port */
    NT_SH_ENQUEUE_TO_BACKLOG,   /* enqueue_to_backlog(): queued to a CPU's backlog */
    NT_SH_NETIF_RECEIVE_SKB_FN, /* __netif_receive_skb(): the backlog (or NAPI) processes it */
    NT_SH_IP_RCV,               /* ip_rcv() */
    NT_SH_IP_LOCAL_DELIVER,     /* ip_local_deliver() */
    NT_SH_TCP_V4_RCV,           /* tcp_v4_rcv() */
    NT_SH_UDP_RCV,              /* udp_rcv() */
    NT_SH_ICMP_RCV,             /* icmp_rcv() */
    NT_SH_NETIF_RX_FN,          /* netif_rx(): a driver (an OVS internal port) hands it over */
    NT_SH_NETIF_RX_INTERNAL,    /* netif_rx_internal(): picks the CPU backlog (RPS) */
    NT_SH_NETIF_RECEIVE_SKB_CORE, /* __netif_receive_skb_core(**pskb): protocol dispatch */
    NT_SH_COUNT,
};

/* Table dimensions, shared with user space (exported through BTF). */
enum nt_stage_dims {
    NT_STAGE_MAX = 16,  /* stages per direction */
    NT_STAGE_DIRS = 2,  /* tx, rx */
    NT_STAGE_ROLES = 4, /* any device, physical NIC, OVS internal port, VM tap */
    NT_STAGE_LEGS = 2,  /* request, reply (round trips); else only the first */
};

enum nt_stage_dir { NT_STAGE_TX, NT_STAGE_RX };

/* Counters (counters.bpf.h): one block per direction (slot = dir * NT_SC_PER_DIR + the tx
 * member), then the global ones. Every slot is named here, so the generated contract reads them by
 * name (tx_started, rx_started, ..., parse_failed). */
enum nt_stage_counter {
    NT_SC_TX_STARTED,         /* sessions created by the first stage */
    NT_SC_TX_COMPLETED,       /* sessions that reached the last stage */
    NT_SC_TX_REPLACED,        /* a first stage saw its key still in flight (retransmission, reused
                                 IP id): the older session was dropped unfinished */
    NT_SC_TX_NOT_FOUND,       /* packets that passed the filters at the last stage without a
                                 session */
    NT_SC_TX_CROSS_CPU,       /* completed sessions whose stages ran on more than one CPU */
    NT_SC_TX_GSO,             /* sessions created for a GSO/GRO packet: if it is segmented on the
                                 way, only its first segment can complete it */
    NT_SC_TX_BELOW_THRESHOLD, /* details: completed but not streamed (total below the threshold) */
    NT_SC_RX_STARTED,
    NT_SC_RX_COMPLETED,
    NT_SC_RX_REPLACED,
    NT_SC_RX_NOT_FOUND,
    NT_SC_RX_CROSS_CPU,
    NT_SC_RX_GSO,
    NT_SC_RX_BELOW_THRESHOLD,
    NT_SC_PARSE_FAILED, /* IP packets at a hook whose headers were unreadable */
    NT_SC_SLOTS,
};
#define NT_SC_PER_DIR (NT_SC_RX_STARTED - NT_SC_TX_STARTED)
_Static_assert(NT_SC_PARSE_FAILED == 2 * NT_SC_PER_DIR, "one counter block per direction");

enum nt_stage_flags {
    NT_SF_GSO = 1,       /* created from a GSO/GRO packet */
    NT_SF_CROSS_CPU = 2, /* stages ran on more than one CPU */
};

/* What a stage saw. ifindex..queue are read only when cfg_stage_meta is set (details). */
struct nt_stage_mark {
    __u64 ts_ns; /* bpf_ktime_get_ns(); 0: stage not seen */
    __u32 ifindex;
    __u32 len;      /* skb->len */
    __u32 data_len; /* skb->data_len (paged part) */
    __u32 hash;     /* skb->hash */
    __u16 queue;    /* skb->queue_mapping */
    __u16 cpu;
    __s32 stack_id; /* kernel stack here (cfg_stage_stacks; stack.bpf.h's `stacks`), < 0: none */
};

/* One packet on its way; also the details record streamed when it completes. */
struct nt_stage_session {
    struct nt_pkt_key key;
    __u64 first_ns; /* first stage */
    __u64 last_ns;  /* latest stamp (the last stage once complete) */
    __u32 pid;      /* task current at the first stage (the sender for sockets) */
    __u8 dir;       /* enum nt_stage_dir */
    __u8 stamps;    /* stages stamped so far */
    __u8 last_pos;  /* position of the latest stamp */
    __u8 flags;     /* enum nt_stage_flags */
    char comm[NT_TASK_COMM_LEN];
    __u8 order[NT_STAGE_MAX]; /* positions in the order they were stamped */
    struct nt_stage_mark marks[NT_STAGE_MAX];
};
NT_EXPORT_TYPE(struct nt_stage_session, stage_session);

struct nt_stage_pair_key {
    __u8 dir;
    __u8 from; /* stage positions, adjacent in time */
    __u8 to;
    __u8 _pad;
};

/* A hop into a queued stage (cfg_stage_cpu_pair_into) by the CPUs on either side: which CPU
 * queued the packet and which one took it out (a CPU backlog's RPS hand-off). */
struct nt_stage_cpu_pair_key {
    struct nt_stage_pair_key pair;
    __u32 from_cpu;
    __u32 to_cpu;
};

struct nt_stage_stats {
    __u64 count;
    __u64 sum_ns;
    __u64 max_ns;
    __u64 cross_cpu;     /* samples whose two stamps ran on different CPUs */
    struct nt_hist hist; /* log2 of nanoseconds (hist.bpf.h) */
};

/* The profile table (written by @nettrace/core before load). Positions are stored + 1, 0 = none. */
#define NT_STAGE_OF_SLOTS (NT_SH_COUNT * NT_STAGE_DIRS * NT_STAGE_ROLES * NT_STAGE_LEGS)
const volatile __u8 cfg_stage_of[NT_STAGE_OF_SLOTS] = {};   /* [hook][dir][role][leg] */
const volatile __u8 cfg_stage_hook_roles[NT_SH_COUNT] = {}; /* bit r: some stage uses role r */
const volatile __u8 cfg_stage_first[NT_STAGE_DIRS] = {};
const volatile __u8 cfg_stage_last[NT_STAGE_DIRS] = {};
const volatile __u8 cfg_stage_after[NT_STAGE_DIRS * NT_STAGE_MAX] = {}; /* needs that stage first */
const volatile __u32 cfg_stage_role_ifindex[NT_STAGE_ROLES * 2] = {};   /* two per role (bonds) */
const volatile __u8 cfg_stage_details = 0;    /* stream completed sessions */
const volatile __u8 cfg_stage_aggregate = 0;  /* pair and total statistics in the kernel */
const volatile __u8 cfg_stage_meta = 0;       /* read skb metadata at every stage */
const volatile __u8 cfg_stage_round_trip = 0; /* ICMP echo replies join their request */
const volatile __u8 cfg_stage_stacks = 0;     /* take a kernel stack at every stage */
const volatile __u64 cfg_stage_threshold_ns = 0;

#ifndef NT_STAGE_SESSIONS
#define NT_STAGE_SESSIONS 10240
#endif

struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, NT_STAGE_SESSIONS);
    __type(key, struct nt_pkt_key);
    __type(value, struct nt_stage_session);
} stage_sessions SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_HASH);
    __uint(max_entries, NT_STAGE_DIRS *NT_STAGE_MAX *NT_STAGE_MAX);
    __type(key, struct nt_stage_pair_key);
    __type(value, struct nt_stage_stats);
} stage_pairs SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, NT_STAGE_DIRS);
    __type(key, __u32);
    __type(value, struct nt_stage_stats);
} stage_totals SEC(".maps");

/* Per direction, bit p: count the hops into stage p by (from CPU, to CPU) (summary plugins that
 * analyse a queue's CPU hand-offs); 0: no extra map update per stamp. */
const volatile __u16 cfg_stage_cpu_pair_into[NT_STAGE_DIRS] = {};

#ifndef NT_STAGE_CPU_PAIRS
#define NT_STAGE_CPU_PAIRS 4096
#endif

/* Allocated on use: only plugins that set cfg_stage_cpu_pair_into insert. */
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, NT_STAGE_CPU_PAIRS);
    __uint(map_flags, BPF_F_NO_PREALLOC);
    __type(key, struct nt_stage_cpu_pair_key);
    __type(value, __u64);
} stage_cpu_pairs SEC(".maps");

NT_COUNTERS(nt_stage_counter, NT_SC_SLOTS);

/* Zero values to insert from (too large for the BPF stack). */
static const struct nt_stage_session nt_stage_zero_session;
static const struct nt_stage_stats nt_stage_zero_stats;

/* `counter` is the tx member; the direction picks its block. */
static __always_inline void nt_stage_count(__u32 dir, __u32 counter) {
    nt_count(dir * NT_SC_PER_DIR + counter, 1);
}

/* An index into a rodata table, bounded where the verifier sees it: clang may turn the index
 * arithmetic into ORs whose bounds older verifiers (6.1) lose, and would drop a check it can prove,
 * so the value is hidden from it first. */
#define NT_INDEX(i, n)                                                                             \
    ({                                                                                             \
        __u32 __i = (i);                                                                           \
        barrier_var(__i);                                                                          \
        __i < (n) ? __i : 0;                                                                       \
    })

static __always_inline __u8 nt_stage_of(__u32 hook, __u32 dir, __u32 role, __u32 leg) {
    __u32 i = ((hook * NT_STAGE_DIRS + dir) * NT_STAGE_ROLES + role) * NT_STAGE_LEGS + leg;
    return i < NT_STAGE_OF_SLOTS ? cfg_stage_of[NT_INDEX(i, NT_STAGE_OF_SLOTS)] : 0;
}

/* The role of a device (1..3) when it is one the profile names, else 0. */
static __always_inline __u32 nt_stage_role(const struct net_device *dev) {
    if (!dev)
        return 0;
    __u32 ifindex = BPF_CORE_READ(dev, ifindex);
    if (cfg_netns_ino && nt_dev_netns(dev) != cfg_netns_ino)
        return 0;
#pragma unroll
    for (__u32 i = 2; i < NT_STAGE_ROLES * 2; i++)
        if (cfg_stage_role_ifindex[i] && cfg_stage_role_ifindex[i] == ifindex)
            return i / 2;
    return 0;
}

static __always_inline void nt_stats_add(struct nt_stage_stats *st, __u64 ns, bool cross) {
    st->count++;
    st->sum_ns += ns;
    if (ns > st->max_ns)
        st->max_ns = ns;
    if (cross)
        st->cross_cpu++;
    __u32 slot = nt_log2_slot(ns);
    if (slot >= NT_HIST_SLOTS)
        slot = NT_HIST_SLOTS - 1;
    st->hist.slots[slot]++;
}

static __always_inline void nt_stage_pair_add(__u32 dir, __u32 from, __u32 to, __u64 ns,
                                              bool cross) {
    struct nt_stage_pair_key pk = {.dir = dir, .from = from, .to = to};
    struct nt_stage_stats *st = bpf_map_lookup_elem(&stage_pairs, &pk);
    if (!st) {
        bpf_map_update_elem(&stage_pairs, &pk, &nt_stage_zero_stats, BPF_NOEXIST);
        st = bpf_map_lookup_elem(&stage_pairs, &pk);
        if (!st)
            return;
    }
    nt_stats_add(st, ns, cross);
}

static __always_inline void nt_stage_cpu_pair_add(__u32 dir, __u32 from, __u32 to, __u32 from_cpu,
                                                  __u32 to_cpu) {
    struct nt_stage_cpu_pair_key k = {
        .pair = {.dir = dir, .from = from, .to = to}, .from_cpu = from_cpu, .to_cpu = to_cpu};
    __u64 one = 1;
    __u64 *n = bpf_map_lookup_elem(&stage_cpu_pairs, &k);
    if (n)
        __sync_fetch_and_add(n, 1);
    else if (bpf_map_update_elem(&stage_cpu_pairs, &k, &one, BPF_NOEXIST)) {
        n = bpf_map_lookup_elem(&stage_cpu_pairs, &k); /* another CPU inserted it first */
        if (n)
            __sync_fetch_and_add(n, 1);
    }
}

/* The last stage: count the session, add its total, stream it, forget it. */
static __always_inline void nt_stage_complete(void *ctx, struct nt_stage_session *s,
                                              const struct nt_pkt_key *key, __u32 dir) {
    __u64 total = s->last_ns - s->first_ns;
    bool cross = s->flags & NT_SF_CROSS_CPU;
    nt_stage_count(dir, NT_SC_TX_COMPLETED);
    if (cross)
        nt_stage_count(dir, NT_SC_TX_CROSS_CPU);
    if (cfg_stage_aggregate) {
        __u32 d = dir;
        struct nt_stage_stats *t = bpf_map_lookup_elem(&stage_totals, &d);
        if (t)
            nt_stats_add(t, total, cross);
    }
    if (cfg_stage_details) {
        if (total >= cfg_stage_threshold_ns)
            nt_event_emit(ctx, s, sizeof(*s));
        else
            nt_stage_count(dir, NT_SC_TX_BELOW_THRESHOLD);
    }
    bpf_map_delete_elem(&stage_sessions, key);
}

/* Stamps stage `pos` (first write wins is checked by the caller). The hop from the latest stamp,
 * adjacent in time, goes into the pair statistics right away: one map update per stamp, and no
 * loop at the last stage (a loop of map updates there made the verifier's work explode). */
static __always_inline void nt_stage_stamp(void *ctx, struct nt_stage_session *s, __u32 dir,
                                           __u32 pos, __u64 now, struct sk_buff *skb,
                                           const struct net_device *dev) {
    pos &= NT_STAGE_MAX - 1;
    struct nt_stage_mark *m = &s->marks[pos];
    m->ts_ns = now;
    m->cpu = bpf_get_smp_processor_id();
    m->stack_id = cfg_stage_stacks ? nt_kernel_stack(ctx) : -1;
    if (cfg_stage_meta) {
        m->ifindex = dev ? BPF_CORE_READ(dev, ifindex) : BPF_CORE_READ(skb, dev, ifindex);
        m->len = BPF_CORE_READ(skb, len);
        m->data_len = BPF_CORE_READ(skb, data_len);
        m->hash = BPF_CORE_READ(skb, hash);
        m->queue = BPF_CORE_READ(skb, queue_mapping);
    }
    if (s->stamps) {
        __u32 prev = s->last_pos & (NT_STAGE_MAX - 1);
        bool hop = s->marks[prev].cpu != m->cpu;
        if (hop)
            s->flags |= NT_SF_CROSS_CPU;
        if (cfg_stage_aggregate)
            nt_stage_pair_add(dir, prev, pos, now - s->last_ns, hop);
        if (cfg_stage_cpu_pair_into[dir & 1] & (1 << pos))
            nt_stage_cpu_pair_add(dir, prev, pos, s->marks[prev].cpu, m->cpu);
    }
    if (s->stamps < NT_STAGE_MAX)
        s->order[s->stamps & (NT_STAGE_MAX - 1)] = pos;
    s->stamps++;
    s->last_pos = pos;
    s->last_ns = now;
}

static __always_inline bool nt_skb_is_gso(struct sk_buff *skb) {
    struct skb_shared_info *shinfo =
        (struct skb_shared_info *)(BPF_CORE_READ(skb, head) + BPF_CORE_READ(skb, end));
    return BPF_CORE_READ(shinfo, gso_size) != 0;
}

/* The first stage: a new session for this packet. */
static __always_inline void nt_stage_start(void *ctx, const struct nt_pkt_key *key, __u32 dir,
                                           __u32 pos, struct sk_buff *skb,
                                           const struct net_device *dev) {
    if (bpf_map_lookup_elem(&stage_sessions, key))
        nt_stage_count(dir, NT_SC_TX_REPLACED);
    if (bpf_map_update_elem(&stage_sessions, key, &nt_stage_zero_session, BPF_ANY))
        return;
    struct nt_stage_session *s = bpf_map_lookup_elem(&stage_sessions, key);
    if (!s)
        return;
    __u64 now = bpf_ktime_get_ns();
    s->key = *key;
    s->dir = dir;
    s->first_ns = now;
    s->pid = nt_tgid();
    bpf_get_current_comm(s->comm, sizeof(s->comm));
    if (nt_skb_is_gso(skb)) {
        s->flags |= NT_SF_GSO;
        nt_stage_count(dir, NT_SC_TX_GSO);
    }
    nt_stage_stamp(ctx, s, dir, pos, now, skb, dev);
    nt_stage_count(dir, NT_SC_TX_STARTED);
}

/* How a hook finds its packet: the hook point, and where the packet starts in the skb. */
#define NT_STAGE_WHERE(hook, at) ((hook) | ((at) << 8))

/* Every hook program calls this: one verified copy per program, whatever the hook. */
static __noinline int nt_stage_hit(void *ctx, struct sk_buff *skb, __u32 where,
                                   const struct net_device *dev) {
    __u32 hook = where & 0xff;
    if (!skb || hook >= NT_SH_COUNT)
        return 0;
    __u8 roles = cfg_stage_hook_roles[NT_INDEX(hook, NT_SH_COUNT)];
    if (!roles)
        return 0; /* attached, but no stage of this run uses it */
    __u32 role = 0;
    if (roles & ~1) {
        if (!dev)
            dev = BPF_CORE_READ(skb, dev);
        role = nt_stage_role(dev);
        if (!(roles & (1 << role)) && !(roles & 1))
            return 0; /* not a device of the profile */
    } else if (dev && cfg_netns_ino && nt_dev_netns(dev) != cfg_netns_ino) {
        return 0; /* a hook that knows its device: another namespace's packet (a local peer's) */
    }
    struct nt_pkt_key key;
    if (nt_pkt_key_of(skb, where >> 8, &key)) {
        if (nt_skb_is_ip(skb))
            nt_count(NT_SC_PARSE_FAILED, 1);
        return 0;
    }
    if (!nt_flow_match(&key.flow))
        return 0;
    __u32 leg = 0;
    if (cfg_stage_round_trip) {
        int l = nt_pkt_key_echo_leg(&key);
        if (l < 0)
            return 0; /* round trips follow echo requests and replies only */
        leg = l;
    }
    __u8 pos[NT_STAGE_DIRS];
#pragma unroll
    for (__u32 d = 0; d < NT_STAGE_DIRS; d++) {
        pos[d] = nt_stage_of(hook, d, role, leg);
        if (!pos[d] && role)
            pos[d] = nt_stage_of(hook, d, 0, leg);
        if (pos[d] && pos[d] == cfg_stage_first[d]) {
            nt_stage_start(ctx, &key, d, pos[d] - 1, skb, dev);
            return 0;
        }
    }
    struct nt_stage_session *s = bpf_map_lookup_elem(&stage_sessions, &key);
    if (!s) {
#pragma unroll
        for (__u32 d = 0; d < NT_STAGE_DIRS; d++)
            if (pos[d] && pos[d] == cfg_stage_last[d])
                nt_stage_count(d, NT_SC_TX_NOT_FOUND);
        return 0;
    }
    __u32 dir = s->dir & 1;
    __u32 p = pos[dir];
    if (!p)
        return 0;
    p = (p - 1) & (NT_STAGE_MAX - 1);
    if (s->marks[p].ts_ns)
        return 0; /* first write wins */
    __u8 after = cfg_stage_after[NT_INDEX(dir * NT_STAGE_MAX + p, NT_STAGE_DIRS * NT_STAGE_MAX)];
    if (after && !s->marks[(after - 1) & (NT_STAGE_MAX - 1)].ts_ns)
        return 0; /* a stage that only counts after another one (e.g. conntrack inside ct()) */
    nt_stage_stamp(ctx, s, dir, p, bpf_ktime_get_ns(), skb, dev);
    if (p + 1 == cfg_stage_last[dir])
        nt_stage_complete(ctx, s, &key, dir);
    return 0;
}
