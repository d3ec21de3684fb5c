// Ring buffer reader: the addon drains the ring on epoll wake-ups and/or a timer and emits ONE
// `batch` per drain (up to 16384 records each). The batch's bytes are a borrowed, read-only view
// of the ring itself (zero-copy: the records' space goes back to the producers when the listener
// returns), valid only during the listener call: decode what you need, copy what you keep, never
// write to it.
import { EventEmitter } from 'eventemitter3';
import { call } from '../errors.js';
import type { BpfMap } from './map.js';
import { native } from './native.js';

export interface RecordBatch {
  /** DataView over the mapped ring (records are 8-byte aligned inside it). Read-only memory. */
  readonly view: DataView<ArrayBufferLike>;
  readonly count: number;
  /** Byte offset of record i. */
  offset(i: number): number;
  /** Length in bytes of record i. */
  length(i: number): number;
}

/**
 * `adaptive`: the kernel wakes the reader whenever it has caught up (lowest latency, costs the
 * traced workload a wake-up per record at high rates). `hybrid`: the BPF side submits without
 * wake-ups until `cfg_wakeup_bytes` are pending and the reader also drains every `timerMs`
 * (latency bounded by the timer; far cheaper at high rates). The BPF side must use
 * nt_event_submit() and the object's `cfg_wakeup_bytes` must be set before load (the runner does
 * it: defaultWakeupBytes()); without it, `hybrid` only adds the drain timer.
 */
export type WakeupPolicy = 'adaptive' | 'hybrid';

/** Drain interval of the hybrid policy, and so its bound on event latency. */
export const DEFAULT_DRAIN_MS = 5;

/**
 * Default hybrid threshold for a ring of `ringBytes`: an eighth of it, at most 1 MiB. Early
 * enough that a reader slow to be scheduled still has 7/8 of the ring as headroom; large enough
 * that a forced wake-up drains hundreds of records (32 KiB for the default 256 KiB ring).
 */
export function defaultWakeupBytes(ringBytes: number): number {
  return Math.max(8, Math.min(1 << 20, Math.floor(ringBytes / 8)));
}

/** Records of headroom a default ring holds: ~6 ms of 2 M records/s, the most two traced loops
 * produce here. 256-byte records in the shared 1 MiB ring (~4,000 of them) lost 1-5 % from
 * 500 k/s on (`npm run bench`, saturation); in 4 MiB, none at 500 k/s. */
export const RING_HEADROOM_RECORDS = 12_000;

/** The ring bpf-headers/nettrace/buffer.bpf.h gives an object that does not size its own. */
export const SHARED_RING_BYTES = 1 << 20;

/**
 * Default ring size for records of `recordBytes` in an object whose ring is `objectBytes`: an
 * object that kept the shared default (SHARED_RING_BYTES) gets room for RING_HEADROOM_RECORDS
 * records (each with its 8-byte ring header), a power of two, at least 1 MiB, at most 16 MiB:
 * 64-byte records keep 1 MiB, 256-byte records get 4 MiB. An object that sized its own ring
 * (NT_EVENTS_BYTES) keeps it.
 */
export function defaultRingBytes(recordBytes: number, objectBytes: number): number {
  if (objectBytes !== SHARED_RING_BYTES) return objectBytes;
  const wanted = 2 ** Math.ceil(Math.log2((recordBytes + 8) * RING_HEADROOM_RECORDS));
  return Math.min(1 << 24, Math.max(SHARED_RING_BYTES, wanted));
}

export interface RingBufferOptions {
  /**
   * `ring` (BPF ring buffer, 5.8+) or `perf` (per-CPU perf buffers: kernels without ring buffers,
   * or forced with --perf-buffer). Same batches and loss accounting either way.
   */
  channel?: 'ring' | 'perf';
  /** Perf buffer pages per CPU (a power of two; default 64 = 256 KiB per CPU). */
  perfPagesPerCpu?: number;
  /** Default `adaptive`. */
  wakeup?: WakeupPolicy;
  /** Drain interval in ms (default: DEFAULT_DRAIN_MS for `hybrid`, none for `adaptive`). */
  timerMs?: number;
}

