// Plugin options: one long-option vocabulary for all plugins (one meaning per flag name, one
// short letter per meaning, decided here once), typed values, validation, defaults and help.
import { UsageError } from '../errors.js';
import { type IpAddress, ifindexOf, parseIp, parsePort, parseProtocol } from '../kernel/net.js';
import { currentNetns, ifindexInNetns, type NetnsValue, netnsOf } from '../kernel/netns.js';
import { formatMac, parseEthertype, parseMac } from '../output/frame.js';
import { type FlowRule, readFlowRules } from './flow-rules.js';

export type OptionKind =
  | 'ip'
  | 'port'
  | 'protocol'
  | 'interface'
  | 'netns'
  | 'pid'
  /** comma-separated pids (BCC's `-p 1,2` / `-t 3,4`), at most `max` of them (default 16) */
  | 'pid-list'
  | 'uint'
  /** a non-negative number of seconds, decimals to the millisecond (BCC's `-i 0.5`) */
  | 'seconds'
  | 'enum'
  | 'flag'
  | 'string'
  /** a JSON file of flow rules (flow-rules.ts), written to flow_rules.bpf.h's arrays */
  | 'flow-rules'
  /** a MAC address (aa:bb:cc:dd:ee:ff or with dashes); the value is lower case with colons */
  | 'mac'
  /** an EtherType: a number (0x0800, 2048) or a name (ipv4, arp, ...); the value is the number */
  | 'ethertype';

export interface InterfaceValue {
  name: string;
  ifindex: number;
  /** Set when the schema has a `netns` option: the namespace the ifindex belongs to. */
  netns?: string;
  /** An interface option with `max` > 1 takes a comma list (a bond's members): every one, the
   * first being `ifindex`. */
  ifindexes?: number[];
}

type KindValue<K extends OptionKind> = K extends 'ip'
  ? IpAddress
  : K extends 'interface'
    ? InterfaceValue
    : K extends 'netns'
      ? NetnsValue
      : K extends 'flag'
        ? boolean
        : K extends 'flow-rules'
          ? FlowRule[]
          : K extends 'pid-list'
            ? number[]
            : K extends 'enum' | 'string' | 'mac'
              ? string
              : number;

export interface OptionSpec<K extends OptionKind = OptionKind> {
  kind: K;
  long: string;
  short?: string;
  description: string;
  /** Shown in help: "us", "ms", "packets"... */
  unit?: string;
  default?: KindValue<K>;
  choices?: readonly string[];
  /** Other spellings of choices, e.g. the upstream tool's (`fivetuple` for `flow`): value → choice. */
  choiceAliases?: Readonly<Record<string, string>>;
  min?: number;
  max?: number;
  /** Name of the BPF rodata variable the value is written to (filters in @nettrace/bpf-headers). */
  rodata?: string;
  /** Other long names accepted for this option, e.g. the upstream tool's spelling (`device` for
   * `--interface`), so its command lines run unchanged. Shown in help. */
  aliases?: readonly string[];
  /** Also taken from a bare argument (in declaration order among positional options), as the
   * upstream tool's `QEMU_PID`. */
  positional?: boolean;
  /** The run is refused (usage error) when the option is not given. */
  required?: boolean;
}

export type OptionsSchema = Record<string, OptionSpec>;

/** The value of one option: its kind's type, narrowed to the choices of an enum option. */
export type OptionValue<O extends OptionSpec> = O['kind'] extends 'enum'
  ? O extends { choices: readonly (infer C extends string)[] }
    ? C
    : string
  : KindValue<O['kind']>;

type HasDefault<O> = O extends { default: infer D } ? ([D] extends [undefined] ? false : true) : false;

/** A required option is always there once parsing succeeded (--help skips the plugin's code). */
type AlwaysPresent<O> = O extends { required: true } ? true : HasDefault<O>;

/** Parsed values: an option with a default, or a required one, always has a value; any other is
 * undefined when not given. */
export type OptionValues<S extends OptionsSchema> = {
  -readonly [P in keyof S]: AlwaysPresent<S[P]> extends true ? OptionValue<S[P]> : OptionValue<S[P]> | undefined;
};

type Override<K extends OptionKind> = Partial<Omit<OptionSpec<K>, 'kind' | 'long' | 'short'>>;

/**
 * The shared vocabulary. Plugins pick entries (`vocabulary.srcIp()`), optionally overriding the
 * description, default or choices; they may add their own long options, but never a short letter.
 * The override is kept in the entry's type, so a default given there makes the value always present.
 */
