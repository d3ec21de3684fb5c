// --filters-file rules as flow_rules.bpf.h reads them: parallel arrays, one element per rule
// (addresses 16 bytes each, ports in host order), the count first. The kernel side is proven by
// trace-conntrack's live and kernel tests.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { flowRulesRodata, readFlowRules } from '../src/plugin/flow-rules.js';

const dir = mkdtempSync(join(tmpdir(), 'nt-flow-rules-'));
afterAll(() => rmSync(dir, { recursive: true }));
const file = (rules: unknown) => {
  const path = join(dir, `${Math.random()}.json`);
  writeFileSync(path, JSON.stringify(rules));
  return path;
};

describe('flow rules', () => {
  it("reads BCC's rule file (absent, null, 0 and empty fields match all) and writes one array element per rule", () => {
    const rules = readFlowRules(
      file([
        { src_ip: '10.1.2.3', dst_ip: null, protocol: 'tcp', src_port: 0, dst_port: 8080 },
        { dst_ip: 'fd00::2', protocol: 'all', src_port: '53' },
      ]),
      '--filters-file',
    );
    const vars = Object.fromEntries(flowRulesRodata(rules, 'cfg_rules', 8, '--filters-file'));
    expect(vars.cfg_rules_count).toBe(2);
    expect([...(vars.cfg_rules_protocol as Uint8Array)]).toEqual([6, 0, 0, 0, 0, 0, 0, 0]);
    expect([...(vars.cfg_rules_src_family as Uint8Array)].slice(0, 2)).toEqual([2, 0]);
    expect([...(vars.cfg_rules_dst_family as Uint8Array)].slice(0, 2)).toEqual([0, 10]);
    expect([...(vars.cfg_rules_src_ip as Uint8Array).subarray(0, 4)]).toEqual([10, 1, 2, 3]);
    expect([...(vars.cfg_rules_dst_ip as Uint8Array).subarray(16, 32)]).toEqual([0xfd, ...Array(14).fill(0), 2]);
    const ports = (name: string) => {
      const b = vars[name] as Uint8Array;
      return Array.from({ length: 8 }, (_, i) => new DataView(b.buffer).getUint16(i * 2, true));
    };
    expect(ports('cfg_rules_src_port').slice(0, 2)).toEqual([0, 53]);
    expect(ports('cfg_rules_dst_port').slice(0, 2)).toEqual([8080, 0]);
    expect((vars.cfg_rules_src_ip as Uint8Array).length).toBe(8 * 16);
  });

  it('refuses more rules than the object holds, naming the flag', () => {
    const rules = readFlowRules(file(Array(3).fill({ protocol: 'udp' })), '--filters-file');
    expect(() => flowRulesRodata(rules, 'cfg_rules', 2, '--filters-file')).toThrow('--filters-file: 3 rules, at most 2');
  });

  it('refuses a rule that is not an object, a port out of range and a protocol it does not know', () => {
    expect(() => readFlowRules(file(['tcp']), '--filters-file')).toThrow('--filters-file: rule 1 is not an object');
    expect(() => readFlowRules(file([{ dst_port: 70000 }]), '--filters-file')).toThrow(/rule 1: dst_port: '70000' is not a port/);
    expect(() => readFlowRules(file([{}, { protocol: 'sctpx' }]), '--filters-file')).toThrow(/rule 2: protocol: 'sctpx' is not a protocol/);
  });
});
