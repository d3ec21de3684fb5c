// Boots every kernel of the matrix (TK_KERNELS=6.1,6.12 narrows it), one VM per kernel and one at
// a time: the describe blocks of a file run in sequence (another VM file may run beside this one).
// Each block checks kernels.json's facts against the kernel itself, in both directions, runs the
// verifier gate and the hook ladder; the harness's helpers are proven on the full-cases kernel.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildFixture,
  buildLadderFixtures,
  cellOf,
  describeFailure,
  ExecTimeoutError,
  expectedLadderCounts,
  kvmSmokeCell,
  LADDER_SUBNET,
  type LadderFixtures,
  ladderDoctor,
  ladderInfo,
  ladderRequired,
  ladderTableAttach,
  loadMatrix,
  moduleBtfFile,
  ovsSmokeCell,
  pluginsWithoutKernelSuite,
  rungsFromDoctor,
  rungsFromHeader,
  rungsFromInfo,
  runLadder,
  runVerify,
  selectKernels,
  smokeCell,
  start,
  type Vm,
  vhostSmokeCell,
  virtioSmokeCell,
} from '../src/index.js';
import { recordCell, recordGateCell, renderStored } from '../src/matrix-file.js';
import { everyCaseOn } from '../src/plugin-suite.js';
import * as traffic from '../src/traffic.js';
import { cliBin } from '../src/verify-gate.js';

const BOOT_MS = 10 * 60_000; // first run downloads and unpacks the kernel
const STEP_MS = 120_000;

function configValue(configFile: string, option: string): string | undefined {
  const m = new RegExp(`^${option}=(.*)$`, 'm').exec(readFileSync(configFile, 'utf8'));
  return m?.[1];
}

// plugin × kernel, kept in test-kernel/.logs/matrix.txt with the cells of the plugins' own
// kernel.test.ts files (.ci/run prints it last): loaded / attached / events verified / n/a / failed.
const matrix = { set: recordCell };
afterAll(() => {
  console.log(`\n[test-kernel] plugin × kernel matrix\n${renderStored()}`);
});

