/* SPDX-License-Identifier: GPL-2.0 */
/* system-network-rx-internal-latency: the stage-latency engine (bpf-headers/nettrace/stages.bpf.h)
 * with every stage hook program; the RX path from OVS's output to an internal port up to TCP/UDP
 * receive and the summary mode are written into its rodata by @nettrace/core before load. */
#include "stage_hooks.bpf.h"
