// kernel-icmp-rtt: per ICMP echo, how the round trip splits inside the local kernel. One session
// follows a request and its reply (stage engine in round-trip mode, keyed by the packets' own
// addresses, echo id and sequence): the local path of the first packet, the time until the second
// (tx: the wire and the remote host; rx: this host's echo handling), and the second's local path.
import {
  configureStages,
  definePlugin,
  icmpRttProfile,
  monotonicToClock,
  NtPktKeyLayout,
  NtStageSessionLayout,
  type OptionValues,
  type Profile,
  pathSection,
  profileHooks,
  type ReportSection,
  roundTripSplit,
  runTables,
  sessionRow,
  sessionsSection,
  stageOptions,
  stageRun,
  vocabulary,
} from '@nettrace/core';
import { contract } from './kernel_icmp_rtt.gen.js';

const options = {
  srcIp: vocabulary.srcIp({
    required: true,
    description: 'the host that sends the echo requests (BCC: who pings); with --dst-ip it names the pair, in either order',
  }),
  dstIp: vocabulary.dstIp({ required: true, description: 'the host that answers them' }),
  interface: {
    kind: 'interface',
    long: 'interface',
    description: 'only count the device stages on this interface (named in --netns); default: any device',
  },
  netns: vocabulary.netns(),
  direction: vocabulary.direction({
    choices: ['tx', 'rx'],
    default: 'tx',
    description: 'tx: this host pings (request out, reply in); rx: this host is pinged (request in, reply out)',
  }),
  latencyMs: {
    kind: 'uint',
    long: 'latency-ms',
    description: 'report only round trips whose first to last observed stage took at least this long',
    unit: 'ms',
    default: 0,
  },
  kernelStacks: {
    kind: 'flag',
    long: 'kernel-stacks',
    description:
      'take a kernel stack at every stage of every echo (in JSON: stages[].stack; BCC printed them unless --disable-kernel-stacks)',
    default: false,
  },
  maxSessions: stageOptions.maxSessions(),
} as const;

/** Without --interface the device stages count on any device (as BCC did). */
const unbound: Profile = {
  ...icmpRttProfile,
  tx: icmpRttProfile.tx?.map(({ device: _, ...s }) => s),
  rx: icmpRttProfile.rx?.map(({ device: _, ...s }) => s),
};
const profileOf = (o: OptionValues<typeof options>) => (o.interface ? icmpRttProfile : unbound);
const run = (o: OptionValues<typeof options>) => stageRun('kernel-icmp-rtt', profileOf(o), o, { phy: o.interface }, []);

const us = (ns: number | null) => (ns === null ? '-' : (ns / 1000).toFixed(3));

/** Echoes still without their last stage at the end: lost on the way (a dropped request or reply),
 * still in flight, or begun before the run. */
function unfinishedSection(ctx: { entries: (...a: never[]) => unknown }, p: Profile, o: OptionValues<typeof options>): ReportSection {
  const entries = (ctx.entries as (m: string, k: typeof NtPktKeyLayout, v: typeof NtStageSessionLayout) => { value: never }[])(
    'stage_sessions',
    NtPktKeyLayout,
    NtStageSessionLayout,
  );
  const rows = entries
    .map((e) => e.value as Parameters<typeof sessionRow>[1])
    .filter((s) => (s.dir === 0 ? 'tx' : 'rx') === o.direction)
    .map((s) => {
      const r = sessionRow(p, s);
      const split = roundTripSplit(p, s);
      return {
        src_ip: r.src_ip,
        dst_ip: r.dst_ip,
        icmp_id: r.icmp_id,
        icmp_seq: r.icmp_seq,
        reached: split.reached,
        request_path_ns: split.request_path_ns,
      };
    })
    .sort((a, b) => (a.icmp_id ?? 0) - (b.icmp_id ?? 0) || (a.icmp_seq ?? 0) - (b.icmp_seq ?? 0));
  return {
    kind: 'table',
    key: 'unfinished',
    title: 'Echoes without their last stage at the end (lost request or reply, or still in flight)',
    columns: [
      { key: 'flow', header: 'REQUEST', value: (r) => `${r.src_ip} > ${r.dst_ip}` },
      { key: 'icmp_id', header: 'ID' },
      { key: 'icmp_seq', header: 'SEQ' },
      { key: 'reached', header: 'STAGES REACHED', value: (r) => (r.reached as string[]).join(' ') },
    ],
    rows,
  };
}

