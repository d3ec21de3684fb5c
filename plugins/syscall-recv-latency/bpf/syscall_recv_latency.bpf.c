/* SPDX-License-Identifier: GPL-2.0 */
/* syscall-recv-latency: how long do recvfrom/recvmsg (and read) calls take? A log2 histogram of
 * latency in microseconds, counters, and one event per call above --threshold. */
#include "filter.bpf.h"
#include "comm_filter.bpf.h"
#include "sockfd.bpf.h"
#include "counters.bpf.h"
#include "buffer.bpf.h"
#include "hist.bpf.h"

enum recv_call { CALL_RECVFROM = 0, CALL_RECVMSG = 1, CALL_READ = 2 };
NT_EXPORT_TYPE(enum recv_call, recv_call); /* names the event's `call` on the TypeScript side */

enum srl_counter {
    SRL_CALLS,
    SRL_BYTES,
    SRL_CPU_MIGRATIONS,
    SRL_ERRORS,
    SRL_ZERO_BYTE,
    SRL_COUNTERS
};

const volatile __u64 cfg_threshold_us = 0; /* 0: no per-call events */
const volatile __u8 cfg_trace_read = 0;
const volatile __u16 cfg_sock_port = 0; /* --port: the socket's local or remote port */

struct recv_start {
    __u64 ts;
    __u32 cpu;
    __u32 fd;
    __u32 call;
};

struct recv_event {
    __u64 latency_us;
    __u64 enter_ns;
    __u64 exit_ns;
    __s64 ret;
    __u32 pid;
    __u32 tid;
    __u32 fd;
    __u32 cpu_enter;
    __u32 cpu_exit;
    __u32 call;
    char comm[NT_TASK_COMM_LEN];
};
NT_EXPORT_TYPE(struct recv_event, recv_event);

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 16384);
    __type(key, __u32); /* tid */
    __type(value, struct recv_start);
} starts SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct nt_hist);
} latency SEC(".maps");

NT_COUNTERS(srl_counter, SRL_COUNTERS);

static __always_inline int on_enter(__u32 call, __u64 fd) {
    if (!nt_pid_match() || !nt_comm_match())
        return 0;
    if (cfg_sock_port) {
        __u16 lport = 0, rport = 0;
        if (!nt_fd_sock_ports((__u32)fd, &lport, &rport) ||
            (lport != cfg_sock_port && rport != cfg_sock_port))
            return 0;
    }
    __u32 tid = nt_tid();
    struct recv_start s = {
        .ts = bpf_ktime_get_ns(), .cpu = bpf_get_smp_processor_id(), .fd = (__u32)fd, .call = call};
    bpf_map_update_elem(&starts, &tid, &s, BPF_ANY);
    return 0;
}

static __always_inline int on_exit(void *ctx, __s64 ret) {
    __u32 tid = nt_tid();
    struct recv_start *s = bpf_map_lookup_elem(&starts, &tid);
    if (!s)
        return 0;
    __u64 now = bpf_ktime_get_ns();
    __u64 us = (now - s->ts) / 1000;
    __u32 cpu = bpf_get_smp_processor_id();
    nt_count(SRL_CALLS, 1);
    if (ret > 0)
        nt_count(SRL_BYTES, ret);
    else if (ret == 0)
        nt_count(SRL_ZERO_BYTE, 1);
    else
        nt_count(SRL_ERRORS, 1);
    if (cpu != s->cpu)
        nt_count(SRL_CPU_MIGRATIONS, 1);
    __u32 zero = 0;
    struct nt_hist *h = bpf_map_lookup_elem(&latency, &zero);
    if (h)
        nt_hist_add(h, us);
    if (cfg_threshold_us && us >= cfg_threshold_us) {
        struct recv_event *e = nt_event_reserve(sizeof(*e));
        if (e) {
            e->latency_us = us;
            e->enter_ns = s->ts;
            e->exit_ns = now;
            e->ret = ret;
            e->pid = nt_tgid();
            e->tid = tid;
            e->fd = s->fd;
            e->cpu_enter = s->cpu;
            e->cpu_exit = cpu;
            e->call = s->call;
            bpf_get_current_comm(e->comm, sizeof(e->comm));
            nt_event_submit(ctx, e);
        }
    }
    bpf_map_delete_elem(&starts, &tid);
    return 0;
}

SEC("tracepoint/syscalls/sys_enter_recvfrom")
int nt_srl_in_from(struct trace_event_raw_sys_enter *ctx) {
    return on_enter(CALL_RECVFROM, ctx->args[0]);
}

SEC("tracepoint/syscalls/sys_exit_recvfrom")
int nt_srl_out_from(struct trace_event_raw_sys_exit *ctx) {
    return on_exit(ctx, ctx->ret);
}

SEC("tracepoint/syscalls/sys_enter_recvmsg")
int nt_srl_in_msg(struct trace_event_raw_sys_enter *ctx) {
    return on_enter(CALL_RECVMSG, ctx->args[0]);
}

SEC("tracepoint/syscalls/sys_exit_recvmsg")
int nt_srl_out_msg(struct trace_event_raw_sys_exit *ctx) {
    return on_exit(ctx, ctx->ret);
}

/* read(2) is what many servers use on sockets (BCC traced it; the libbpf port dropped it). It is
 * opt-in (--read) because it also sees every file read of the traced process. */
SEC("tracepoint/syscalls/sys_enter_read")
int nt_srl_in_read(struct trace_event_raw_sys_enter *ctx) {
    return cfg_trace_read ? on_enter(CALL_READ, ctx->args[0]) : 0;
}

SEC("tracepoint/syscalls/sys_exit_read")
int nt_srl_out_read(struct trace_event_raw_sys_exit *ctx) {
    return cfg_trace_read ? on_exit(ctx, ctx->ret) : 0;
}
