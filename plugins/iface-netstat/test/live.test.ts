// Live kernel: datagrams of known sizes sent over a 4-queue veth pair between two private
// namespaces, steered to chosen TX queues with XPS (the sender pinned to one CPU per queue), must be
// counted exactly per interface, direction, queue and size bucket. Both veth ends have ifindex 2 in
// their own namespace, so the namespace half of the device filter is exercised too.
import { type ChildProcess, spawn } from 'node:child_process';
import { Netns, sh } from '@nettrace/plugin-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWith } from '../../../tooling/test-support/run.js';
import { schemaValidator } from '../../../tooling/test-support/schema.js';

const BOUNDS = [64, 512, 2048, 16384, 65536];
const HEADERS = 14 + 20 + 8; // Ethernet + IPv4 + UDP: frame size = payload + 42
// Payload sizes whose frames land in every default bucket, including [64K,+) (65549 bytes).
const MIX_CPU0 = [10, 10, 10, 200, 200, 1000, 3000, 3000, 3000, 3000, 20000, 20000, 65507];
const MIX_CPU1 = [20, 480, 480, 1990, 9000, 40000, 40000, 65000];

let a: Netns;
let b: Netns;
let receiver: ChildProcess;
const ipB = '10.97.0.2';

beforeAll(async () => {
  a = Netns.create('nta');
  b = Netns.create('ntb');
  for (const ns of [a, b]) ns.exec('sysctl', ['-qw', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
  sh('ip', [
    'link',
    'add',
    'va',
    'numtxqueues',
    '4',
    'numrxqueues',
    '4',
    'netns',
    a.name,
    'type',
    'veth',
    'peer',
    'name',
    'vb',
    'numtxqueues',
    '4',
    'numrxqueues',
    '4',
    'netns',
    b.name,
  ]);
  a.ip('addr', 'add', '10.97.0.1/24', 'dev', 'va');
  b.ip('addr', 'add', `${ipB}/24`, 'dev', 'vb');
  a.ip('link', 'set', 'va', 'mtu', '65535', 'up');
  b.ip('link', 'set', 'vb', 'mtu', '65535', 'up');
  const mac = (ns: Netns, dev: string) => ns.exec('cat', [`/sys/class/net/${dev}/address`]).trim();
  a.ip('neigh', 'replace', ipB, 'lladdr', mac(b, 'vb'), 'dev', 'va', 'nud', 'permanent');
  b.ip('neigh', 'replace', '10.97.0.1', 'lladdr', mac(a, 'va'), 'dev', 'vb', 'nud', 'permanent');
  // A bound receiver: no ICMP port-unreachable comes back to muddle the counts.
  receiver = spawn('ip', [
    'netns',
    'exec',
    b.name,
    process.execPath,
    '-e',
    "require('dgram').createSocket('udp4').bind(9999, () => console.log('ready'))",
  ]);
  await new Promise((resolve) => receiver.stdout?.once('data', resolve));
});
afterAll(() => {
  receiver?.kill();
  a?.delete();
  b?.delete();
});

/** Sends the payload sizes from a sender pinned to `cpu` (XPS maps that CPU to one TX queue). */
function send(cpu: number, sizes: number[]): void {
  sh('taskset', [
    '-c',
    String(cpu),
    'ip',
    'netns',
    'exec',
    a.name,
    process.execPath,
    '-e',
    `
    const s = require('dgram').createSocket('udp4'); const sizes = ${JSON.stringify(sizes)}; let i = 0;
    const next = () => (i < sizes.length ? s.send(Buffer.alloc(sizes[i++], 1), 9999, '${ipB}', next) : s.close()); next();`,
  ]);
}

function xps(queueOfCpu: number[]): void {
  for (let q = 0; q < 4; q++) {
    const mask = queueOfCpu.reduce((m, queue, cpu) => (queue === q ? m | (1 << cpu) : m), 0);
    a.exec('sh', ['-c', `echo ${mask.toString(16)} > /sys/class/net/va/queues/tx-${q}/xps_cpus`]);
  }
}

/** Expected bucket counts, computed here from the frame sizes (not by the plugin's code). */
function buckets(sizes: number[]): number[] {
  const out = new Array(BOUNDS.length + 1).fill(0);
  for (const s of sizes) out[BOUNDS.filter((bound) => s + HEADERS >= bound).length]++;
  return out;
}

type Row = {
  interface: string;
  netns_name: string;
  queue: number | null;
  packets: number;
  bytes: number;
  sizes: { min: number; max: number | null; packets: number }[];
};
const final = (json: Record<string, unknown>[]) =>
  json.find((r) => r.type === 'final') as { tx: Row[]; rx: Row[]; totals: (Row & { direction: string })[] };
const bytes = (sizes: number[]) => sizes.reduce((n, s) => n + s + HEADERS, 0);

describe('iface-netstat on the live kernel', () => {
  const cases = [
    { name: 'tp_btf, queues 1 and 3', queues: [1, 3], kinds: undefined },
    { name: 'tracepoint fallback, queues 0 and 2', queues: [0, 2], kinds: ['tracepoint' as const] },
  ];
  for (const c of cases) {
    it(`${c.name}: exact TX counts per queue and size bucket on va`, async () => {
      xps(c.queues);
      const run = await runWith(
        'iface-netstat',
        ['--interface', 'va', '--netns', a.name, '-i', '0', '-o', 'json'],
        () => {
          send(0, MIX_CPU0);
          send(1, MIX_CPU1);
        },
        300,
        { onlyKinds: c.kinds },
      );
      const validate = schemaValidator('iface-netstat');
      for (const record of run.json) expect(validate(record)).toBeUndefined();
      expect((run.json[0] as { notes: string[] }).notes).toEqual([
        expect.stringMatching(/RX sizes and bytes are 14 bytes per packet larger than BCC's/),
      ]);
      const plan = (run.json[0] as { plan: { chosen: { kind: string } }[] }).plan;
      expect(plan.map((p) => p.chosen.kind)).toEqual(c.kinds ? ['tracepoint', 'tracepoint'] : ['tp_btf', 'tp_btf']);
      const f = final(run.json);
      expect(f.tx.map((r) => [r.interface, r.netns_name, r.queue])).toEqual([
        ['va', a.name, c.queues[0]],
        ['va', a.name, c.queues[1]],
      ]);
      for (const [i, mix] of [MIX_CPU0, MIX_CPU1].entries()) {
        const row = f.tx[i];
        expect(row.packets).toBe(mix.length);
        expect(row.bytes).toBe(bytes(mix));
        expect(row.sizes.map((s) => s.packets)).toEqual(buckets(mix));
      }
      // vb (ifindex 2 as well, in the other namespace) received them: none of that is counted here.
      expect(f.rx).toEqual([]);
      expect(f.totals).toHaveLength(1);
      expect(f.totals[0]).toMatchObject({ direction: 'tx', packets: MIX_CPU0.length + MIX_CPU1.length });
    });

    it(`${c.name}: exact RX counts on vb, at the queue the kernel recorded`, async () => {
      xps(c.queues);
      const run = await runWith(
        'iface-netstat',
        ['--netns', b.name, '--interface', 'vb', '-i', '0', '-o', 'json'],
        () => {
          send(0, MIX_CPU0);
          send(1, MIX_CPU1);
        },
        300,
        { onlyKinds: c.kinds },
      );
      const f = final(run.json);
      expect(f.tx).toEqual([]);
      // veth hands the skb over with queue_mapping = the sender's TX queue, which the receive path
      // reads as "RX queue recorded + 1": TX queue q arrives as RX queue q - 1, and q = 0 as unrecorded.
      const rxQueue = (q: number) => (q === 0 ? null : q - 1);
      const byQueue = new Map(f.rx.map((r) => [r.queue, r]));
      expect([...byQueue.keys()].sort()).toEqual(c.queues.map(rxQueue).sort());
      for (const [i, mix] of [MIX_CPU0, MIX_CPU1].entries()) {
        const row = byQueue.get(rxQueue(c.queues[i]))!;
        expect(row.interface).toBe('vb');
        expect(row.packets).toBe(mix.length);
        expect(row.bytes).toBe(bytes(mix)); // frame length on receive too (Ethernet header counted)
        expect(row.sizes.map((s) => s.packets)).toEqual(buckets(mix));
      }
    });
  }

  it('--netns alone counts every device of that namespace, custom buckets and text output', async () => {
    xps([1, 3]);
    const run = await runWith('iface-netstat', ['--netns', a.name, '--size-buckets', '128,4096', '-i', '0', '--throughput'], () =>
      send(0, [10, 100, 3000, 5000]),
    );
    // The deviation from BCC (RX sizes include the Ethernet header) is the run's first line.
    expect(run.lines[0]).toMatch(
      /^NOTE: sizes are Ethernet frame lengths in both directions: RX sizes and bytes are 14 bytes per packet larger than BCC's/,
    );
    const text = run.lines.join('\n');
    expect(text).toMatch(/IFACE\s+QUEUE\s+PACKETS\s+BYTES\s+AVG_SIZE\s+\[0,128\)\s+\[128,4K\)\s+\[4K,\+\)\s+BYTES\/s\s+PKTS\/s/);
    expect(text).toMatch(new RegExp(`va@${a.name}\\s+1\\s+4\\s+8278\\s+2070\\s+1\\s+2\\s+1`));
    expect(text).not.toMatch(/vb@/);
  });

  it('rejects an interface that is not in the given namespace, and bad buckets', async () => {
    await expect(runWith('iface-netstat', ['--interface', 'vb', '--netns', a.name], () => {})).rejects.toThrow(
      /no network interface named 'vb' in network namespace/,
    );
    await expect(runWith('iface-netstat', ['--size-buckets', '64,100'], () => {})).rejects.toThrow(/powers of two/);
  });
});
