// --filters-file: several flow filters at once, as BCC's trace_conntrack reads them, a JSON list of
// {src_ip, dst_ip, protocol, src_port, dst_port} (each optional). BCC parsed up to ten and applied
// only the first; here every rule is applied in the kernel (bpf-headers/nettrace/flow_rules.bpf.h)
// and a flow passes when any rule matches.
import { readFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { UsageError } from '../errors.js';
import { type IpAddress, parseIp, parsePort, parseProtocol } from '../kernel/net.js';

export interface FlowRule {
  srcIp?: IpAddress;
  dstIp?: IpAddress;
  /** 0: any protocol. */
  protocol: number;
  srcPort?: number;
  dstPort?: number;
}

const KEYS = ['src_ip', 'dst_ip', 'protocol', 'src_port', 'dst_port'];
/** A rules file is a handful of lines; anything this large is the wrong file. */
const MAX_FILE_BYTES = 64 * 1024;

/** Reads and checks a rules file; every mistake is a UsageError naming the flag and the rule. */
export function readFlowRules(path: string, flag: string): FlowRule[] {
  let text: string;
  try {
    text = readFileSync(path, { encoding: 'utf8', flag: 'r' });
  } catch (err) {
    throw new UsageError(`${flag}: cannot read '${path}': ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (text.length > MAX_FILE_BYTES) throw new UsageError(`${flag}: '${path}' is larger than ${MAX_FILE_BYTES} bytes`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new UsageError(`${flag}: '${path}' is not JSON (expected a list of rules like [{"src_ip": "10.0.0.1", "protocol": "tcp"}])`);
  }
  if (!Array.isArray(data)) throw new UsageError(`${flag}: '${path}' must hold a JSON list of rules`);
  if (data.length === 0) throw new UsageError(`${flag}: '${path}' holds no rules`);
  return data.map((rule, i) => parseRule(rule, `${flag}: rule ${i + 1}`));
}

function parseRule(rule: unknown, where: string): FlowRule {
  if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) throw new UsageError(`${where} is not an object`);
  const fields = rule as Record<string, unknown>;
  const unknown = Object.keys(fields).find((k) => !KEYS.includes(k));
  if (unknown) throw new UsageError(`${where}: unknown key '${unknown.slice(0, 40)}' (keys: ${KEYS.join(', ')})`);
  const text = (key: string): string | undefined => {
    const v = fields[key];
    if (v === undefined || v === null || v === '' || v === 0) return undefined; // BCC: absent or 0 = any
    if (typeof v !== 'string' && typeof v !== 'number') throw new UsageError(`${where}: ${key} must be a string or a number`);
    return String(v);
  };
  const ip = (key: string) => {
    const v = text(key);
    return v === undefined ? undefined : parseIp(v, `${where}: ${key}`);
  };
  const port = (key: string) => {
    const v = text(key);
    return v === undefined ? undefined : parsePort(v, `${where}: ${key}`);
  };
  const protocol = text('protocol');
  return {
    srcIp: ip('src_ip'),
    dstIp: ip('dst_ip'),
    protocol: protocol === undefined ? 0 : parseProtocol(protocol, `${where}: protocol`),
    srcPort: port('src_port'),
    dstPort: port('dst_port'),
  };
}

/** The rodata arrays of flow_rules.bpf.h (`<prefix>_count`, `<prefix>_protocol`...), one element
 * per rule; `limit` is the arrays' length in the object. Ports in host order, as filter.bpf.h. */
export function flowRulesRodata(rules: FlowRule[], prefix: string, limit: number, flag: string): [string, number | Uint8Array][] {
  if (rules.length > limit) throw new UsageError(`${flag}: ${rules.length} rules, at most ${limit}`);
  const protocol = new Uint8Array(limit);
  const family = { src: new Uint8Array(limit), dst: new Uint8Array(limit) };
  const ip = { src: new Uint8Array(limit * 16), dst: new Uint8Array(limit * 16) };
  const port = { src: new DataView(new ArrayBuffer(limit * 2)), dst: new DataView(new ArrayBuffer(limit * 2)) };
  rules.forEach((rule, r) => {
    protocol[r] = rule.protocol;
    for (const [side, addr, p] of [
      ['src', rule.srcIp, rule.srcPort],
      ['dst', rule.dstIp, rule.dstPort],
    ] as const) {
      if (addr) {
        family[side][r] = addr.family;
        ip[side].set(addr.bytes, r * 16);
      }
      port[side].setUint16(r * 2, p ?? 0, endianness() === 'LE');
    }
  });
  const bytes = (v: DataView) => new Uint8Array(v.buffer);
  const arrays = [rules.length, protocol, family.src, ip.src, family.dst, ip.dst, bytes(port.src), bytes(port.dst)];
  return flowRulesVariables(prefix).map((name, i) => [name, arrays[i]]);
}

/** flow_rules.bpf.h's variables, in the order flowRulesRodata() writes them. */
export function flowRulesVariables(prefix: string): string[] {
  return ['count', 'protocol', 'src_family', 'src_ip', 'dst_family', 'dst_ip', 'src_port', 'dst_port'].map((a) => `${prefix}_${a}`);
}