function v<const B extends OptionSpec>(spec: B) {
  return <const O extends Override<B['kind']> = Record<never, never>>(override?: O): Omit<B, keyof O> & O =>
    ({ ...spec, ...override }) as unknown as Omit<B, keyof O> & O;
}

export const vocabulary = {
  srcIp: v({ kind: 'ip', long: 'src-ip', short: 's', description: 'source IPv4/IPv6 address', rodata: 'cfg_src_ip' }),
  dstIp: v({ kind: 'ip', long: 'dst-ip', short: 'd', description: 'destination IPv4/IPv6 address', rodata: 'cfg_dst_ip' }),
  srcPort: v({ kind: 'port', long: 'src-port', short: 'S', description: 'source port', rodata: 'cfg_src_port' }),
  dstPort: v({ kind: 'port', long: 'dst-port', short: 'D', description: 'destination port', rodata: 'cfg_dst_port' }),
  protocol: v({
    kind: 'protocol',
    long: 'protocol',
    short: 'p',
    description: 'L4 protocol: tcp, udp, icmp, icmpv6, all or a number',
    rodata: 'cfg_protocol',
    aliases: ['l4-protocol'], // the BCC tools' spelling (eth_drop, kernel_drop_stack_stats)
  }),
  iface: v({ kind: 'interface', long: 'interface', short: 'I', description: 'network interface name', rodata: 'cfg_ifindex' }),
  /** Where the plugin's interface options are resolved; with it, a device is (namespace, ifindex). */
  netns: v({
    kind: 'netns',
    long: 'netns',
    description:
      'network namespace of the interface options: a name under /var/run/netns or a path such as /proc/PID/ns/net (default: the current one)',
    rodata: 'cfg_netns_ino',
  }),
  pid: v({ kind: 'pid', long: 'pid', short: 'P', description: 'process id (thread group) to trace', rodata: 'cfg_pid' }),
  /** BCC's --process NAME; the object includes bpf-headers' comm_filter.bpf.h. */
  process: v({
    kind: 'string',
    long: 'process',
    description: 'only tasks with this name (comm, as ps -o comm shows it), every process of that name',
    rodata: 'cfg_comm',
  }),
  threshold: v({ kind: 'uint', long: 'threshold', short: 't', description: 'report individual events above this value', unit: 'us' }),
  top: v({ kind: 'uint', long: 'top', short: 'n', description: 'rows per report', default: 10, min: 1 }),
  /** BCC's --sample-rate of the TCP state tools; the plugin says what "every Nth" counts. */
  sampleRate: v({ kind: 'uint', long: 'sample-rate', description: 'sample every Nth hit (the 1st, N+1th, ...)', default: 1, min: 1 }),
  /** BCC's --bw-hist of the TCP state tools (500 Mbit/s buckets there and here). */
  bwHist: v({
    kind: 'flag',
    long: 'bw-hist',
    description: 'bandwidth histogram: packets out x MSS / srtt, 500 Mbit/s buckets',
    default: false,
  }),
  groupBy: v({ kind: 'enum', long: 'group-by', short: 'g', description: 'grouping of the summary', choices: ['all'] as readonly string[] }),
  verbose: v({ kind: 'flag', long: 'verbose', short: 'v', description: 'more detail per row', default: false }),
  /** The libbpf ports' -H/--histogram: latency histograms in the report. */
  histogram: v({ kind: 'flag', long: 'histogram', short: 'H', description: 'latency histograms in the report', default: false }),
  clear: v({
    kind: 'flag',
    long: 'clear',
    short: 'c',
    description: "accepted for BCC command lines: interval reports already hold each interval's numbers (see --cumulative)",
    default: false,
  }),
  queue: v({ kind: 'uint', long: 'queue', short: 'q', description: 'queue index' }),
  /** Several flows at once (BCC's trace_conntrack --filters-file); excludes the single filter. */
  filtersFile: v({
    kind: 'flow-rules',
    long: 'filters-file',
    description:
      'JSON list of flow rules [{"src_ip", "dst_ip", "protocol", "src_port", "dst_port"}, ...] (any field may be left out): a flow passes when any rule matches; instead of -s/-d/-S/-D/-p',
    rodata: 'cfg_rules',
  }),
  direction: v({
    kind: 'enum',
    long: 'direction',
    short: 'r',
    description: 'traffic direction',
    choices: ['tx', 'rx'],
  }),
};

/** The five flow filters of filter.bpf.h under their shared names (directional unless the plugin
 * sets cfg_either_direction), for plugins that take them as they are. */
export function flowOptions() {
  return {
    srcIp: vocabulary.srcIp(),
    dstIp: vocabulary.dstIp(),
    srcPort: vocabulary.srcPort(),
    dstPort: vocabulary.dstPort(),
    protocol: vocabulary.protocol(),
  };
}

