// The run plan and its inputs: runner options from parsed values (one mapping for the CLI and the
// tests, with the checks that need no kernel), the kernel BTF as an explicit value whose parsed
// copies only TypeScript frees, and planRun on the live kernel. Live kernel, as root.
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildBpf } from '../../../tooling/src/bpf-build.mjs';
import {
  BpfObject,
  KernelBtf,
  KernelSupportError,
  kernelBtf,
  kernelBtfFromEnv,
  kernelEnum,
  native,
  parseOptions,
  planHooks,
  planRun,
  runnerOptions,
  runOptionsFrom,
  UsageError,
} from '../src/index.js';

const parse = (...argv: string[]) => parseOptions(runnerOptions, argv, 'test');
const kfree = { name: 'kfree_skb', alternatives: [{ program: 'p', kind: 'tp_btf' as const, target: 'skb/kfree_skb' }] };

describe('runOptionsFrom', () => {
  it('maps every runner option, with the defaults of the schema', () => {
    expect(runOptionsFrom(parse(), {})).toEqual({
      interval: undefined,
      cumulative: false,
      duration: 0,
      output: 'table',
      btf: undefined,
      exitAfterAttach: false,
      failOnLoss: false,
      channel: { perfBuffer: false, wakeup: undefined, wakeupBytes: undefined, drainMs: 5, ringBytes: undefined },
    });
    const all = parse(
      '-i',
      '2',
      '--cumulative',
      '-T',
      '7',
      '-o',
      'openmetrics',
      '--btf',
      '/x.btf',
      '--fail-on-loss',
      '--exit-after-attach',
    );
    expect(runOptionsFrom(all, {})).toMatchObject({
      interval: 2,
      cumulative: true,
      duration: 7,
      output: 'openmetrics',
      btf: { path: '/x.btf', origin: '--btf' },
      exitAfterAttach: true,
      failOnLoss: true,
    });
    const ring = parse('--wakeup', 'hybrid', '--wakeup-bytes', '8192', '--drain-ms', '20', '--ring-bytes', '65536');
    expect(runOptionsFrom(ring, {}).channel).toEqual({
      perfBuffer: false,
      wakeup: 'hybrid',
      wakeupBytes: 8192,
      drainMs: 20,
      ringBytes: 65536,
    });
  });

  it('takes NETTRACE_BTF when --btf is not given, and says which one named a file', () => {
    expect(runOptionsFrom(parse(), { NETTRACE_BTF: '/e.btf' }).btf).toEqual({ path: '/e.btf', origin: 'NETTRACE_BTF' });
    expect(runOptionsFrom(parse('--btf', '/f.btf'), { NETTRACE_BTF: '/e.btf' }).btf).toEqual({ path: '/f.btf', origin: '--btf' });
  });

  it('refuses ring and wake-up settings that cannot work, before anything loads', () => {
    const refused: [string[], RegExp][] = [
      [['--ring-bytes', '12288'], /--ring-bytes 12288: must be a power of 2, at least 4096/],
      [['--ring-bytes', '8192', '--wakeup-bytes', '8192'], /--wakeup-bytes 8192: must be smaller than the ring buffer \(8192 bytes\)/],
      [['--wakeup', 'adaptive', '--wakeup-bytes', '64'], /--wakeup-bytes: only hybrid wake-ups have a threshold/],
      [['--perf-buffer', '--ring-bytes', '8192'], /--ring-bytes: applies to the ring buffer, not to --perf-buffer/],
      [['--perf-buffer', '--wakeup', 'hybrid', '--wakeup-bytes', '64'], /--wakeup-bytes, --wakeup: apply to the ring buffer/],
    ];
    for (const [argv, message] of refused) {
      expect(() => runOptionsFrom(parse(...argv), {}), argv.join(' ')).toThrow(UsageError);
      expect(() => runOptionsFrom(parse(...argv), {}), argv.join(' ')).toThrow(message);
    }
    expect(() => parse('--ring-bytes', '2048')).toThrow(/--ring-bytes: must be at least 4096/);
  });
});