export default definePlugin({
  id: 'kernel-icmp-rtt',
  summary: 'Per ICMP echo: local request path, wire + remote (or local echo handling), local reply path',
  description:
    "Follows each ICMP echo request and its reply between --src-ip (the pinger) and --dst-ip as one session keyed by the packets' own addresses, echo id and sequence (so concurrent pingers never mix), stamping the IP output, device queue, driver hand-off, device receive, ip_rcv and icmp_rcv of each packet. One record per round trip: the request's path through this kernel, the time between the last request stage and the first reply stage (tx: the wire and the remote host; rx: this host's echo handling) and the reply's path. On kernels without kprobes/fentry it runs on the device tracepoints and says which stages it lost.",
  contract,
  options,
  hooks: profileHooks<typeof contract, keyof typeof options>(icmpRttProfile),
  configure(cfg, o, ctx) {
    configureStages(cfg, profileOf(o), run(o), ctx, {
      details: true,
      thresholdNs: (o.latencyMs ?? 0) * 1e6,
      maxSessions: o.maxSessions,
      stacks: o.kernelStacks,
    });
    // Only ICMP between the two hosts is parsed further (echo requests and replies are followed).
    cfg.set('cfg_protocol', 1);
  },
  output: {
    kind: 'stream',
    layout: NtStageSessionLayout,
    columns: [
      { key: 'time', header: 'TIME', value: (r) => monotonicToClock((r.first_ns as number) + (r.total_ns as number)) },
      { key: 'request', header: 'REQUEST', value: (r) => `${r.src_ip} > ${r.dst_ip}` },
      { key: 'icmp_id', header: 'ID' },
      { key: 'icmp_seq', header: 'SEQ' },
      { key: 'request_path_ns', header: 'REQ-PATH(us)', value: (r) => us(r.request_path_ns as number | null) },
      { key: 'inter_path_ns', header: 'INTER(us)', value: (r) => us(r.inter_path_ns as number | null) },
      { key: 'reply_path_ns', header: 'REPLY-PATH(us)', value: (r) => us(r.reply_path_ns as number | null) },
      { key: 'total_ns', header: 'TOTAL(us)', value: (r) => us(r.total_ns as number) },
      {
        key: 'stages',
        header: 'STAGES (+us since the previous)',
        value: (r) =>
          (r.stages as { stage: string; delta_ns: number }[])
            .map((s, i) => (i ? `${s.stage} +${(s.delta_ns / 1000).toFixed(1)}` : s.stage))
            .join(' '),
      },
      {
        key: 'stacks',
        header: 'KERNEL STACKS (--kernel-stacks: per stage, innermost 3 frames)',
        value: (r) =>
          (r.stages as { stage: string; stack?: string[] }[])
            .filter((s) => s.stack)
            .map((s) => `${s.stage}: ${(s.stack as string[]).slice(0, 3).join(' < ') || 'unavailable'}`)
            .join(' | '),
      },
    ],
    row: (s, ctx) => {
      const p = profileOf(ctx.options);
      const { reached: _, ...split } = roundTripSplit(p, s);
      const stacks = ctx.options.kernelStacks ? { kernelStack: (id: number) => ctx.kernelStack(id) } : {};
      return { ...sessionRow(p, s, stacks), ...split };
    },
    collect(ctx) {
      const p = profileOf(ctx.options);
      const r = run(ctx.options);
      const final = ctx.final ? [pathSection(p, runTables(p, r, ctx), r.directions), unfinishedSection(ctx as never, p, ctx.options)] : [];
      return { sections: [...final, sessionsSection(ctx, r.directions)] };
    },
  },
});