/** Options every `nettrace run` accepts, whatever the plugin. Their letters are reserved. */
export const runnerOptions: OptionsSchema = {
  interval: {
    kind: 'seconds',
    long: 'interval',
    short: 'i',
    description: "seconds between reports (0: final report only); each holds that interval's numbers",
    unit: 's',
    max: 2_147_483, // a timer's limit (2^31 - 1 ms)
  },
  cumulative: {
    kind: 'flag',
    long: 'cumulative',
    description: 'interval reports hold running totals since the start instead of the interval alone',
    default: false,
  },
  duration: {
    kind: 'uint',
    long: 'duration',
    short: 'T',
    description: 'stop after this many seconds (0: until Ctrl-C)',
    unit: 's',
    default: 0,
    max: 2_147_483, // a timer's limit (2^31 - 1 ms)
  },
  output: {
    kind: 'enum',
    long: 'output',
    short: 'o',
    description: 'output format (openmetrics: the reports as OpenMetrics text, for a textfile collector)',
    choices: ['table', 'json', 'openmetrics'],
    default: 'table',
  },
  btf: { kind: 'string', long: 'btf', description: 'external BTF (vmlinux ELF or raw BTF) for kernels without /sys/kernel/btf/vmlinux' },
  exitAfterAttach: {
    kind: 'flag',
    long: 'exit-after-attach',
    description: 'exit as soon as every program is attached (start-up measurements)',
    default: false,
  },
  failOnLoss: { kind: 'flag', long: 'fail-on-loss', description: 'exit 1 when any event was lost', default: false },
  wakeup: {
    kind: 'enum',
    long: 'wakeup',
    description:
      'ring-buffer wake-ups of streaming plugins: hybrid (a wake-up only above --wakeup-bytes pending, plus a drain every --drain-ms: far cheaper for the traced workload at high rates) or adaptive (a wake-up whenever the reader has caught up: lowest latency). Default: hybrid when the plugin submits with nt_event_submit()',
    choices: ['adaptive', 'hybrid'],
  },
  wakeupBytes: {
    kind: 'uint',
    long: 'wakeup-bytes',
    description: 'hybrid: pending bytes that force a wake-up (default: 1/8 of the ring)',
    unit: 'bytes',
    min: 1,
  },
  drainMs: {
    kind: 'uint',
    long: 'drain-ms',
    description: 'hybrid: drain interval, the bound on event latency',
    unit: 'ms',
    default: 5,
    min: 1,
    max: 1000,
  },
  ringBytes: {
    kind: 'uint',
    long: 'ring-bytes',
    description:
      "streaming plugins: ring buffer size, a power of 2 (default: room for 12,000 of the plugin's records, 1-16 MiB, unless the plugin sizes its own)",
    unit: 'bytes',
    min: 4096,
    max: 1 << 30,
  },
  perfBuffer: {
    kind: 'flag',
    long: 'perf-buffer',
    description: 'stream events through per-CPU perf buffers instead of the ring buffer (automatic before 5.8)',
    default: false,
  },
  help: { kind: 'flag', long: 'help', short: 'h', description: 'show this help', default: false },
};

/** Longer values are refused before any parser sees them (and never echoed whole). */
const MAX_VALUE_LENGTH = 256;
/** PID_MAX_LIMIT (include/linux/threads.h): no pid is larger. */
const PID_MAX = 4_194_304;

/** An argument as an error message quotes it: at most 60 characters. */
export const quoted = (raw: string) => `'${raw.length > 60 ? `${raw.slice(0, 57)}...` : raw}'`;

function checkLength(flag: string, raw: string): void {
  if (raw.length > MAX_VALUE_LENGTH) throw new UsageError(`${flag}: value too long (${raw.length} characters)`);
}

/** One interface, or with `max` > 1 a comma list of at most `max` (BCC's `--phy-interface eth0,eth1`). */
function interfaceValue(spec: OptionSpec, raw: string, ifindex: (name: string) => number): InterfaceValue {
  const names = (spec.max ?? 1) > 1 ? raw.split(',') : [raw];
  if (names.length > (spec.max ?? 1)) throw new UsageError(`--${spec.long}: at most ${spec.max} interfaces`);
  const ifindexes = names.map(ifindex);
  return { name: raw, ifindex: ifindexes[0] as number, ...(names.length > 1 ? { ifindexes } : {}) };
}

