// Unit tests of the pure parts of core: address/option parsing, tables, kernel enum fallback,
// kallsyms handling.
import { describe, expect, it } from 'vitest';
import {
  attachPlanOrRefuse,
  BpfError,
  checkSchema,
  enumFromTracepointFormat,
  formatHelp,
  formatIp,
  KernelSymbols,
  kernelBtf,
  parseDirectCalls,
  parseIp,
  parseOptions,
  parseProtocol,
  planHooks,
  renderTable,
  runnerOptions,
  StreamTable,
  UsageError,
  unarmedTrampolines,
  vocabulary,
} from '../src/index.js';

describe('addresses', () => {
  it('parses and formats IPv4 and IPv6', () => {
    expect([...parseIp('10.1.2.3').bytes]).toEqual([10, 1, 2, 3]);
    const v6 = parseIp('fd00:10::2');
    expect(v6.family).toBe(10);
    expect(formatIp(10, v6.bytes)).toBe('fd00:10::2');
    expect(formatIp(10, parseIp('::1').bytes)).toBe('::1');
    expect(formatIp(10, parseIp('2001:db8:0:1:0:0:0:1').bytes)).toBe('2001:db8:0:1::1');
    expect(formatIp(10, parseIp('::ffff:192.0.2.1').bytes)).toBe('::ffff:c000:201');
  });
  it('rejects malformed addresses and protocols with usage errors', () => {
    expect(() => parseIp('10.0.0.256', '--src-ip')).toThrow(UsageError);
    expect(() => parseProtocol('tcpp')).toThrow(/not a protocol/);
    expect(parseProtocol('UDP')).toBe(17);
    expect(parseProtocol('132')).toBe(132);
  });
});

describe('options', () => {
  const schema = { ...runnerOptions, srcIp: vocabulary.srcIp(), top: vocabulary.top(), threshold: vocabulary.threshold() };
  it('parses long, short, inline values and defaults', () => {
    const v = parseOptions(schema, ['-s', '192.0.2.1', '--top=3', '-o', 'json', '-T', '2'], 't');
    expect(v).toMatchObject({ top: 3, output: 'json', duration: 2 });
    expect((v.srcIp as { text: string }).text).toBe('192.0.2.1');
    expect(parseOptions(schema, [], 't')).toMatchObject({ top: 10, output: 'table', duration: 0 });
  });
  it('reports unknown options, missing and bad values', () => {
    expect(() => parseOptions(schema, ['--nope'], 'run x')).toThrow("run x: unknown option '--nope'");
    expect(() => parseOptions(schema, ['--top', '-s', '1.2.3.4'], 'run x')).toThrow('--top needs a value');
    expect(() => parseOptions(schema, ['--top', '0'], 'run x')).toThrow('--top: must be at least 1');
    expect(() => parseOptions(schema, ['-o', 'xml'], 'run x')).toThrow("--output: 'xml' is not one of table, json");
  });
  // Upstream command lines run unchanged: a bare QEMU_PID, and BCC's long spellings as aliases.
  const upstream = {
    ...runnerOptions,
    qemuPid: { kind: 'pid', long: 'qemu-pid', description: 'VM', positional: true, required: true } as const,
    iface: vocabulary.iface({ aliases: ['device'], rodata: undefined }),
    category: { kind: 'enum', long: 'category', description: 'c', choices: ['data', 'control'] } as const,
  };
  it('takes positional options from bare arguments and aliases as long names', () => {
    expect(parseOptions(upstream, ['4242', '--interval', '5', '--category', 'data'], 'run k')).toMatchObject({
      qemuPid: 4242,
      interval: 5,
      category: 'data',
    });
    expect(parseOptions(upstream, ['--qemu-pid', '7'], 'run k')).toMatchObject({ qemuPid: 7 });
    expect(parseOptions(upstream, ['1', '--device', 'lo'], 'run k')).toMatchObject({ iface: { name: 'lo', ifindex: 1 } });
    expect(() => parseOptions(upstream, ['1', '2'], 'run k')).toThrow("run k: unexpected argument '2'");
    expect(() => parseOptions(upstream, ['--category', 'data'], 'run k')).toThrow('run k: QEMU_PID (or --qemu-pid) is required');
    expect(() => parseOptions(upstream, ['x1'], 'run k')).toThrow("--qemu-pid: 'x1' is not a non-negative integer");
    // --help needs no required option
    expect(parseOptions(upstream, ['--help'], 'run k')).toMatchObject({ help: true });
  });
  it('shows positional names, required options and aliases in help', () => {
    const help = formatHelp(upstream);
    expect(help).toMatch(/QEMU_PID, --qemu-pid <pid>\s+VM \(required\)/);
    expect(help).toMatch(/-I, --interface <interface>\s+network interface name \(also --device\)/);
  });
  it('rejects an alias that shadows another option', () => {
    expect(() => checkSchema('p', { a: { kind: 'flag', long: 'all', description: 'a', aliases: ['interval'] } })).toThrow(
      'plugin p: option --interval is declared twice or shadows a runner option',
    );
  });
});

