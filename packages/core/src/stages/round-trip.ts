// Round-trip profiles (roundTrip: an ICMP echo request and its reply in one session): a completed
// or unfinished session split by leg into the local path of the first packet, the time between
// the two packets (the wire and the remote host when we send the request, this host's echo
// handling when we answer one) and the local path of the second packet.
import { monotonicToClock } from '../kernel/clock.js';
import type { RunContext } from '../plugin/context.js';
import type { Column, ReportSection } from '../plugin/report.js';
import { NtPktKeyLayout, type NtStageSession, NtStageSessionLayout } from '../shared_types.gen.js';
import { DIRECTIONS, type Direction, type Profile } from './profile.js';
import { sessionRow } from './report.js';

export interface RoundTripSplit {
  /** First to last stamped stage of the request's leg (0 with one stage; null when none). */
  request_path_ns: number | null;
  /** Last request stage to first reply stage; null until the reply was seen. */
  inter_path_ns: number | null;
  reply_path_ns: number | null;
  /** Stages stamped, in path order (the ones a packet lost show where it stopped). */
  reached: string[];
}

export function roundTripSplit(p: Profile, s: NtStageSession): RoundTripSplit {
  const specs = p[DIRECTIONS[s.dir] ?? 'tx'] ?? [];
  const stamped = specs.map((spec, pos) => ({ spec, ts: s.marks[pos]?.ts_ns ?? 0 })).filter((x) => x.ts > 0);
  const leg = (name: 'request' | 'reply') => stamped.filter((x) => (x.spec.leg ?? 'request') === name).map((x) => x.ts);
  const span = (ts: number[]) => (ts.length ? Math.max(...ts) - Math.min(...ts) : null);
  const req = leg('request');
  const rep = leg('reply');
  return {
    request_path_ns: span(req),
    inter_path_ns: req.length && rep.length ? Math.min(...rep) - Math.max(...req) : null,
    reply_path_ns: span(rep),
    reached: stamped.map((x) => x.spec.name),
  };
}

/** Echoes still without their last stage at the end of a round-trip run (final report): lost on
 * the way (a dropped request or reply), still in flight, or begun before the run. */
export function unfinishedSection(ctx: Pick<RunContext, 'entries'>, p: Profile, direction: Direction): ReportSection {
  const rows = ctx
    .entries('stage_sessions', NtPktKeyLayout, NtStageSessionLayout)
    .map((e) => e.value)
    .filter((s) => DIRECTIONS[s.dir] === direction)
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

const us = (ns: number | null) => (ns === null ? '-' : (ns / 1000).toFixed(3));

/** One completed echo as a round-trip plugin streams it: the session row (stages in order, with
 * each stage's kernel stack when `kernelStack` is given) and its split by leg. */
export function roundTripRow(p: Profile, s: NtStageSession, kernelStack?: (stackId: number) => string[]) {
  const { reached: _, ...split } = roundTripSplit(p, s);
  return { ...sessionRow(p, s, kernelStack ? { kernelStack } : {}), ...split };
}

/** The table columns of roundTripRow(); `stacksHeader` says when the stacks column is filled. */
export function roundTripColumns(stacksHeader: string): Column[] {
  return [
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
      header: stacksHeader,
      value: (r) =>
        (r.stages as { stage: string; stack?: string[] }[])
          .filter((s) => s.stack)
          .map((s) => `${s.stage}: ${(s.stack as string[]).slice(0, 3).join(' < ') || 'unavailable'}`)
          .join(' | '),
    },
  ];
}
