// An independent witness for live-kernel tests: counts tracepoint hits through a private tracefs
// instance with an ftrace event filter (no BPF involved), so a plugin's count can be checked
// against the kernel's own. Instances are per test, so parallel runs do not see each other.
import { mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { features } from '@nettrace/core';

let counter = 0;

export interface TraceWitness {
  /** Stops recording and returns the recorded lines per event ("category/name"). */
  stop(): Map<string, string[]>;
}

/**
 * Starts recording `events` ("category/name" → ftrace filter expression, e.g.
 * `sport == 40000 && dport == 5201`). Throws if the per-CPU buffers overflowed when stopped, so a
 * count is exact or the test fails.
 */
export function traceWitness(events: Record<string, string>, bufferKb = 8192): TraceWitness {
  const dir = join(features.tracefsRoot(), 'instances', `nt-test-${process.pid}-${counter++}`);
  mkdirSync(dir);
  const cleanup = () => {
    for (const e of Object.keys(events)) writeFileSync(join(dir, 'events', e, 'enable'), '0');
    rmdirSync(dir);
  };
  try {
    writeFileSync(join(dir, 'buffer_size_kb'), String(bufferKb));
    for (const [e, filter] of Object.entries(events)) {
      writeFileSync(join(dir, 'events', e, 'filter'), filter);
      writeFileSync(join(dir, 'events', e, 'enable'), '1');
    }
  } catch (err) {
    cleanup();
    throw err;
  }
  return {
    stop() {
      for (const e of Object.keys(events)) writeFileSync(join(dir, 'events', e, 'enable'), '0');
      const overruns = readdirSync(join(dir, 'per_cpu')).map((cpu) => {
        const stats = readFileSync(join(dir, 'per_cpu', cpu, 'stats'), 'utf8');
        return Number(/^overrun:\s*(\d+)/m.exec(stats)?.[1] ?? 0);
      });
      const text = readFileSync(join(dir, 'trace'), 'utf8');
      cleanup();
      if (overruns.some((n) => n > 0)) throw new Error(`tracefs witness lost events (overruns ${overruns.join(',')})`);
      const out = new Map<string, string[]>(Object.keys(events).map((e) => [e, []]));
      for (const line of text.split('\n')) {
        if (!line || line.startsWith('#')) continue;
        const name = /\d+\.\d+:\s+(\w+):/.exec(line)?.[1];
        const key = Object.keys(events).find((e) => e.endsWith(`/${name}`));
        if (key) out.get(key)!.push(line);
      }
      return out;
    },
  };
}
