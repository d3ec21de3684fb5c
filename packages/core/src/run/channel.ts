// A streaming plugin's event channel, in two steps around the load: prepareChannel() arms the
// object for the planned channel (the BPF side of bpf-headers/nettrace/buffer.bpf.h reads
// `cfg_perf_buffer` and `cfg_wakeup_bytes`; a ring buffer map is not even created where perf
// buffers are used), openChannel() then starts reading it.
import type { BpfObject } from '../bpf/object.js';
import { defaultRingBytes, defaultWakeupBytes, type RingBufferReader, type WakeupPolicy } from '../bpf/ringbuf.js';
import { KernelSupportError, UsageError } from '../errors.js';
import { wakeupTooLarge } from './options.js';
import type { ChannelPlan } from './plan.js';

/** The channel as the object was armed for it. */
export interface PreparedChannel {
  kind: 'ring' | 'perf';
  /** The ring's map (the perf event array is `<ring>_perf`, the loss counter `<ring>_lost`). */
  ring: string;
  /** Ring buffers only. */
  wakeup?: WakeupPolicy;
  drainMs: number;
}

/** Before load. `recordBytes`: the size of one event record (the ring's default size follows it).
 * `log` carries notes (a hybrid policy the object cannot fully honour). */
export function prepareChannel(
  obj: BpfObject,
  ring: string,
  recordBytes: number,
  plan: ChannelPlan,
  log: (line: string) => void,
): PreparedChannel {
  if (plan.kind === 'perf') {
    usePerfBuffer(obj, ring, plan.perfBuffer);
    return { kind: 'perf', ring, drainMs: plan.drainMs };
  }
  sizeRing(obj, ring, recordBytes, plan);
  return { kind: 'ring', ring, wakeup: configureWakeup(obj, ring, plan, log), drainMs: plan.drainMs };
}

/** --ring-bytes, or room for the plugin's records (defaultRingBytes). */
function sizeRing(obj: BpfObject, ring: string, recordBytes: number, plan: ChannelPlan): void {
  const objectBytes = obj.maps().find((m) => m.name === ring)?.maxEntries ?? 0;
  const bytes = plan.ringBytes ?? defaultRingBytes(recordBytes, objectBytes);
  if (bytes !== objectBytes) obj.setMaxEntries(ring, bytes);
}

/** After load: the reader of the prepared channel (not started). */
export function openChannel(obj: BpfObject, c: PreparedChannel): RingBufferReader {
  if (c.kind === 'perf') return obj.ringBuffer(`${c.ring}_perf`, { channel: 'perf', lostFrom: c.ring });
  return obj.ringBuffer(c.ring, { wakeup: c.wakeup, timerMs: c.wakeup === 'hybrid' ? c.drainMs : undefined });
}

/** The object must come with buffer.bpf.h's perf path (cfg_perf_buffer, `<ring>_perf`). */
function usePerfBuffer(obj: BpfObject, ring: string, forced: boolean): void {
  if (!obj.hasVariable('cfg_perf_buffer') || !obj.hasMap(`${ring}_perf`)) {
    if (forced)
      throw new UsageError(
        `--perf-buffer: this plugin's event channel has no perf-buffer path (it predates bpf-headers/nettrace/buffer.bpf.h's)`,
      );
    throw new KernelSupportError(
      'this kernel has no BPF ring buffer (5.8+) and this plugin has no perf-buffer path',
      'upgrade the plugin, or run it on a 5.8+ kernel',
    );
  }
  obj.setVariable('cfg_perf_buffer', 1);
  obj.setAutocreate(ring, false); // a ring buffer map cannot even be created before 5.8
}

/**
 * Chooses the wake-up policy and, for `hybrid`, writes the BPF side's threshold
 * (`cfg_wakeup_bytes`) before load.
 */
function configureWakeup(obj: BpfObject, ring: string, plan: ChannelPlan, log: (line: string) => void): WakeupPolicy {
  const supported = obj.hasVariable('cfg_wakeup_bytes');
  const policy = plan.wakeup ?? (supported ? 'hybrid' : 'adaptive');
  if (policy !== 'hybrid') return policy;
  if (!supported) {
    log(
      'note: --wakeup hybrid: this plugin does not submit with nt_event_submit() (no cfg_wakeup_bytes), so its events still wake the reader; it is drained on a timer as well',
    );
    return policy;
  }
  const ringBytes = obj.maps().find((m) => m.name === ring)?.maxEntries ?? 0;
  const bytes = plan.wakeupBytes ?? defaultWakeupBytes(ringBytes);
  if (ringBytes && bytes >= ringBytes) throw wakeupTooLarge(bytes, ringBytes);
  obj.setVariable('cfg_wakeup_bytes', bytes);
  return policy;
}
