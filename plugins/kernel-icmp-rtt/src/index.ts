// kernel-icmp-rtt: per ICMP echo, how the round trip splits inside the local kernel. One session
// follows a request and its reply (stage engine in round-trip mode, keyed by the packets' own
// addresses, echo id and sequence): the local path of the first packet, the time until the second
// (tx: the wire and the remote host; rx: this host's echo handling), and the second's local path.
import {
  configureStages,
  definePlugin,
  icmpRttProfile,
  NtStageSessionLayout,
  type OptionValues,
  type Profile,
  pathSection,
  profileHooks,
  roundTripColumns,
  roundTripRow,
  runTables,
  sessionsSection,
  stageOptions,
  stageRun,
  unfinishedSection,
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
    columns: roundTripColumns('KERNEL STACKS (--kernel-stacks: per stage, innermost 3 frames)'),
    row: (s, ctx) => roundTripRow(profileOf(ctx.options), s, ctx.options.kernelStacks ? (id) => ctx.kernelStack(id) : undefined),
    collect(ctx) {
      const p = profileOf(ctx.options);
      const r = run(ctx.options);
      const final = ctx.final
        ? [pathSection(p, runTables(p, r, ctx), r.directions), unfinishedSection(ctx, p, ctx.options.direction as 'tx' | 'rx')]
        : [];
      return { sections: [...final, sessionsSection(ctx, r.directions)] };
    },
  },
});
