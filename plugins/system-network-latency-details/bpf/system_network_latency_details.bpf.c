/* SPDX-License-Identifier: GPL-2.0 */
/* system-network-latency-details: the stage-latency engine (bpf-headers/nettrace/stages.bpf.h)
 * with every stage hook program, in details mode: each completed packet's session (every stage's
 * time and CPU) is streamed through the shared event channel when its total reaches the
 * threshold, which is checked here in the kernel. */
#include "stage_hooks.bpf.h"