describe('tables', () => {
  it('aligns numbers right and text left', () => {
    const t = renderTable(
      [
        { key: 'name', header: 'NAME' },
        { key: 'n', header: 'COUNT' },
      ],
      [
        { name: 'a', n: 5 },
        { name: 'bbbb', n: 123 },
      ],
    );
    expect(t.split('\n')).toEqual(['NAME  COUNT', 'a         5', 'bbbb    123']);
  });
});

describe('kernel enums from the tracepoint format (no BTF)', () => {
  it('reads __print_symbolic pairs', () => {
    const fmt =
      'print fmt: "skbaddr=%p reason: %s", REC->skbaddr, __print_symbolic(REC->reason, { 2, "NOT_SPECIFIED" }, { 3, "NO_SOCKET" }, { 0x10, "X" })';
    expect([...enumFromTracepointFormat(fmt, 'reason')]).toEqual([
      [2, 'NOT_SPECIFIED'],
      [3, 'NO_SOCKET'],
      [16, 'X'],
    ]);
  });
});

describe('kernel symbols', () => {
  const syms = new KernelSymbols(
    [
      'ffffffff81000000 T _stext',
      'ffffffff81001000 t finish_task_switch.isra.0',
      'ffffffff81002000 T ip_rcv',
      'ffffffffc0001000 t tun_net_xmit\t[tun]',
    ].join('\n'),
  );
  it('symbolises addresses with offsets and modules', () => {
    expect(syms.symbolize(0xffffffff81002010n)).toBe('ip_rcv+0x10');
    expect(syms.symbolize(0xffffffffc0001004n)).toBe('tun_net_xmit+0x4 [tun]');
  });
  it('orders symbols by the whole 64-bit address, whatever the file order', () => {
    // Unsorted, high halves that differ and one short address.
    const mixed = new KernelSymbols(
      ['ffffffffc0001000 t mod_fn\t[m]', '0000000100000010 t high_one', 'ffffffff81000000 T core_fn', '10 t low_fn'].join('\n'),
    );
    expect(mixed.symbolize(0x18n)).toBe('low_fn+0x8');
    expect(mixed.symbolize(0x100000020n)).toBe('high_one+0x10');
    expect(mixed.symbolize(0xffffffff81000004n)).toBe('core_fn+0x4');
    expect(mixed.symbolize(0xffffffffc0001001n)).toBe('mod_fn+0x1 [m]');
    expect(mixed.symbolize(0x8n)).toBe('0x8');
    // Same high half everywhere, given out of order; then already in address order.
    const text = new KernelSymbols(['ffffffff81003000 t c', 'ffffffff81001000 t a', 'ffffffff81002000 t b'].join('\n'));
    expect([0xffffffff81001001n, 0xffffffff81002002n, 0xffffffff81003003n].map((a) => text.symbolize(a))).toEqual([
      'a+0x1',
      'b+0x2',
      'c+0x3',
    ]);
    const sorted = new KernelSymbols(['ffffffff81001000 t a', 'ffffffff81002000 t b', 'ffffffff81002000 t b_alias'].join('\n'));
    expect(sorted.symbolize(0xffffffff81002002n)).toBe('b_alias+0x2'); // equal addresses: the last listed
  });
  it("places functions added later (a run's own BPF programs) before the table", () => {
    const k = new KernelSymbols(['ffffffffc0001000 t mod_fn\t[m]'].join('\n'));
    expect(k.symbolize(0xffffffffc0002010n)).toBe('mod_fn+0x1010 [m]');
    k.addFunctions([{ address: 0xffffffffc0002000n, length: 0x100, name: 'bpf_prog_0123456789abcdef_p' }]);
    expect(k.symbolize(0xffffffffc0002010n)).toBe('bpf_prog_0123456789abcdef_p+0x10');
    expect(k.symbolize(0xffffffffc0002100n)).toBe('mod_fn+0x1100 [m]'); // past its end
  });
  it('finds compiler clones of a function', () => {
    expect(syms.resolve('finish_task_switch')).toEqual(['finish_task_switch.isra.0']);
    expect(syms.resolve('ip_rcv')).toEqual(['ip_rcv']);
    expect(syms.resolve('missing_fn')).toEqual([]);
  });
  it('answers name look-ups by scanning the text, then from the index, alike', () => {
    const text = [
      'ffffffff81000000 T _stext',
      'ffffffff81001000 t ip_rcv_finish_core.constprop.0',
      'ffffffff81002000 T ip_rcv',
      'ffffffff81003000 t ip_rcv_core',
      'ffffffff81004000 d ip_rcv_data', // not text: never a symbol to probe
      'ffffffff81ff0000 t ip_rcv_finish_core.constprop.0.cold',
      'ffffffffc0001000 t tun_net_xmit\t[tun]',
      'ffffffffc0002000 t tun_net_xmit.cold\t[tun]',
    ].join('\n');
    const asked = (s: KernelSymbols) => [
      s.resolve('ip_rcv_finish_core'),
      s.resolve('ip_rcv'),
      s.resolve('tun_net_xmit'),
      s.has('ip_rcv_data'),
      s.has('ip_rcv_cor'),
      s.has('_stext'),
    ];
    const want = [
      ['ip_rcv_finish_core.constprop.0', 'ip_rcv_finish_core.constprop.0.cold'],
      ['ip_rcv'],
      ['tun_net_xmit', 'tun_net_xmit.cold'],
      false,
      false,
      true,
    ];
    expect(asked(new KernelSymbols(text))).toEqual(want);
    const indexed = new KernelSymbols(text);
    for (let i = 0; i < 20; i++) indexed.has('warm_up'); // past the scans: the name index now answers
    expect(asked(indexed)).toEqual(want);
  });
});

