// tun-ring-monitor on the live kernel, where tun is built in and only tracepoints attach: the
// net:net_dev_start_xmit rungs (tp_btf, then the classic tracepoint) must give what tun_net_xmit
// gives in the test kernels. A tap inside a private namespace, held by test-kernel's tk-tun-reader
// with a ring of 4 that it reads only after the last ping: 4 queued at depths 0..3, then drops
// that are exactly the device's tx_dropped.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Netns } from '@nettrace/plugin-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGuestPrograms } from '../../../test-kernel/src/guest-tools.js';
import { work } from '../../../test-kernel/src/paths.js';
import { runWith } from '../../../tooling/test-support/run.js';
import { schemaValidator } from '../../../tooling/test-support/schema.js';

const RING = 4;
const PINGS = 7;
const validate = schemaValidator('tun-ring-monitor');
let dir: string;

beforeAll(async () => {
  await buildGuestPrograms();
  dir = mkdtempSync(path.join(tmpdir(), 'nt-trm-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A tap in NS held by the reader, which waits for the gate file before reading. */
async function heldTap(ns: Netns, gate: string): Promise<{ reader: ChildProcessWithoutNullStreams; output: Promise<string> }> {
  const reader = spawn('ip', [
    'netns',
    'exec',
    ns.name,
    path.join(work.bin, 'tk-tun-reader'),
    '-p',
    '-w',
    gate,
    '-n',
    `${RING}`,
    '-s',
    '30',
    'tap0',
  ]);
  let out = '';
  const output = new Promise<string>((resolve) => reader.on('close', () => resolve(out)));
  await new Promise<void>((resolve, reject) => {
    reader.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready')) resolve();
    });
    reader.on('close', () => reject(new Error(`tk-tun-reader exited: ${out}`)));
  });
  ns.exec('sysctl', ['-qw', 'net.ipv6.conf.tap0.disable_ipv6=1']);
  ns.ip('link', 'set', 'tap0', 'txqueuelen', `${RING}`);
  ns.ip('addr', 'add', '10.97.0.1/24', 'dev', 'tap0');
  ns.ip('link', 'set', 'tap0', 'up');
  ns.ip('neigh', 'replace', '10.97.0.2', 'lladdr', '02:00:00:00:00:02', 'dev', 'tap0', 'nud', 'permanent');
  return { reader, output };
}

describe('tun-ring-monitor on the live kernel', () => {
  for (const kind of ['tp_btf', 'tracepoint'] as const) {
    it(`${kind} on net:net_dev_start_xmit: queue depths and drops exact, equal to the device's tx_dropped`, async () => {
      const ns = Netns.create('nttrm');
      const gate = path.join(dir, `gate-${kind}`);
      try {
        const { output } = await heldTap(ns, gate);
        const run = await runWith(
          'tun-ring-monitor',
          ['--netns', ns.name, '-I', 'tap0', '--all', '-o', 'json'],
          () => {
            try {
              ns.exec('ping', ['-q', '-n', '-c', `${PINGS}`, '-i', '0.2', '-W', '1', '10.97.0.2']);
            } catch {
              // no replies: nobody answers on the other side of the tap
            }
          },
          300,
          { onlyKinds: [kind] },
        );
        writeFileSync(gate, '');
        const reader = /packets (\d+) bytes (\d+) tx_dropped (\d+)/.exec(await output);
        expect(reader?.slice(1).map(Number)).toEqual([RING, RING * 98, PINGS - RING]);
        for (const rec of run.json) expect(validate(rec), JSON.stringify(rec)).toBeUndefined();
        const header = run.json.find((r) => r.type === 'header') as { plan: { chosen: { kind: string } }[] };
        expect(header.plan.map((p) => p.chosen.kind)).toEqual([kind]);
        // In kernel order: perf buffers are per CPU, so their events may arrive out of order.
        const events = run.json.filter((r) => r.type === 'event').sort((a, b) => (a.ts_ns as number) - (b.ts_ns as number));
        expect(events.map((e) => [e.verdict, e.occupied, e.ring_size])).toEqual([
          ...[0, 1, 2, 3].map((n) => ['queued', n, RING]),
          ...Array.from({ length: PINGS - RING }, () => ['ring_full', RING, RING]),
        ]);
        const final = run.json.find((r) => r.type === 'final') as { queues: unknown[] };
        expect(final.queues).toMatchObject([{ device: 'tap0', netns_name: ns.name, queue: 0, xmits: PINGS, ring_full: PINGS - RING }]);
      } finally {
        writeFileSync(gate, '');
        ns.delete();
      }
    });
  }
});