function parseValue(spec: OptionSpec, raw: string): unknown {
  const flag = `--${spec.long}`;
  checkLength(flag, raw);
  switch (spec.kind) {
    case 'ip':
      return parseIp(raw, flag);
    case 'port':
      return parsePort(raw, flag);
    case 'protocol':
      return parseProtocol(raw, flag);
    case 'interface':
      return interfaceValue(spec, raw, (name) => ifindexOf(name, flag));
    case 'netns':
      return netnsOf(raw, flag);
    case 'pid-list': {
      const limit = spec.max ?? 16;
      const pids = raw.split(',').map((p) => parseValue({ ...spec, kind: 'pid', min: undefined, max: undefined }, p) as number);
      if (pids.length > limit) throw new UsageError(`${flag}: at most ${limit} pids`);
      return [...new Set(pids)];
    }
    case 'pid':
    case 'uint': {
      if (!/^\d+$/.test(raw)) throw new UsageError(`${flag}: ${quoted(raw)} is not a non-negative integer`);
      const n = Number(raw);
      if (!Number.isSafeInteger(n)) throw new UsageError(`${flag}: ${quoted(raw)} is too large`);
      if (spec.kind === 'pid' && n > PID_MAX) throw new UsageError(`${flag}: ${raw} is above the largest pid (${PID_MAX})`);
      if (spec.min !== undefined && n < spec.min) throw new UsageError(`${flag}: must be at least ${spec.min}`);
      if (spec.max !== undefined && n > spec.max) throw new UsageError(`${flag}: must be at most ${spec.max}`);
      if (spec.kind === 'pid' && n === 0) throw new UsageError(`${flag}: pid must be positive`);
      return n;
    }
    case 'seconds': {
      if (!/^\d+(\.\d{1,3})?$/.test(raw))
        throw new UsageError(`${flag}: ${quoted(raw)} is not a number of seconds (decimals to the ms, e.g. 0.5)`);
      const n = Number(raw);
      if (spec.max !== undefined && n > spec.max) throw new UsageError(`${flag}: must be at most ${spec.max}`);
      return n;
    }
    case 'enum': {
      const choice = spec.choiceAliases?.[raw] ?? raw;
      if (!spec.choices?.includes(choice)) throw new UsageError(`${flag}: ${quoted(raw)} is not one of ${spec.choices?.join(', ')}`);
      return choice;
    }
    case 'string':
      return raw;
    case 'mac': {
      const mac = parseMac(raw);
      if (!mac) throw new UsageError(`${flag}: ${quoted(raw)} is not a MAC address (aa:bb:cc:dd:ee:ff)`);
      return formatMac(mac);
    }
    case 'ethertype': {
      const type = parseEthertype(raw);
      if (!type) throw new UsageError(`${flag}: ${quoted(raw)} is not an EtherType (0x0800, 2048, ipv4, arp...)`);
      return type;
    }
    case 'flow-rules':
      return readFlowRules(raw, flag);
    case 'flag':
      return true;
  }
}

/** Parses argv against the schema. Unknown options and missing values are UsageErrors. */
export function parseOptions(schema: OptionsSchema, argv: string[], context: string): Record<string, unknown> {
  const byLong = new Map<string, [string, OptionSpec]>();
  const byShort = new Map<string, [string, OptionSpec]>();
  for (const [key, spec] of Object.entries(schema)) {
    for (const name of [spec.long, ...(spec.aliases ?? [])]) byLong.set(name, [key, spec]);
    if (spec.short) byShort.set(spec.short, [key, spec]);
  }
  const positional = Object.entries(schema).filter(([, spec]) => spec.positional);
  const values: Record<string, unknown> = {};
  // With a `netns` option in the schema, interface options are resolved after every option is
  // read, inside that namespace (whatever the order on the command line).
  const netnsKey = Object.keys(schema).find((k) => schema[k].kind === 'netns');
  const deferred: [string, OptionSpec, string][] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    let entry: [string, OptionSpec] | undefined;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const [name, value] = arg.slice(2).split(/=(.*)/s, 2);
      entry = byLong.get(name);
      inline = value;
    } else if (/^-[A-Za-z]$/.test(arg)) {
      entry = byShort.get(arg[1]);
    } else {
      const next = positional.find(([key]) => !(key in values));
      if (!next) throw new UsageError(`${context}: unexpected argument ${quoted(arg)}`);
      values[next[0]] = parseValue(next[1], arg);
      continue;
    }
    if (!entry) throw new UsageError(`${context}: unknown option ${quoted(arg)}`);
    const [key, spec] = entry;
    if (spec.kind === 'flag') {
      if (inline !== undefined) throw new UsageError(`--${spec.long} takes no value`);
      values[key] = true;
      continue;
    }
    const raw = inline ?? argv[++i];
    if (raw === undefined || (inline === undefined && raw.startsWith('-') && raw.length > 1 && !/^-\d/.test(raw)))
      throw new UsageError(`--${spec.long} needs a value`);
    checkLength(`--${spec.long}`, raw);
    if (netnsKey && spec.kind === 'interface') deferred.push([key, spec, raw]);
    else values[key] = parseValue(spec, raw);
  }
  if (netnsKey && deferred.length) {
    // An interface without --netns is the one in nettrace's own namespace, and the kernel filter says so.
    const ns = (values[netnsKey] as NetnsValue | undefined) ?? currentNetns();
    values[netnsKey] = ns;
    for (const [key, spec, raw] of deferred)
      values[key] = { ...interfaceValue(spec, raw, (name) => ifindexInNetns(ns, name, `--${spec.long}`)), netns: ns.name };
  }
  refuseRulesWithFilter(schema, values);
  for (const [key, spec] of Object.entries(schema)) {
    if (!(key in values) && spec.default !== undefined) values[key] = spec.default;
    if (spec.required && !(key in values) && !values.help)
      throw new UsageError(`${context}: ${spec.positional ? `${placeholder(spec)} (or --${spec.long})` : `--${spec.long}`} is required`);
  }
  return values;
}

