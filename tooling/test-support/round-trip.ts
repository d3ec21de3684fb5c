// Records of the round-trip stage plugins (kernel-icmp-rtt, system-network-icmp-rtt): one per ICMP
// echo, and the checks every one must pass whatever the kernel observed: its stages in path order,
// time never going back, and the three legs adding up to the round trip.
import { expect } from 'vitest';

export interface RoundTripRec {
  type: string;
  direction: string;
  src_ip: string;
  dst_ip: string;
  icmp_id: number;
  icmp_seq: number;
  total_ns: number;
  request_path_ns: number | null;
  inter_path_ns: number | null;
  reply_path_ns: number | null;
  stages: { stage: string; ts_ns: number; delta_ns: number; stack?: string[] }[];
}

/** The stream's records, in order. */
export const roundTrips = (records: Record<string, unknown>[]) => records.filter((r) => r.type === 'event') as unknown as RoundTripRec[];

/** Stages named in `order` (the profile's path, every stage present when `all`), time monotonic,
 * request + inter + reply = total = last stage - first stage. */
export function expectRoundTrip(r: RoundTripRec, order: string[]) {
  const names = r.stages.map((s) => s.stage);
  expect(names, `seq ${r.icmp_seq}`).toEqual(order.filter((n) => names.includes(n)));
  const ts = r.stages.map((s) => s.ts_ns);
  for (let i = 1; i < ts.length; i++) expect(ts[i]).toBeGreaterThanOrEqual(ts[i - 1] as number);
  expect(r.total_ns).toBe((ts.at(-1) as number) - (ts[0] as number));
  expect((r.request_path_ns as number) + (r.inter_path_ns as number) + (r.reply_path_ns as number)).toBe(r.total_ns);
}
