// Boots every kernel of the matrix (TK_KERNELS=6.1,6.12 narrows it), one VM per kernel and one at
// a time: the describe blocks of a file run in sequence, and this is the only file that boots VMs.
// Each block proves the harness on that kernel and checks kernels.json's facts against the kernel
// itself, in both directions.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildFixture,
  describeFailure,
  ExecTimeoutError,
  expectedSmokeCounts,
  installedPlugins,
  loadMatrix,
  runSmoke,
  runVerify,
  selectKernels,
  start,
  type Vm,
} from '../src/index.js';
import * as traffic from '../src/traffic.js';

const BOOT_MS = 10 * 60_000; // first run downloads and unpacks the kernel
const STEP_MS = 120_000;

function configValue(configFile: string, option: string): string | undefined {
  const m = new RegExp(`^${option}=(.*)$`, 'm').exec(readFileSync(configFile, 'utf8'));
  return m?.[1];
}

for (const spec of selectKernels(process.env.TK_KERNELS)) {
  describe(`kernel ${spec.id}`, () => {
    let vm: Vm;

    beforeAll(async () => {
      vm = await start({ kernel: spec.id, modules: loadMatrix().pluginModules, log: (m) => console.log(`[test-kernel] ${m}`) });
    }, BOOT_MS);

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

    it(
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

    it('verifier gate: every plugin object loads and attaches', async () => {
      const { records } = await runVerify(vm, []);
      const problems = records.filter((r) => r.status === 'failed').map((r) => describeFailure(spec.id, r));
      for (const id of installedPlugins()) {
        if (!records.some((r) => r.plugin === id))
          problems.push(`kernel ${spec.id}: nettrace verify gave no result for ${id} (not built?)`);
      }
      for (const r of records.filter((x) => x.status === 'n/a')) console.log(`[test-kernel] ${spec.id}: ${r.plugin} n/a: ${r.reason}`);
      if (problems.length > 0) throw new Error(`verifier gate failed:\n${problems.join('\n')}`);
      expect(records.length).toBeGreaterThan(0);
    }, 300_000);

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

    const smokeTitle = spec.facts.fentryOnModules
      ? 'kprobe-smoke: kprobe, module fentry and module-BTF CO-RE reads count exactly'
      : 'kprobe-smoke: reported unavailable (no module BTF for fentry on tun_net_xmit)';
    it(smokeTitle, async () => {
      const traffic = { tunPackets: 5, loopbackPings: 3 };
      const r = await runSmoke(vm, traffic);
      if (!spec.facts.fentryOnModules) {
        expect(r.ran).toBe(false);
        expect(r.stderr).toContain('tun_net_xmit');
        return;
      }
      if (!r.ran) throw new Error(`kprobe-smoke did not run on kernel ${spec.id} (exit ${r.exitCode}):\n${r.stderr}`);
      expect(r.tunRead).toBe(traffic.tunPackets);
      expect(r.counts).toEqual(expectedSmokeCounts(traffic));
    }, 300_000);

    it(
      'carries traffic over veth between namespaces',
      async () => {
        const n = await traffic.netns(vm, 'tk1', '10.201.1');
        expect(await traffic.ping(vm, n.nsAddr, 3)).toBe(3);
        expect(await traffic.ping(vm, n.hostAddr, 2, n.ns)).toBe(2);
      },
      STEP_MS,
    );

    it(
      'feeds a tun and a tap device held by a reader',
      async () => {
        expect(await traffic.tunTraffic(vm, 'tktun0', '10.202.0', 5)).toMatchObject({ packets: 5 });
        expect(await traffic.tunTraffic(vm, 'tktap0', '10.203.0', 4, { tap: true })).toMatchObject({ packets: 4 });
      },
      STEP_MS,
    );

    it(
      'drives vhost-net from user space with a tap backend',
      async () => {
        expect(await traffic.vhostTraffic(vm, 'tkvtap0', '10.208.0', 6)).toMatchObject({ rxUsed: 6, txUsed: 1 });
      },
      STEP_MS,
    );

    it(
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

    it(
      'tracks connections, reassembles fragments and carries VXLAN',
      async () => {
        const n = await traffic.netns(vm, 'tk2', '10.209.0');
        expect(await traffic.conntrackTraffic(vm, n.ns, '10.209.0', 4)).toBe(4);
        expect(await traffic.fragmentedTraffic(vm, n.ns, '10.209.0', 3)).toEqual({ reassembled: 3, replies: 3 });
        const vx = await traffic.vxlan(vm, 'tk3', '10.210.0', '10.211.0', 42);
        expect(await traffic.ping(vm, vx.overlayAddr, 3)).toBe(3);
      },
      STEP_MS,
    );
  });
}
