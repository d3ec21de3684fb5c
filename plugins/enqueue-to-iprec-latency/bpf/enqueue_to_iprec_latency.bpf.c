/* SPDX-License-Identifier: GPL-2.0 */
/* enqueue-to-iprec-latency: the stage-latency engine (bpf-headers/nettrace/stages.bpf.h) with every
 * stage hook program; enqueue_to_backlog -> __netif_receive_skb -> ip_rcv on one interface,
 * aggregated in the kernel, and packets slower than --threshold streamed. */
#include "stage_hooks.bpf.h"
