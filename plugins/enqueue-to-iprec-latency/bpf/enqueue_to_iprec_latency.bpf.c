/* SPDX-License-Identifier: GPL-2.0 */
/* enqueue-to-iprec-latency: the stage-latency engine (bpf-headers/nettrace/stages.bpf.h) with every
 * stage hook program; the profile (enqueue_to_backlog -> __netif_receive_skb -> ip_rcv on one
 * interface), the summary mode and the threshold of the streamed packets are written into its
 * rodata by @nettrace/core before load. */
#include "stage_hooks.bpf.h"
