/* SPDX-License-Identifier: GPL-2.0 */
/* system-network-rx-internal-latency: the stage-latency engine (bpf-headers/nettrace/stages.bpf.h)
 * with every stage hook program; the profile (OVS output to the internal port -> netif_rx -> a
 * CPU's backlog -> IP -> TCP/UDP), the summary mode and the CPU-pair count of the backlog hop are
 * written into its rodata by @nettrace/core before load. */
#include "stage_hooks.bpf.h"
