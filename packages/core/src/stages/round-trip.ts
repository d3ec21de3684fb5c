// Round-trip profiles (roundTrip: an ICMP echo request and its reply in one session): a completed
// or unfinished session split by leg into the local path of the first packet, the time between
// the two packets (the wire and the remote host when we send the request, this host's echo
// handling when we answer one) and the local path of the second packet.
import type { NtStageSession } from '../shared_types.gen.js';
import { DIRECTIONS, type Profile } from './profile.js';

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