describe('kernel BTF', () => {
  it('is sysfs by default, a checked file with --btf or NETTRACE_BTF', () => {
    expect(kernelBtf().source).toEqual({ kind: 'sysfs', path: '/sys/kernel/btf/vmlinux' });
    expect(kernelBtf().external).toBeUndefined();
    expect(() => kernelBtf('/nonexistent.btf')).toThrow(/^--btf: no such file: \/nonexistent\.btf$/);
    expect(() => kernelBtfFromEnv({ NETTRACE_BTF: '/nonexistent.btf' })).toThrow(/^NETTRACE_BTF: no such file: \/nonexistent\.btf$/);
    const copy = join(mkdtempSync(join(tmpdir(), 'ntbtf-')), 'vmlinux.btf');
    copyFileSync('/sys/kernel/btf/vmlinux', copy);
    const file = kernelBtf(copy);
    expect(file.source).toEqual({ kind: 'file', path: copy, origin: '--btf' });
    expect(file.external).toBe(copy);
    expect(file.hasType('sk_buff', 'struct')).toBe(true);
    expect(kernelEnum(file, 'skb_drop_reason')?.source).toBe(`BTF ${copy}`);
    file.release();
  });

  it('keeps its parsed copies across an object load until it releases them itself', () => {
    const btf = kernelBtf();
    expect(btf.hasType('sk_buff', 'struct')).toBe(true);
    const handle = btf.sysfsHandle()!;
    const fixture = join(__dirname, 'fixtures/loss-burst');
    const [objPath] = buildBpf(fixture);
    const obj = BpfObject.open(objPath, { name: 'btf_keep' });
    obj.load(); // the addon used to free every parsed BTF here, behind TypeScript's back
    obj.close();
    expect(native().btfHasType(handle, 'sk_buff', 'struct')).toBe(true);
    expect(btf.sysfsHandle()).toBe(handle);
    btf.release();
    expect(() => native().btfHasType(handle, 'sk_buff', 'struct')).toThrow(/BTF handle is closed or unknown/);
    // Asked again after release: parsed again.
    expect(btf.hasType('sk_buff', 'struct')).toBe(true);
    btf.release();
  });

  it('refuses to free a base BTF while a split BTF parsed on it is open', () => {
    // The kernel's BTF serves as its own "split" here: parse it on top of itself.
    const base = native().btfOpen('/sys/kernel/btf/vmlinux');
    const split = native().btfOpen('/sys/kernel/btf/vmlinux', base);
    expect(() => native().btfClose(base)).toThrow(/base of an open split BTF/);
    native().btfClose(split);
    native().btfClose(base);
  });

  it('enum members come from the run BTF, looked up once per KernelBtf', () => {
    const btf = new KernelBtf({ kind: 'sysfs', path: '/sys/kernel/btf/vmlinux' });
    const reasons = kernelEnum(btf, 'skb_drop_reason');
    expect(reasons?.label(2, 'SKB_DROP_REASON_')).toBe('NOT_SPECIFIED');
    expect(kernelEnum(btf, 'skb_drop_reason')).toBe(reasons); // once per KernelBtf
    expect(planHooks([kfree], btf).hooks[0].chosen?.kind).toBe('tp_btf');
    btf.release();
  });
});

describe('planRun', () => {
  const target = { id: 'plan-test', hooks: [kfree], output: 'stream' as const };

  it('plans hooks, BTF and channel once, from a manifest as from a plugin', () => {
    const plan = planRun(target, parse('--wakeup', 'adaptive'), {});
    expect(plan.plugin).toBe('plan-test');
    expect(plan.btf.source.kind).toBe('sysfs');
    expect(plan.hooks.hooks[0].chosen).toMatchObject({ kind: 'tp_btf', resolvedTarget: 'kfree_skb' });
    expect(plan.channel).toMatchObject({ kind: 'ring', wakeup: 'adaptive', drainMs: 5 });
    expect(planRun(target, parse('--perf-buffer'), {}).channel?.kind).toBe('perf');
    expect(planRun({ ...target, output: { kind: 'report' } }, parse(), {}).channel).toBeUndefined();
  });

  it('a required hook with no usable alternative: one KernelSupportError naming it and why', () => {
    const hooks = [{ name: 'needed', alternatives: [{ program: 'p', kind: 'kprobe' as const, target: 'nt_no_such_function' }] }];
    const fail = () => planRun({ id: 'plan-test', hooks, output: 'report' }, parse(), {});
    expect(fail).toThrow(KernelSupportError);
    expect(fail).toThrow(
      /plan-test cannot run on this kernel \(.*\):\n {2}needed: UNAVAILABLE — kprobe:nt_no_such_function: kprobes are not available/,
    );
  });

  it('a --btf file that does not exist is a usage error', () => {
    expect(() => planRun(target, parse('--btf', '/nonexistent.btf'), {})).toThrow(UsageError);
    expect(() => planRun(target, parse(), { NETTRACE_BTF: '/nonexistent.btf' })).toThrow(/NETTRACE_BTF: no such file/);
  });
});

describe('planRun: kprobes of an object built for another architecture', () => {
  const hooks = [
    {
      name: 'switch',
      alternatives: [
        { program: 'k', kind: 'kprobe' as const, target: 'finish_task_switch' },
        { program: 't', kind: 'tracepoint' as const, target: 'sched/sched_switch' },
      ],
    },
  ];
  it('are refused with the fix, and the tracepoint rung is taken', () => {
    const plan = planRun({ id: 't', hooks, output: 'report', bpfArch: 'arm64' }, parse());
    try {
      const [h] = plan.hooks.hooks;
      expect(h?.chosen?.program).toBe('t');
      expect(h?.rejected.map((r) => r.reason)).toEqual([
        'the object was built for arm64 registers and this host is x86 (fix: rebuild the plugin for x86: package.json nettrace.bpfArch)',
      ]);
    } finally {
      plan.btf.release();
    }
  });
  it('are planned as usual when the object is built for this host', () => {
    const plan = planRun({ id: 't', hooks, output: 'report', bpfArch: 'x86' }, parse());
    try {
      expect(plan.hooks.hooks[0]?.rejected.map((r) => r.reason).join()).not.toMatch(/registers/);
    } finally {
      plan.btf.release();
    }
  });
});
