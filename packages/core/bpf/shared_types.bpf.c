/* SPDX-License-Identifier: GPL-2.0 */
/* Not loaded: exists so the structs of @nettrace/bpf-headers get ONE TypeScript decoder each,
 * generated into src/shared_types.gen.ts and imported by every plugin's generated decoders. */
#include "filter.bpf.h"
#include "hist.bpf.h"
#include "frame.bpf.h"
#include "sock.bpf.h"
#include "tcp.bpf.h"
#include "tcp_bw.bpf.h"
#include "modules/tun_queue.bpf.h"
#include "modules/vhost_signal.bpf.h"

NT_EXPORT_TYPE(struct nt_flow, flow);
NT_EXPORT_TYPE(struct nt_hist, hist);
NT_EXPORT_TYPE(struct nt_l2, l2);
NT_EXPORT_TYPE(enum nt_l2_flag, l2_flag);
NT_EXPORT_TYPE(struct nt_arp, arp);
NT_EXPORT_TYPE(struct nt_ip_info, ip_info);
NT_EXPORT_TYPE(struct nt_tcp_metrics, tcp_metrics);
NT_EXPORT_TYPE(struct nt_tcp_sample, tcp_sample);
NT_EXPORT_TYPE(struct nt_tcp_bw, tcp_bw);

/* The stage-latency engine's records, statistics and the enums user space builds its tables from.
 */
#include "stages.bpf.h"
NT_EXPORT_TYPE(struct nt_pkt_key, pkt_key);
NT_EXPORT_TYPE(struct nt_stage_pair_key, stage_pair_key);
NT_EXPORT_TYPE(struct nt_stage_cpu_pair_key, stage_cpu_pair_key);
NT_EXPORT_TYPE(struct nt_stage_stats, stage_stats);
NT_EXPORT_TYPE(enum nt_stage_hook, stage_hook);
NT_EXPORT_TYPE(enum nt_stage_dims, stage_dims);
NT_EXPORT_TYPE(enum nt_stage_flags, stage_flags);
NT_EXPORT_TYPE(struct nt_tun_queue, tun_queue);
NT_EXPORT_TYPE(struct nt_ring_state, ring_state);
NT_EXPORT_TYPE(struct nt_ring_depth, ring_depth);
NT_EXPORT_TYPE(struct nt_vq_state, vq_state);
NT_EXPORT_TYPE(struct nt_signal_call, signal_call);