interface RingEvents {
  batch: [RecordBatch];
  error: [Error];
}

class Batch implements RecordBatch {
  view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  count = 0;
  offsets: Uint32Array<ArrayBufferLike> = new Uint32Array(0);
  offset(i: number): number {
    return this.offsets[i * 2];
  }
  length(i: number): number {
    return this.offsets[i * 2 + 1];
  }
}

export class RingBufferReader extends EventEmitter<RingEvents> {
  #handle: number | undefined;
  readonly #batch = new Batch();
  #bytes: Uint8Array | undefined;
  readonly name: string;

  constructor(
    map: BpfMap,
    private readonly lostMap: BpfMap | undefined,
    private readonly options: RingBufferOptions = {},
  ) {
    super();
    this.name = map.name;
    this.#perf = options.channel === 'perf';
    const deliver = (bytes: Uint8Array, count: number, offsets: Uint32Array) => this.#deliver(bytes, count, offsets);
    this.#handle = call(() =>
      this.#perf ? native().perfOpen(map.fd, deliver, options.perfPagesPerCpu ?? 64) : native().ringOpen(map.fd, deliver),
    );
  }

  readonly #perf: boolean;

  get channel(): 'ring' | 'perf' {
    return this.#perf ? 'perf' : 'ring';
  }

  #deliver(bytes: Uint8Array, count: number, offsets: Uint32Array): void {
    const b = this.#batch;
    if (bytes !== this.#bytes) {
      // The mapped ring is one stable view: this runs once.
      this.#bytes = bytes;
      b.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    b.count = count;
    b.offsets = offsets;
    try {
      this.emit('batch', b);
    } catch (err) {
      if (this.listenerCount('error') === 0) throw err;
      this.emit('error', err as Error);
    }
  }

  /** Starts delivery on the libuv loop according to the wake-up policy. */
  start(): this {
    const policy = this.options.wakeup ?? 'adaptive';
    const timerMs = this.options.timerMs ?? (policy === 'hybrid' ? DEFAULT_DRAIN_MS : 0);
    if (this.#perf) native().perfStart(this.handle, true, timerMs);
    else native().ringStart(this.handle, true, timerMs);
    return this;
  }

  /** Stops delivery until resume(): records wait in the channel, and those that do not fit are
   * counted lost by the producer (lost()). For a consumer that cannot keep up (output backlog). */
  pause(): void {
    if (this.#handle === undefined) return;
    if (this.#perf) native().perfStop(this.#handle);
    else native().ringStop(this.#handle);
  }

  /** Delivery again after pause(), with the same wake-up policy. */
  resume(): void {
    if (this.#handle !== undefined) this.start();
  }

  /** Drains whatever is pending now (synchronously emits batches). */
  drain(): void {
    if (this.#handle === undefined) return;
    if (this.#perf) native().perfConsume(this.#handle);
    else native().ringConsume(this.#handle);
  }

  get handle(): number {
    if (this.#handle === undefined) throw new Error(`ring buffer ${this.name} is closed`);
    return this.#handle;
  }

  stats(): { records: number; batches: number; wakeups: number; lost: number } {
    const s = this.#handle === undefined ? undefined : this.#perf ? native().perfStats(this.#handle) : native().ringStats(this.#handle);
    return { records: s?.records ?? 0, batches: s?.batches ?? 0, wakeups: s?.wakeups ?? 0, lost: this.lost() };
  }

  /** Records the BPF side could not reserve or output (channel full), summed over CPUs, plus
   * records the kernel dropped from perf buffers (reported to libbpf's lost callback). */
  lost(): number {
    const perfLost = this.#perf && this.#handle !== undefined ? (native().perfStats(this.#handle)?.lost ?? 0) : 0;
    if (!this.lostMap) return perfLost;
    const value = this.lostMap.lookup(new Uint8Array(4));
    return (value ? this.lostMap.sumU64(value) : 0) + perfLost;
  }

  close(): void {
    if (this.#handle === undefined) return;
    if (this.#perf) native().perfClose(this.#handle);
    else native().ringClose(this.#handle);
    this.#handle = undefined;
    this.removeAllListeners();
  }
}
