// tun-ring-monitor inside the test kernels: pings into taps held by tk-tun-traffic's reader. Every
// transmit is counted on its queue; a reader held back until the last ping lets the ring fill, and
// the drops the plugin reports are exactly the device's own tx_dropped; filters are proven by decoy
// traffic that must not appear.
import { expect } from 'vitest';
import { chosenRungs } from '../../../test-kernel/src/fixture-run.js';
import { kernelSuite } from '../../../test-kernel/src/plugin-suite.js';
import { runUnreadRing, verifyTapRefusals } from '../../../test-kernel/src/tap-cases.js';
import { tapCommand, tapDeleteCommand, tunTrafficCommand, tunTrafficResults } from '../../../test-kernel/src/traffic.js';
import { onlyCapabilities } from '../../../tooling/test-support/privileges.js';
import { schemaValidator } from '../../../tooling/test-support/schema.js';

interface QueueRow {
  device: string;
  queue: number;
  xmits: number;
  ring_full: number;
  no_queue: number;
  max_occupied: number;
}

interface EventRow {
  device: string;
  queue: number;
  verdict: string;
  ring_size: number;
  occupied: number;
  pending: number;
  protocol: string;
  src_ip: string;
  dst_ip: string;
  len: number;
}

const events = (records: Record<string, unknown>[]) => records.filter((r) => r.type === 'event') as unknown as EventRow[];
const queues = (final: Record<string, unknown> | undefined) => (final?.queues ?? []) as QueueRow[];
const validate = schemaValidator('tun-ring-monitor');
const PING_FRAME = 98; // Ethernet + IPv4 + ICMP echo with ping's default 56 bytes of data

