// tun-tx-to-kvm-irq inside the test kernels: the full chain of a VM that really takes interrupts.
// tk-kvm-vm owns a vhost-net device on a tap whose rx call eventfd is the KVM irqfd of GSI 40 (and
// a running vCPU): N pings into the tap are N tun_net_xmit, N vhost signals and N interrupts, each
// reaching KVM through that irqfd on vhost's worker thread. Decoys: a vhost-net device driven from
// user space (tk-vhost-traffic) on another tap, sending the same ICMP sequence numbers to another
// address, must not appear under --device or under BCC's per-packet filters. Bad input exits 2.
import { expect } from 'vitest';
import { KVM_VHOST_GSI, kvmVmLines, parseKvmVm } from '../../../test-kernel/src/kvm-vm.js';
import { kernelSuite } from '../../../test-kernel/src/plugin-suite.js';
import { vhostTrafficCommand, vhostTrafficResults } from '../../../test-kernel/src/traffic.js';
import { cliBin } from '../../../test-kernel/src/verify-gate.js';
import { schemaValidator } from '../../../tooling/test-support/schema.js';

const valid = schemaValidator('tun-tx-to-kvm-irq');
const PINGS = 5;
type Rec = Record<string, unknown>;

kernelSuite(
  'tun-tx-to-kvm-irq',
  (k) => {
    /** One VM with PINGS pings into TAP, a user-space vhost-net decoy on DECOY, the plugin around both. */
    async function chain(tap: string, subnet: string, decoy: [string, string], args: string[]) {
      const vm = kvmVmLines({ name: 'VM', vhost: { tap, subnet, pings: PINGS, txFrames: 1 } });
      const r = await k.run({ before: vm.before, args, traffic: [...vm.traffic, vhostTrafficCommand(...decoy, PINGS)] });
      expect(r.exitCode, r.stderr).toBe(0);
      for (const rec of r.records) expect(valid(rec), JSON.stringify(rec)).toBeUndefined();
      const events = r.records.filter((l) => l.type === 'event');
      return {
        final: r.final as Rec,
        events,
        vm: parseKvmVm(r.trafficOutput, 'VM'),
        decoy: vhostTrafficResults(r.trafficOutput)[0],
        plan: (r.header?.plan ?? []) as { hook: string; chosen: { kind: string; target: string } | null }[],
      };
    }

    k.verify(
      'N pings into a VM tap (--device, --analyze-chains): N xmits, N vhost signals, N interrupts through the KVM irqfd (GSI 40) with their delays; the decoy tap never appears',
      async () => {
        const { final, events, vm, decoy, plan } = await chain(
          'tkttk0',
          '10.246.0',
          ['tkttk1', '10.247.0'],
          ['--device', 'tkttk0', '--analyze-chains'],
        );
        expect(vm.rxUsed).toBe(PINGS);
        expect(decoy?.rxUsed).toBe(PINGS); // the decoy really ran
        expect(plan.find((h) => h.hook === 'irqfd_wakeup')?.chosen).not.toBeNull();
        expect(events.every((e) => e.device === 'tkttk0')).toBe(true);
        const xmits = events.filter((e) => e.event === 'xmit');
        expect(xmits.map((e) => [e.queue, e.protocol, e.src_ip, e.dst_ip, e.icmp_seq])).toEqual(
          Array.from({ length: PINGS }, (_, i) => [0, 'icmp', '10.246.0.1', '10.246.0.2', i + 1]),
        );
        const signals = events.filter((e) => e.event === 'signal');
        expect(signals.map((e) => [e.queue, e.used, e.packets, e.verdict, e.irqfd, e.gsi, e.tid])).toEqual(
          Array(PINGS).fill([0, 1, 1, 'interrupt', true, KVM_VHOST_GSI.rx, vm.vhostTid]),
        );
        for (const s of signals) {
          expect(s.signal_to_irqfd_ns).toBeGreaterThan(0);
          expect(s.xmit_to_irqfd_ns).toBeGreaterThan(s.signal_to_irqfd_ns as number);
        }
        expect(final.queues).toEqual([
          expect.objectContaining({
            device: 'tkttk0',
            queue: 0,
            xmits: PINGS,
            signals: PINGS,
            used: PINGS,
            interrupts: PINGS,
            irqfd: PINGS,
            suppressed: 0,
            no_eventfd: 0,
          }),
        ]);
        // The histograms hold every chain, their exact means those of the events' delays (in us).
        const meanUs = (key: 'signal_to_irqfd_ns' | 'xmit_to_irqfd_ns') =>
          signals.reduce((n, s) => n + Math.floor((s[key] as number) / 1000), 0) / PINGS;
        const hist = (key: string) => final[key] as { total: number; summary: { count: number; mean: number } };
        expect(hist('signal_to_irqfd@tkttk0:q0')).toMatchObject({
          total: PINGS,
          summary: { count: PINGS, mean: expect.closeTo(meanUs('signal_to_irqfd_ns'), 1) },
        });
        expect(hist('xmit_to_irqfd@tkttk0:q0')).toMatchObject({
          total: PINGS,
          summary: { count: PINGS, mean: expect.closeTo(meanUs('xmit_to_irqfd_ns'), 1) },
        });
        expect((final.chains as Rec[]).map((c) => [c.queue_text, c.packets_per_signal, c.interrupt_pct, c.irqfd_pct, c.diagnosis])).toEqual(
          [['tkttk0:q0', 1, 100, 100, 'complete: every interrupt reached KVM through its irqfd']],
        );
        expect(final.counters).toEqual({ unparsed: 0, untracked: 0 });
      },
    );

    k.verify(
      "BCC's per-packet filters in the kernel: --src-ip --dst-ip --protocol icmp --icmp-seq 3 follow that one packet and the signal that carried it; the decoy's seq 3 (another address) does not match",
      async () => {
        const { final, events, vm, decoy } = await chain(
          'tkttk2',
          '10.248.0',
          ['tkttk3', '10.249.0'],
          ['--src-ip', '10.248.0.1', '--dst-ip', '10.248.0.2', '--protocol', 'icmp', '--icmp-seq', '3'],
        );
        expect([vm.rxUsed, decoy?.rxUsed]).toEqual([PINGS, PINGS]);
        expect(events.map((e) => [e.event, e.device, e.icmp_seq ?? null, e.packets ?? null, e.gsi ?? null])).toEqual([
          ['xmit', 'tkttk2', 3, null, null],
          ['signal', 'tkttk2', null, 1, KVM_VHOST_GSI.rx],
        ]);
        expect(final.queues).toEqual([
          expect.objectContaining({ device: 'tkttk2', xmits: 1, signals: 1, used: 1, interrupts: 1, irqfd: 1 }),
        ]);
      },
    );

    k.verify('bad input is one line and exit 2: not a tun/tap device, a queue the tap does not have', async () => {
      const btf = await k.btf();
      const run = (args: string) =>
        `${process.execPath} ${cliBin} run --plugin plugins/tun-tx-to-kvm-irq tun-tx-to-kvm-irq ${btf ? `--btf ${btf} ` : ''}${args} -T 5 2>&1 >/dev/null; echo "exit $?"`;
      const cases: [string, string][] = [
        ['--device lo', 'nettrace: --interface: lo is not a tun/tap device'],
        ['--device tkttkq --queue 1', 'nettrace: --queue: tkttkq has 1 queue (0-0), not 1'],
      ];
      const script = ['ip tuntap add dev tkttkq mode tap', ...cases.map(([args]) => run(args)), 'ip link del tkttkq'];
      const bad = await k.vm().exec(script.join('\n'), { timeoutMs: 120_000 });
      expect(bad.code, bad.stderr).toBe(0);
      const answers = bad.stdout.split(/^exit (\d+)$/m);
      cases.forEach(([args, want], i) => {
        expect([(answers[2 * i] ?? '').trim(), answers[2 * i + 1]], args).toEqual([want, '2']);
      });
    });
  },
  // Only the modules these cases use.
  { modules: ['kvm_amd', 'tun', 'vhost_net'] },
);