describe('stream tables', () => {
  it('print the header once and keep columns aligned across batches', () => {
    const t = new StreamTable([
      { key: 'comm', header: 'COMM' },
      { key: 'lat', header: 'LAT' },
    ]);
    expect(t.lines([{ comm: 'a', lat: 5 }])).toEqual(['COMM  LAT', 'a       5']);
    expect(t.lines([{ comm: 'bb', lat: 12 }])).toEqual(['bb     12']);
    expect(t.lines([])).toEqual([]);
  });
});

describe('fentry trampolines armed (tracing enabled_functions)', () => {
  // Captured in the test kernels with fentry on ip_rcv and tun_net_xmit, kprobes elsewhere, and
  // (6.12) fentry on irqfd_wakeup, which the kernel linked but never armed.
  const k612 = [
    'ip_rcv_finish_core.constprop.0 (1) R         \ttramp: 0xffffffffc04e0000 (kprobe_ftrace_handler+0x0/0x1d0) ->kprobe_ftrace_handler+0x0/0x1d0',
    'irqfd_wakeup [kvm] (1) R         \ttramp: 0xffffffffc04e0000 (kprobe_ftrace_handler+0x0/0x1d0) ->kprobe_ftrace_handler+0x0/0x1d0',
    'ip_rcv (2) R   D   M  ->arch_ftrace_ops_list_func+0x0/0x1d0',
    '\tdirect-->bpf_trampoline_6442553940+0x0/0xbc',
    'tun_net_xmit [tun] (1) R   D   M \ttramp: ftrace_regs_caller+0x0/0x65 (call_direct_funcs+0x0/0x20)',
  ].join('\n');
  const k510 =
    'ip_rcv (1) R I D\ttramp: ftrace_regs_caller+0x0/0x58 (call_direct_funcs+0x0/0x20)\n\tdirect-->bpf_trampoline_76863_0+0x0/0x1000\n';
  it('reads the functions with a direct call', () => {
    expect([...parseDirectCalls(k612)].sort()).toEqual(['ip_rcv', 'tun_net_xmit']);
    expect([...parseDirectCalls(k510)]).toEqual(['ip_rcv']);
  });
  it('refuses an fentry the kernel cannot attach (ENOTSUPP, arm64 6.1); other failures throw', () => {
    const chosen = (kind: 'fentry' | 'kprobe') => ({
      hooks: [{ hook: 'h', optional: false, rejected: [], chosen: { program: 'p', kind, target: 'f', resolvedTarget: 'f' } }],
      missing: [],
      degraded: [],
    });
    const failing = (errno: number) => ({
      attach: () => {
        throw new BpfError('attach', errno, 'attach failed', undefined, '');
      },
    });
    expect(attachPlanOrRefuse(failing(524) as never, chosen('fentry'))).toEqual([
      { program: 'p', reason: 'fentry on f loaded, but this kernel cannot attach it (ENOTSUPP: no BPF trampoline for it)' },
    ]);
    expect(() => attachPlanOrRefuse(failing(524) as never, chosen('kprobe'))).toThrow('attach failed');
    expect(() => attachPlanOrRefuse(failing(2) as never, chosen('fentry'))).toThrow('attach failed');
    expect(attachPlanOrRefuse({ attach: () => ({}) } as never, chosen('fentry'))).toEqual([]);
  });
  it('refuses an fentry whose function has none, and the plan takes the next alternative', () => {
    const hooks = [
      {
        name: 'wake',
        alternatives: [
          { program: 'fe', kind: 'fentry' as const, target: 'irqfd_wakeup' },
          { program: 'tp', kind: 'tracepoint' as const, target: 'sched/sched_wakeup' },
        ],
      },
    ];
    const chosen = {
      hooks: [{ hook: 'wake', optional: false, rejected: [], chosen: { ...hooks[0].alternatives[0], resolvedTarget: 'irqfd_wakeup' } }],
      missing: [],
      degraded: [],
    };
    const unarmed = unarmedTrampolines(chosen, parseDirectCalls(k612));
    expect(unarmed).toEqual([{ program: 'fe', reason: expect.stringContaining('never armed its trampoline') }]);
    expect(unarmedTrampolines(chosen, undefined)).toEqual([]);
    using btf = kernelBtf();
    const replanned = planHooks(hooks, btf, new Map(unarmed.map((u) => [u.program, u.reason])));
    expect(replanned.hooks[0].rejected[0]).toMatchObject({ alternative: { program: 'fe' }, reason: unarmed[0].reason });
    expect(replanned.hooks[0].chosen?.program).toBe('tp');
  });
});