/** The single filter's variables (filter.bpf.h): a rules file replaces them, so both at once is
 * a mistake to say, not to resolve silently (BCC ignored the command-line filter then). */
const SINGLE_FILTER = new Set(['cfg_src_ip', 'cfg_dst_ip', 'cfg_src_port', 'cfg_dst_port', 'cfg_protocol']);

function refuseRulesWithFilter(schema: OptionsSchema, values: Record<string, unknown>): void {
  const rules = Object.entries(schema).find(([, s]) => s.kind === 'flow-rules');
  if (!rules || values[rules[0]] === undefined) return;
  const clash = Object.entries(schema).find(([k, s]) => s.rodata && SINGLE_FILTER.has(s.rodata) && values[k] !== undefined);
  if (clash) throw new UsageError(`--${rules[1].long} and --${clash[1].long} exclude each other: put the filter into a rule of the file`);
}

/** Rejects plugin schemas that break the shared vocabulary (checked when a plugin is defined). */
export function checkSchema(id: string, schema: OptionsSchema): void {
  const vocabLetters = new Map<string, string>();
  for (const make of Object.values(vocabulary) as (() => OptionSpec)[]) {
    const s = make();
    if (s.short) vocabLetters.set(s.short, s.long);
  }
  for (const s of Object.values(runnerOptions)) if (s.short) vocabLetters.set(s.short, s.long);
  const seen = new Set<string>(Object.values(runnerOptions).map((s) => s.long));
  for (const spec of Object.values(schema)) {
    for (const name of [spec.long, ...(spec.aliases ?? [])]) {
      if (seen.has(name)) throw new Error(`plugin ${id}: option --${name} is declared twice or shadows a runner option`);
      seen.add(name);
    }
    if (spec.short && vocabLetters.get(spec.short) !== spec.long)
      throw new Error(
        `plugin ${id}: -${spec.short} belongs to --${vocabLetters.get(spec.short) ?? '(unassigned)'}; short letters come only from the shared vocabulary`,
      );
  }
}

/** How a positional option appears in usage lines: `--qemu-pid` → `QEMU_PID`. */
export function placeholder(spec: OptionSpec): string {
  return spec.long.toUpperCase().replace(/-/g, '_');
}

export function formatHelp(schema: OptionsSchema): string {
  const rows = Object.values(schema).map((s) => {
    const names = `${s.short ? `-${s.short}, ` : '    '}${s.positional ? `${placeholder(s)}, ` : ''}--${s.long}${s.kind === 'flag' ? '' : ` <${s.choices ? s.choices.join('|') : s.kind === 'flow-rules' ? 'file' : s.kind}>`}`;
    const extra = [
      s.required && 'required',
      s.unit && `unit: ${s.unit}`,
      s.default !== undefined && s.default !== false && `default: ${String(s.default)}`,
      s.aliases?.length && `also ${s.aliases.map((a) => `--${a}`).join(', ')}`,
      s.choiceAliases &&
        Object.entries(s.choiceAliases)
          .map(([a, c]) => `${a} = ${c}`)
          .join(', '),
    ]
      .filter(Boolean)
      .join(', ');
    return [names, `${s.description}${extra ? ` (${extra})` : ''}`];
  });
  const width = Math.max(...rows.map((r) => r[0].length)) + 2;
  return rows.map(([a, b]) => `  ${a.padEnd(width)}${b}`).join('\n');
}