for (const spec of selectKernels(process.env.TK_KERNELS)) {
  describe(`kernel ${spec.id}`, () => {
    let vm: Vm;

    beforeAll(async () => {
      vm = await start({ kernel: spec.id, modules: loadMatrix().pluginModules, log: (m) => console.log(`[test-kernel] ${m}`) });
    }, BOOT_MS);

    // The harness's own helpers and the module smoke fixtures: on the full-cases kernel only, as the
    // plugins' suites drive the same helpers and read these modules on every kernel (CI time).
    const itOnFull = everyCaseOn(spec) ? it : ((() => undefined) as unknown as typeof it);

    afterAll(async () => {
      await vm?.stop();
    }, STEP_MS);

    it('boots the matrix kernel and reaches the agent', () => {
      expect(vm.release).toBe(vm.tree.kver);
      expect(readFileSync(vm.serialLog, 'utf8')).toContain('tk-init: agent on');
    });

    it(
      'runs commands with exit status, stdout and stderr kept apart',
      async () => {
        const r = await vm.exec('echo out; echo err >&2; exit 7');
        expect(r).toEqual({ code: 7, stdout: 'out\n', stderr: 'err\n' });
        const uname = await vm.exec('uname -r');
        expect(uname.stdout.trim()).toBe(vm.tree.kver);
        // The same node as the host, through the host-root share.
        const node = await vm.exec(`${process.execPath} -p process.version`);
        expect(node.stdout.trim()).toBe(process.version);
      },
      STEP_MS,
    );

    itOnFull(
      'runs overlapping commands and kills one that overruns its timeout',
      async () => {
        const [slow, fast] = await Promise.all([vm.exec('sleep 1; echo slow'), vm.exec('echo fast')]);
        expect(fast.stdout).toBe('fast\n');
        expect(slow.stdout).toBe('slow\n');
        const err = await vm.exec('echo started; sleep 60', { timeoutMs: 2_000 }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ExecTimeoutError);
        expect((err as ExecTimeoutError).partial.stdout).toBe('started\n');
        // The killed command left no sleeper behind.
        expect((await vm.exec('pgrep -x sleep || true')).stdout).toBe('');
      },
      STEP_MS,
    );

    it('matches the facts kernels.json records for it', () => {
      const cfg = vm.tree.config;
      expect(configValue(cfg, 'CONFIG_KPROBES')).toBe('y');
      expect(configValue(cfg, 'CONFIG_DEBUG_INFO_BTF')).toBe('y');
      expect(configValue(cfg, 'CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS')).toBe('y');
      expect(configValue(cfg, 'CONFIG_DEBUG_INFO_BTF_MODULES') === 'y').toBe(spec.facts.moduleBtf);
      expect(configValue(cfg, 'CONFIG_FPROBE') === 'y').toBe(spec.facts.kprobeMulti);
    });

    it(
      'has kallsyms, tracefs kprobe events and vmlinux BTF, and a kprobe fires',
      async () => {
        const r = await vm.exec(
          'awk \'$3 == "ip_rcv"\' /proc/kallsyms | wc -l; test -f /sys/kernel/tracing/kprobe_events && echo kprobe_events; ' +
            'test -s /sys/kernel/btf/vmlinux && echo btf',
        );
        expect(r.stdout).toBe('1\nkprobe_events\nbtf\n');
        // A tracefs kprobe (no BPF involved) on ip_rcv counts loopback echo requests and replies.
        const probe = await vm.exec(
          'cd /sys/kernel/tracing && echo "p:tk_ip_rcv ip_rcv" >> kprobe_events && ' +
            'echo 1 > events/kprobes/tk_ip_rcv/enable && ping -q -c 3 -i 0.2 127.0.0.1 >/dev/null; ' +
            'echo 0 > events/kprobes/tk_ip_rcv/enable; awk \'$1 == "tk_ip_rcv" { print $2 }\' kprobe_profile; ' +
            'echo "-:tk_ip_rcv" >> kprobe_events',
        );
        expect(probe.stdout).toBe('6\n');
      },
      STEP_MS,
    );

    it(
      `loads a module from the package ${spec.facts.moduleBtf ? 'with' : 'without'} module BTF`,
      async () => {
        // dummy is in no boot or plugin module list: it comes from the package now.
        const r = await vm.exec(
          'modprobe dummy && test -d /sys/module/dummy && echo loaded; awk \'$3 == "dummy_xmit"\' /proc/kallsyms | wc -l; ' +
            'test -e /sys/kernel/btf/dummy && echo btf || echo no-btf',
        );
        expect(r.stdout).toBe(`loaded\n1\n${spec.facts.moduleBtf ? 'btf' : 'no-btf'}\n`);
      },
      STEP_MS,
    );

    // The plugins without a kernel suite of their own (tracepoint plugins, proven on the live
    // kernel): each suite loads, attaches and counts its plugin on every kernel, so the gate need
    // not load those again (two minutes of TCG per kernel). Plugins that read module structs load
    // on a kernel without module BTF only with the module types from `nettrace btf build` (as a
    // user runs them there): the gate gives them that file.
    it(`verifier gate: every plugin without a kernel suite loads and attaches${spec.facts.moduleBtf ? '' : ' (module types from nettrace btf build)'}`, async () => {
      const btf = spec.facts.moduleBtf ? undefined : await moduleBtfFile(spec, vm.tree);
      const gated = pluginsWithoutKernelSuite();
      const { records } = await runVerify(vm, gated, [], btf);
      for (const r of records) recordGateCell(r.plugin, spec.id, cellOf(spec.id, r));
      const problems = records.filter((r) => r.status === 'failed').map((r) => describeFailure(spec.id, r));
      for (const id of gated) {
        if (!records.some((r) => r.plugin === id))
          problems.push(`kernel ${spec.id}: nettrace verify gave no result for ${id} (not built?)`);
      }
      for (const r of records.filter((x) => x.status === 'n/a')) console.log(`[test-kernel] ${spec.id}: ${r.plugin} n/a: ${r.reason}`);
      if (problems.length > 0) throw new Error(`verifier gate failed:\n${problems.join('\n')}`);
      expect(records.map((r) => r.plugin).sort()).toEqual(gated);
    }, 300_000);

    // Kernels without /sys/kernel/btf/vmlinux are served with --btf: here the ELF vmlinux
    // extracted from this very kernel package (it carries .BTF) stands in for sysfs.
    it(
      'external BTF: --btf with the vmlinux extracted from the kernel package runs a plugin',
      async () => {
        const r = await vm.exec(`${process.execPath} ${cliBin} run kernel-drop-stack-stats --btf ${vm.tree.vmlinux} -T 1 -o json`, {
          timeoutMs: 120_000,
        });
        expect(r.code, r.stderr).toBe(0);
        const lines = r.stdout
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as { type: string; options?: { btf?: string } });
        expect(lines[0]).toMatchObject({ type: 'header', options: { btf: vm.tree.vmlinux } });
        expect(lines.at(-1)?.type).toBe('final');
      },
      STEP_MS,
    );

    it(`verifier gate: a program the verifier ${spec.facts.bpfLoop ? 'accepts here' : 'rejects here'} is reported ${spec.facts.bpfLoop ? 'attached' : 'with kernel, program and log'}`, async () => {
      const { records } = await runVerify(vm, ['verifier-reject'], [await buildFixture('verifier-reject')]);
      const r = records.find((x) => x.plugin === 'verifier-reject');
      expect(r).toBeDefined();
      if (spec.facts.bpfLoop) {
        expect(r?.status).toBe('ok');
        return;
      }
      expect(r?.status).toBe('failed');
      const text = describeFailure(spec.id, r!);
      expect(text).toContain(`kernel ${spec.id}: plugin verifier-reject: program nt_vr_loop (kprobe:ip_rcv) did not load`);
      expect(text).toContain("number of funcs in func_info doesn't match number of subprogs");
    }, 300_000);

    const smokeTitle = spec.facts.moduleBtf
      ? 'kprobe-smoke: kprobe, module fentry and module-BTF CO-RE reads count exactly'
      : 'kprobe-smoke: without module BTF the run fails naming the fix; with `nettrace btf build` (-dbg package) the kprobes and CO-RE reads count exactly';
    it(smokeTitle, async () => {
      const cell = await smokeCell(vm);
      matrix.set('kprobe-smoke', spec.id, cell);
      if (cell.state !== 'events verified') throw new Error(cell.detail);
    }, 600_000);

    // fixtures/vhost-smoke and kvm-smoke: the shared vhost.bpf.h and kvm.bpf.h read through CO-RE,
    // each read cross-checked (src/vhost-smoke.ts, src/kvm-smoke.ts). Without module BTF (5.10) the
    // run without --btf must fail naming the modules and the fix, and the run with the BTF from
    // `nettrace btf build` must be exact with the fentry hooks missing (degraded).
    const viaBtf = spec.facts.moduleBtf ? '' : ' (5.10: refused without --btf, exact with `nettrace btf build`)';
    itOnFull(
      `vhost-smoke: vhost_add_used_and_signal_n and handle_rx CO-RE reads of the vhost structs count exactly${viaBtf}`,
      async () => {
        const cell = await vhostSmokeCell(vm);
        matrix.set('vhost-smoke', spec.id, cell);
        if (cell.state !== 'events verified') throw new Error(cell.detail);
      },
      600_000,
    );

    itOnFull(
      `kvm-smoke: irqfd_wakeup CO-RE reads of struct kvm_kernel_irqfd count exactly per GSI${viaBtf}`,
      async () => {
        const cell = await kvmSmokeCell(vm);
        matrix.set('kvm-smoke', spec.id, cell);
        if (cell.state !== 'events verified') throw new Error(cell.detail);
      },
      600_000,
    );

    // fixtures/ovs-smoke: the shared openvswitch.bpf.h read through CO-RE on module BTF, each read
    // cross-checked (src/ovs-smoke.ts): N pings through a datapath without flows are exactly N
    // matching upcalls; a datapath built with flows gives 4 flow_cmd_new and no upcall.
    // Without module BTF (5.10) the run is first refused naming openvswitch, then runs with the
    // module types from `nettrace btf build` (kprobes, as fentry on modules needs module BTF).
    itOnFull(
      `ovs-smoke: upcall and flow_cmd_new CO-RE reads of the openvswitch structs count exactly${spec.facts.moduleBtf ? '' : ' (external module BTF)'}`,
      async () => {
        const cell = await ovsSmokeCell(vm);
        matrix.set('ovs-smoke', spec.id, cell);
        if (cell.state !== 'events verified') throw new Error(cell.detail);
      },
      600_000,
    );

    // fixtures/virtio-smoke: the shared virtio_net.bpf.h read through CO-RE on module BTF, with pings
    // across the VM's two hub-joined virtio NICs (tk-virtio-pair, src/virtio-smoke.ts). Per NIC,
    // exactly N start_xmit (echo requests on the sender, replies on the receiver), N skb_recv_done
    // and N virtnet_poll, every one passing its cross-check; rows keyed by the ifindex and netns the
    // guest reports; queue pair 0 of 1; the rq/sq packet counters (flavored reads) as the driver's.
    // Without module BTF (5.10): first refused naming virtio_net, then run with `nettrace btf build`.
    itOnFull(
      `virtio-smoke: virtnet_poll, skb_recv_done and start_xmit CO-RE reads of the virtio_net structs count exactly per NIC${spec.facts.moduleBtf ? '' : ' (external module BTF)'}`,
      async () => {
        const cell = await virtioSmokeCell(vm);
        matrix.set('virtio-smoke', spec.id, cell);
        if (cell.state !== 'events verified') throw new Error(cell.detail);
      },
      600_000,
    );

    // fixtures/hook-ladder: one hook per rung of the hook plan. Expected here: fentry on ip_rcv; on
    // tun_net_xmit fentry where there is module BTF, else the kprobe; ip_rcv_finish_core exists only
    // as a compiler clone (no BTF, so no fentry): a kprobe on the clone; the absent hook missing.
    let ladder: LadderFixtures;
    it('hook ladder: info, doctor and the run header show the rung expected for each hook, and events flow through it', async () => {
      ladder = await buildLadderFixtures();
      // The clone the kprobe must land on, from the guest's own kallsyms: no plain symbol at all.
      const syms = (await vm.exec("awk '$3 ~ /^ip_rcv_finish_core([.]|$)/ { print $3 }' /proc/kallsyms")).stdout.trim().split('\n');
      expect(syms).not.toContain('ip_rcv_finish_core');
      const clone = syms.find((n) => /^ip_rcv_finish_core\.(isra|constprop|part)\.\d+$/.test(n));
      if (!clone) throw new Error(`kernel ${spec.id}: no compiler clone of ip_rcv_finish_core in kallsyms: ${syms.join(', ')}`);
      const tunRung = spec.facts.fentryOnModules ? 'fentry:tun_net_xmit' : 'kprobe:tun_net_xmit';
      const multiRung = spec.facts.kprobeMulti ? 'kprobe.multi:ip_rcv,ip_local_deliver' : 'kprobe:ip_local_deliver';
      const rungs = { rcv: 'fentry:ip_rcv', tun: tunRung, clone: `kprobe:${clone}`, multi: multiRung, absent: null };

      const info = await ladderInfo(vm, ladder);
      expect(info.id).toBe('hook-ladder');
      expect(rungsFromInfo(info)).toEqual(rungs);
      expect(info.status).toBe('degraded');
      expect(info.plan.missing).toEqual([]);
      expect(info.plan.degraded.map((h) => h.hook)).toEqual(['absent']);
      const rejected = (hook: string) =>
        info.plan.hooks.find((h) => h.hook === hook)?.rejected.map((r) => `${r.alternative.kind}: ${r.reason}`);
      expect(rejected('rcv')).toEqual([]);
      expect(rejected('tun')).toEqual(
        spec.facts.fentryOnModules
          ? []
          : ['fentry: this kernel has no BTF for module tun (module BTF needs 5.11+ with CONFIG_DEBUG_INFO_BTF_MODULES)'],
      );
      expect(rejected('clone')).toEqual([
        `fentry: function ip_rcv_finish_core is not in the kernel BTF: this kernel has only its compiler clone ${clone}, which has no BTF (a kprobe can attach to it)`,
      ]);
      expect(rejected('multi')).toEqual(
        spec.facts.kprobeMulti ? [] : ['kprobe.multi: kprobe.multi needs CONFIG_FPROBE, which this kernel lacks'],
      );
      expect(rejected('absent')).toEqual([
        'fentry: function nt_ladder_no_such_function is not in the kernel BTF (inlined or renamed on this kernel)',
        'kprobe: function nt_ladder_no_such_function is not in /proc/kallsyms (inlined or renamed on this kernel)',
      ]);

      const doctor = await ladderDoctor(vm, ladder);
      expect(doctor).toMatchObject({ kernel: vm.release, kprobes: true, fentry: true });
      const dl = doctor.plugins.find((p) => p.id === 'hook-ladder');
      expect(dl).toMatchObject({ status: 'degraded', detail: 'absent missing' });
      expect(rungsFromDoctor(dl?.hooks ?? [])).toEqual(rungs);
      expect(dl?.plan).toContain(`clone: kprobe:ip_rcv_finish_core (as ${clone})`);
      expect(doctor.plugins.find((p) => p.id === 'hook-ladder-required')?.status).toBe('not runnable');

      const pings = 3;
      const tunPackets = 4;
      const run = await runLadder(vm, ladder, vm.shareDir, {
        setup: `tk-netns tkl ${LADDER_SUBNET} >/dev/null`,
        traffic: `ping -q -n -c ${pings} -i 0.2 ${LADDER_SUBNET}.2 >/dev/null\ntk-tun-traffic tkltun0 10.232.0 ${tunPackets}`,
      });
      expect(run.exitCode).toBe(0);
      expect(run.header.plugin).toBe('hook-ladder'); // `run --plugin <dir>` runs the plugin in <dir>
      expect(run.header.kernel).toBe(vm.release);
      expect(rungsFromHeader(run.header.plan)).toEqual(rungs);
      expect(run.traffic).toContain(`packets ${tunPackets} `);
      // Echo request and reply are each received once (ip_rcv, then ip_rcv_finish_core): nothing
      // else in the guest receives IPv4 while the fixture runs.
      expect(run.final.counts).toEqual(
        expectedLadderCounts({
          rcv_fentry: 2 * pings,
          ...(spec.facts.fentryOnModules ? { tun_fentry: tunPackets } : { tun_kprobe: tunPackets }),
          clone_kprobe: 2 * pings,
          // Each received echo packet passes ip_rcv and ip_local_deliver.
          ...(spec.facts.kprobeMulti ? { multi_kprobe_multi: 2 * 2 * pings } : { multi_kprobe: 2 * pings }),
        }),
      );
      expect(run.final.degraded).toEqual(['absent missing: nothing real (a function no kernel has)']);
      matrix.set('hook-ladder', spec.id, { state: 'events verified' });
    }, 300_000);

    it('hook ladder: a missing optional hook marks the table output DEGRADED; a missing required hook exits 1 naming it and why', async () => {
      ladder ??= await buildLadderFixtures();
      const table = await ladderTableAttach(vm, ladder);
      expect(table.code).toBe(0);
      expect(table.stderr).toContain('DEGRADED: absent missing: nothing real (a function no kernel has)\n');
      const req = await ladderRequired(vm, ladder);
      expect(req.code).toBe(1);
      expect(req.stdout).toBe('');
      expect(req.stderr).toContain(`nettrace: hook-ladder-required cannot run on this kernel (${vm.release}):\n`);
      expect(req.stderr).toContain(
        '  needed: UNAVAILABLE — fentry:nt_ladder_no_such_function: function nt_ladder_no_such_function is not in the kernel BTF (inlined or renamed on this kernel); ' +
          'kprobe:nt_ladder_no_such_function: function nt_ladder_no_such_function is not in /proc/kallsyms (inlined or renamed on this kernel)\n',
      );
    }, 300_000);

    itOnFull(
      'carries traffic over veth between namespaces',
      async () => {
        const n = await traffic.netns(vm, 'tk1', '10.201.1');
        expect(await traffic.ping(vm, n.nsAddr, 3)).toBe(3);
        expect(await traffic.ping(vm, n.hostAddr, 2, n.ns)).toBe(2);
      },
      STEP_MS,
    );

    itOnFull(
      'joins the two virtio NICs across the qemu hub, which are down and silent unless a test brings them up',
      async () => {
        const before = await traffic.virtioNics(vm);
        expect(before.map((n) => [n.mac, n.state])).toEqual([
          ['02:00:00:74:6b:01', 'down'],
          ['02:00:00:74:6b:02', 'down'],
        ]);
        const p = await traffic.virtioPair(vm, 'tkvp', '10.214.0');
        expect(await traffic.ping(vm, p.nsAddr, 3)).toBe(3);
        await traffic.virtioPairDown(vm, 'tkvp');
        const after = await traffic.virtioNics(vm);
        expect(after.map((n) => n.state)).toEqual(['down', 'down']);
        // Each NIC sent and received exactly its 3 packets: no ARP, ND or MLD on the hub.
        expect(after.map((n, i) => [n.rx - before[i]!.rx, n.tx - before[i]!.tx])).toEqual([
          [3, 3],
          [3, 3],
        ]);
      },
      STEP_MS,
    );

    itOnFull(
      'feeds a tun and a tap device held by a reader',
      async () => {
        expect(await traffic.tunTraffic(vm, 'tktun0', '10.202.0', 5)).toMatchObject({ packets: 5, txDropped: 0 });
        expect(await traffic.tunTraffic(vm, 'tktap0', '10.203.0', 4, { tap: true })).toMatchObject({ packets: 4, txDropped: 0 });
        // A reader that waits until the last ping: a ring of 3 takes 3 packets, the other 4 are dropped.
        expect(await traffic.tunTraffic(vm, 'tkring0', '10.203.1', 7, { tap: true, ring: 3 })).toEqual({
          packets: 3,
          bytes: 3 * 98,
          txDropped: 4,
        });
      },
      STEP_MS,
    );

    itOnFull(
      'drives vhost-net from user space with a tap backend',
      async () => {
        // Without EVENT_IDX every used buffer (one per ping, one sent) is signalled; with the
        // receive queue marked no-interrupt only the transmitted frame is.
        expect(await traffic.vhostTraffic(vm, 'tkvtap0', '10.208.0', 6)).toMatchObject({ rxUsed: 6, txUsed: 1, txSignals: 1 });
        expect(await traffic.vhostTraffic(vm, 'tkvtap1', '10.208.1', 3, { noInterrupt: true })).toMatchObject({
          rxUsed: 3,
          txUsed: 1,
          rxSignals: 0,
          txSignals: 1,
        });
      },
      STEP_MS,
    );

    itOnFull(
      'builds an OVS datapath: misses become upcalls, flows forward',
      async () => {
        const slow = await traffic.ovsDatapath(vm, 'tkdp0', '10.204.0');
        expect(await traffic.ping(vm, slow.addrB, 3, slow.nsA)).toBe(0);
        expect(await traffic.ovsLookups(vm, 'tkdp0')).toEqual({ hit: 0, missed: 3, lost: 3 });
        const fast = await traffic.ovsDatapath(vm, 'tkdp1', '10.205.0', { flows: true });
        expect(await traffic.ping(vm, fast.addrB, 3, fast.nsA)).toBe(3);
        expect(await traffic.ovsLookups(vm, 'tkdp1')).toEqual({ hit: 6, missed: 0, lost: 0 });
      },
      STEP_MS,
    );

    itOnFull(
      'tracks connections, reassembles fragments and carries VXLAN',
      async () => {
        const n = await traffic.netns(vm, 'tk2', '10.209.0');
        expect(await traffic.conntrackTraffic(vm, n.ns, '10.209.0', 4)).toBe(4);
        // 4000 bytes of ICMP payload + 8 of header over a 1500-byte MTU: 3 fragments per request.
        expect(await traffic.fragmentedTraffic(vm, n.ns, '10.209.0', 3)).toEqual({ reassembled: 3, fragments: 9, replies: 3 });
        const vx = await traffic.vxlan(vm, 'tk3', '10.210.0', '10.211.0', 42);
        expect(await traffic.ping(vm, vx.overlayAddr, 3)).toBe(3);
      },
      STEP_MS,
    );
  });
}
