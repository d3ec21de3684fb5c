/* SPDX-License-Identifier: GPL-2.0 */
/* vhost-buf-peek-stats: what does vhost-net find when it looks for the next packet of a tap queue?
 * vhost_net_buf_peek(nvq) (static in vhost_net) returns the length of the next packet in the
 * receive virtqueue's batch, refilling the batch from the tap's ring when it is empty: 0 means the
 * ring was empty too (handle_rx stops there). Counted in the kernel per (receive virtqueue,
 * return value), the virtqueue named by the tap queue its backend socket belongs to. */
#include "netdev.bpf.h"
#include "counters.bpf.h"
#include "modules/tun_queue.bpf.h"

/* The tap queue in the key keeps a new device's virtqueue apart from an older one's that had the
 * same address (addresses are reused once a device is freed). */
struct peek_key {
    const void *nvq;
    __s32 ret;  /* what vhost_net_buf_peek returned: packet length, 0 = nothing to read */
    __u8 named; /* queue is set: the backend is a tap queue */
    __u8 _pad[3];
    struct nt_tun_queue queue;
    __u32 _tail;
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 4096);
    __type(key, struct peek_key);
    __type(value, __u64);
} peeks SEC(".maps");

/* The virtqueue each thread is peeking at, from entry to return (a kretprobe has no arguments). */
struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 1024);
    __type(key, __u32);
    __type(value, struct peek_key);
} peeking SEC(".maps");

enum vbp_counter { C_PEEKS, C_EMPTY, C_UNTRACKED, C_MAX };
NT_COUNTERS(vbp_counter, C_MAX);

static __always_inline int on_peek(void *ctx, struct vhost_net_virtqueue___nt *nvq) {
    struct peek_key key = {.nvq = nvq};
    struct tun_file___nt *tfile = nt_vq_tun_file(__builtin_preserve_access_index(&nvq->vq));
    if (tfile && nt_tun_file_queue(tfile, &key.queue))
        key.named = 1;
    else if (cfg_ifindex || cfg_netns_ino || cfg_queue_set)
        return 0; /* not the queue asked for */
    __u32 tid = nt_tid();
    bpf_map_update_elem(&peeking, &tid, &key, BPF_ANY);
    return 0;
}

static const __u64 zero;

static __always_inline int on_return(void *ctx, int ret) {
    __u32 tid = nt_tid();
    struct peek_key *key = bpf_map_lookup_elem(&peeking, &tid);
    if (!key)
        return 0;
    key->ret = ret;
    nt_count(C_PEEKS, 1);
    nt_count(C_EMPTY, ret == 0);
    __u64 *n = nt_map_lookup_or_init(&peeks, key, &zero);
    if (n)
        __sync_fetch_and_add(n, 1);
    else
        nt_count(C_UNTRACKED, 1);
    bpf_map_delete_elem(&peeking, &tid);
    return 0;
}

NT_FUNCTION_PROGRAMS(vhost_net_buf_peek, nt_vbp_p_fe, nt_vbp_p_kp, on_peek,
                     struct vhost_net_virtqueue___nt *, nvq)
NT_FUNCTION_EXIT_PROGRAMS(vhost_net_buf_peek, nt_vbp_p_fx, nt_vbp_p_kr, on_return, 1, int)