kernelSuite('tun-ring-monitor', (k) => {
  k.verify('--device X --protocol icmp --all: N pings are N transmits on the queue, a decoy tap is not seen', async () => {
    const r = await k.run({
      args: ['--device', 'tkrm0', '--protocol', 'icmp', '--all'],
      before: [tapCommand('tkrm0')],
      traffic: [
        tunTrafficCommand('tkrm0', '10.240.0', 6, { tap: true }),
        tunTrafficCommand('tkrm1', '10.240.1', 3, { tap: true }),
        tapDeleteCommand('tkrm0'),
      ],
    });
    expect(r.exitCode, r.stderr).toBe(0);
    for (const rec of r.records) expect(validate(rec), JSON.stringify(rec)).toBeUndefined();
    // The ladder: fentry where the kernel has module BTF, the kprobe (with --btf) where it has not.
    expect(chosenRungs(r)).toEqual([`${k.spec.facts.fentryOnModules ? 'fentry' : 'kprobe'}:tun_net_xmit`]);
    const [target, decoy] = tunTrafficResults(r.trafficOutput);
    expect(target).toEqual({ packets: 6, bytes: 6 * PING_FRAME, txDropped: 0 });
    expect(decoy?.packets).toBe(3);
    expect(queues(r.final)).toEqual([
      {
        device: 'tkrm0',
        netns_name: '',
        ifindex: expect.any(Number),
        netns: expect.any(Number),
        queue: 0,
        xmits: 6,
        ring_full: 0,
        no_queue: 0,
        max_occupied: expect.any(Number),
      },
    ]);
    const ev = events(r.records);
    expect(ev).toHaveLength(6);
    for (const e of ev)
      expect(e).toMatchObject({
        device: 'tkrm0',
        queue: 0,
        verdict: 'queued',
        protocol: 'icmp',
        src_ip: '10.240.0.1',
        dst_ip: '10.240.0.2',
        len: PING_FRAME,
      });
    expect(r.final?.lost_events).toBe(0);
  });

  k.verify('a ring of 4 that is not read: 4 queued at depths 0..3, then exactly the drops the device counts', async () => {
    const pings = 10;
    const ring = 4;
    const r = await runUnreadRing(k, 'tkrm2', '10.240.2', { pings, ring, args: ['--all'] });
    for (const rec of r.records) expect(validate(rec), JSON.stringify(rec)).toBeUndefined();
    // The drops are the device's own tx_dropped (runUnreadRing checked it is pings - ring).
    expect(queues(r.final)).toMatchObject([{ device: 'tkrm2', xmits: pings, ring_full: pings - ring, no_queue: 0, max_occupied: ring }]);
    const ev = events(r.records);
    expect(ev.map((e) => [e.verdict, e.occupied, e.pending, e.ring_size])).toEqual([
      ...[0, 1, 2, 3].map((n) => ['queued', n, n, ring]),
      ...Array.from({ length: pings - ring }, () => ['ring_full', ring, ring, ring]),
    ]);
    expect(r.final?.counters).toEqual({ xmits: pings, ring_full: pings - ring, no_queue: 0, untracked: 0 });
  });

  k.verify('without --all only drops are streamed; address and protocol filters work in the kernel', async () => {
    const r = await k.run({
      args: ['--dst-ip', '10.240.4.2'],
      traffic: [
        tunTrafficCommand('tkrm3', '10.240.3', 8, { tap: true, ring: 2 }),
        tunTrafficCommand('tkrm4', '10.240.4', 7, { tap: true, ring: 3 }),
      ],
    });
    expect(r.exitCode, r.stderr).toBe(0);
    const [decoy, target] = tunTrafficResults(r.trafficOutput);
    expect(decoy?.txDropped).toBe(6);
    expect(target?.txDropped).toBe(4);
    // Only the second tap's flow: its 7 transmits, its 4 drops streamed.
    expect(queues(r.final)).toMatchObject([{ device: 'tkrm4', xmits: 7, ring_full: 4 }]);
    expect(events(r.records).map((e) => [e.device, e.verdict, e.dst_ip])).toEqual(Array(4).fill(['tkrm4', 'ring_full', '10.240.4.2']));

    const tcp = await k.run({ args: ['--protocol', 'tcp', '--all'], traffic: [tunTrafficCommand('tkrm5', '10.240.5', 3, { tap: true })] });
    expect(tcp.exitCode, tcp.stderr).toBe(0);
    expect(tunTrafficResults(tcp.trafficOutput)[0]?.packets).toBe(3);
    expect(queues(tcp.final)).toEqual([]);
    expect(events(tcp.records)).toEqual([]);
  });

  // Least privilege inside the test kernels, per kernel. Without CAP_SYS_ADMIN the kernel gives no
  // module BTF (so no fentry on a module function, no CO-RE read of tun's structs from sysfs) and,
  // where kernel.perf_event_paranoid is 3 (Debian), no perf events (kprobes). Where module types
  // come from --btf (5.10) the run takes the rung those capabilities allow and counts exactly;
  // where they would come from the kernel it is refused up front, naming both ways out. CAP_BPF
  // alone is refused naming CAP_PERFMON.
  k.verify(
    'with only CAP_BPF + CAP_PERFMON (no root capabilities): exact counts on the rung they allow, or refused naming CAP_SYS_ADMIN and --btf',
    async () => {
      const r = await k.run({
        args: ['--device', 'tkrm6', '--all'],
        wrapper: onlyCapabilities(['bpf', 'perfmon']),
        before: [tapCommand('tkrm6')],
        traffic: [
          'echo "paranoid $(cat /proc/sys/kernel/perf_event_paranoid)"',
          tunTrafficCommand('tkrm6', '10.240.6', 4, { tap: true }),
          tapDeleteCommand('tkrm6'),
        ],
      });
      if (k.spec.facts.moduleBtf) {
        expect(r.exitCode).toBe(1);
        expect(r.stderr).toMatch(
          /^nettrace: tun-ring-monitor reads the types of module tun, which this kernel gives only to CAP_SYS_ADMIN .*\n {2}hint: grant CAP_SYS_ADMIN, or run with --btf FILE/,
        );
      } else {
        expect(r.exitCode, r.stderr).toBe(0);
        const paranoid = Number(/paranoid (\d+)/.exec(r.trafficOutput)?.[1]);
        expect(chosenRungs(r)).toEqual([paranoid >= 3 ? 'tp_btf:net_dev_start_xmit' : 'kprobe:tun_net_xmit']);
        if (paranoid >= 3) expect(JSON.stringify(r.header?.plan)).toMatch(/kernel.perf_event_paranoid is 3/);
        expect(tunTrafficResults(r.trafficOutput)[0]?.packets).toBe(4);
        expect(queues(r.final)).toMatchObject([{ device: 'tkrm6', xmits: 4 }]);
        expect(events(r.records)).toHaveLength(4);
      }

      const refused = await k.run({ args: ['--all'], wrapper: onlyCapabilities(['bpf']), traffic: [] });
      expect(refused.exitCode).toBe(1);
      expect(refused.stderr).toMatch(/needs root, or the capabilities CAP_BPF and CAP_PERFMON \(this process lacks CAP_PERFMON\)/);
    },
    { everyKernel: true }, // 5.10 (no module BTF) refuses the capabilities-only rung with --btf
  );

  verifyTapRefusals(k, 'tkrmq');

  // Last: it unloads the tun module (and vhost_net, which holds it), then loads both back.
  k.verify(
    'tun unloaded mid-run: said on stderr and marked degraded where the unload succeeds (kprobe), refused while an fentry holds it',
    async () => {
      const r = await k.run({
        args: ['--device', 'tkrm7', '--all', '-i', '1'],
        before: [tapCommand('tkrm7')],
        traffic: [
          tunTrafficCommand('tkrm7', '10.240.7', 2, { tap: true }),
          tapDeleteCommand('tkrm7'),
          // Every tun/tap device holds the module: the earlier cases may have left some.
          'for d in /sys/class/net/*; do [ -e "$d/tun_flags" ] && ip link del "$(basename "$d")"; done',
          'rmmod vhost_net 2>&1; rmmod tun 2>&1; echo "rmmod-tun $?"',
          // A report after the unload: the run goes on and says what happened.
          'sleep 1.5',
          'modprobe -a tun vhost_net',
        ],
      });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(queues(r.final)).toMatchObject([{ device: 'tkrm7', xmits: 2 }]);
      const unloaded = /rmmod-tun 0/.test(r.trafficOutput);
      // An fentry/fexit on a module function holds a reference to the module: the unload is refused.
      expect(unloaded, r.trafficOutput).toBe(!k.spec.facts.fentryOnModules);
      const note = 'transmit: module tun was unloaded during the run; this hook no longer fires';
      const intervals = r.records.filter((rec) => rec.type === 'interval');
      expect(intervals.length).toBeGreaterThanOrEqual(1);
      if (unloaded) {
        expect(r.stderr.split('\n').filter((l) => l.includes('module tun was unloaded'))).toEqual([note]);
        expect(r.final?.degraded).toContain(note);
      } else {
        expect(r.trafficOutput).toMatch(/Module tun is in use/);
        expect(r.stderr).not.toMatch(/was unloaded/);
        expect(r.final?.degraded).toEqual([]);
      }
    },
    { everyKernel: true }, // kprobe (unload succeeds) or fentry (holds the module): by kernel
  );
});
