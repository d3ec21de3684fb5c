// Live kernel: this machine is itself a virtio-net guest, but without kprobes or fentry, so the
// plugin runs degraded: polls from napi:napi_poll, no poll duration, no virtqueue interrupts, and
// it says so. Traffic through eth0 cannot be generated here (nothing may leave the machine), so
// the polls are counted on a veth whose receive side uses NAPI (GRO on, sender without TSO), with
// --interface: N frames sent must be N packets over exactly the polls ftrace saw for that device.
// Without --interface only virtio-net devices are watched: the same veth polls must not appear.

import { Netns, sh } from '@nettrace/plugin-testing';
import { expect, it } from 'vitest';
import { ethernet, macOf, sendFrames } from '../../../tooling/test-support/frames.js';
import { type RunWithOptions, runWith } from '../../../tooling/test-support/run.js';
import { schemaValidator } from '../../../tooling/test-support/schema.js';
import { traceWitness } from '../../../tooling/test-support/tracefs.js';

const valid = schemaValidator('virtnet-poll-monitor');
const FRAMES = 7;

/** Two namespaces without IPv6 (no background packets) joined by a veth with NAPI on b's side. */
function napiVeth() {
  const a = Netns.create('vpa');
  const b = Netns.create('vpb');
  for (const ns of [a, b]) for (const k of ['all', 'default']) ns.exec('sysctl', ['-qw', `net.ipv6.conf.${k}.disable_ipv6=1`]);
  const devA = `vpa${process.pid % 100000}`;
  const devB = `vpb${process.pid % 100000}`;
  sh('ip', ['link', 'add', devA, 'netns', a.name, 'type', 'veth', 'peer', 'name', devB, 'netns', b.name]);
  // veth delivers through its own NAPI when GRO is requested before it is up, and only frames
  // from a sender without TSO qualify (veth_skb_is_eligible_for_gro).
  b.exec('ethtool', ['-K', devB, 'gro', 'on']);
  a.exec('ethtool', ['-K', devA, 'tso', 'off']);
  a.ip('link', 'set', devA, 'up');
  b.ip('link', 'set', devB, 'up');
  return {
    a,
    b,
    devA,
    devB,
    cleanup: () => {
      a.delete();
      b.delete();
    },
  };
}

type Ev = Record<string, unknown>;

async function trace(argv: string[], net: ReturnType<typeof napiVeth>, opts: RunWithOptions = {}) {
  const frame = ethernet({ dst: 'ff:ff:ff:ff:ff:ff', src: macOf(net.a, net.devA), type: 0x88b5, payload: Buffer.from('nettrace') });
  let witnessed: string[] = [];
  const r = await runWith(
    'virtnet-poll-monitor',
    [...argv, '-o', 'json'],
    () => {
      const w = traceWitness({ 'napi/napi_poll': `dev_name == "${net.devB}"` });
      try {
        sendFrames(net.a, net.devA, Array(FRAMES).fill(frame));
      } finally {
        // Softirq processing of the last frame has finished once sendto() returned on this path.
        witnessed = w.stop().get('napi/napi_poll') ?? [];
      }
    },
    300,
    opts,
  );
  for (const rec of r.json) expect(valid(rec), JSON.stringify(rec)).toBeUndefined();
  return { header: r.json[0] as Ev, events: r.json.filter((l) => l.type === 'event'), final: r.json.at(-1) as Ev, witnessed };
}

const workOf = (line: string) => Number(/ work (\d+) /.exec(line)?.[1]);

it.each([
  ['tp_btf', {}],
  ['classic tracepoint', { onlyKinds: ['tracepoint' as const] }],
])('%s: N frames into a NAPI veth are N packets over exactly the polls ftrace saw, the run degraded', async (_name, opts) => {
  const net = napiVeth();
  try {
    const { header, events, final, witnessed } = await trace(['--interface', net.devB, '--netns', net.b.name], net, opts);
    const plan = header.plan as { hook: string; chosen: { kind: string; target: string } | null }[];
    expect(plan.map((h) => [h.hook, h.chosen?.kind ?? null])).toEqual([
      ['poll', opts.onlyKinds ? 'tracepoint' : 'tp_btf'],
      ['poll entry', null],
      ['rx interrupt', null],
    ]);
    expect(final.degraded).toEqual(['poll entry missing: poll durations', 'rx interrupt missing: rx virtqueue interrupts (skb_recv_done)']);
    expect(witnessed.reduce((n, l) => n + workOf(l), 0)).toBe(FRAMES);
    expect(events.map((e) => [e.event, e.interface, e.netns_name, e.queue, e.duration_ns])).toEqual(
      witnessed.map(() => ['poll', net.devB, net.b.name, null, null]),
    );
    expect(events.map((e) => e.packets)).toEqual(witnessed.map(workOf));
    const queues = final.queues as Ev[];
    expect(queues.map((q) => [q.interface, q.irqs, q.polls, q.packets, q.avg_duration_us])).toEqual([
      [net.devB, 0, witnessed.length, FRAMES, null],
    ]);
    expect(final.counters).toMatchObject({ untimed: witnessed.length, no_start: 0, table_full: 0 });
  } finally {
    net.cleanup();
  }
});

it('without --interface only virtio-net devices are watched: the veth polls do not appear', async () => {
  const net = napiVeth();
  try {
    const { events, witnessed } = await trace([], net);
    expect(witnessed.length).toBeGreaterThan(0);
    const devices = new Set(events.map((e) => e.interface));
    expect(devices.has(net.devB)).toBe(false);
    // Whatever else was seen (eth0's own traffic, if any) is a virtio-net device of this machine.
    for (const dev of devices) expect(sh('readlink', [`/sys/class/net/${dev}/device/driver`]).trim()).toMatch(/\/virtio_net$/);
  } finally {
    net.cleanup();
  }
});
