// Every option of every plugin (and of the runner), fed malformed, out-of-range and hostile values
// generated from its schema: `nettrace run` must refuse each with exit 2 and one line that names
// the option, before anything loads (no stack trace, nothing printed on stdout). The CLI runs
// in-process (its main() with captured output): a value that slipped through would load and
// attach the plugin (--exit-after-attach) and exit 0 or 1, which fails the case.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../packages/cli/dist/index.js';
import { type OptionSpec, runnerOptions } from '../../packages/core/dist/index.js';

const PLUGINS = join(__dirname, '../../plugins');
const HOSTILE = ['$(touch /tmp/nettrace-pwned)', '; rm -rf /', `${'9'.repeat(4096)}`, '../../../../etc/passwd', 'ä\u202e1', ' '];

/** Values the option's kind can never accept, then its range's edges. */
function badValues(o: OptionSpec): string[] {
  switch (o.kind) {
    case 'ip':
      return ['1.2.3.999', '1.2.3', 'example.com', '::g', '10.0.0.1/24', ...HOSTILE];
    case 'port':
      return ['65536', '-1', '1.5', 'http', '0x', ...HOSTILE];
    case 'protocol':
      return ['nosuchproto', '256', '-1', ...HOSTILE];
    case 'uint':
      return [
        'abc',
        '-1',
        '1.5',
        '1e3',
        '0x10',
        '18446744073709551616',
        ...(o.max !== undefined ? [String(o.max + 1)] : []),
        ...(o.min ? [String(o.min - 1)] : []),
        ...HOSTILE,
      ];
    case 'seconds':
      return ['abc', '-1', '1e3', '0.0001', '.5', '0x10', ...(o.max !== undefined ? [String(o.max + 1)] : []), ...HOSTILE];
    case 'pid':
      return ['abc', '-5', '1.5', '4294967296', ...HOSTILE];
    case 'pid-list':
      return ['abc', '1,', ',1', '1,,2', '1,x', '0', '1,-5', Array.from({ length: (o.max ?? 16) + 1 }, (_, i) => i + 1).join(','), ...HOSTILE];
    case 'enum':
      return ['bogus', (o.choices?.[0] ?? '').toUpperCase() === o.choices?.[0] ? 'bogus2' : (o.choices?.[0] ?? '').toUpperCase(), ...HOSTILE];
    case 'interface':
      return ['nosuch0', 'x'.repeat(16), ...HOSTILE];
    case 'netns':
      return ['no-such-netns-nettrace', '/proc/self/status', ...HOSTILE];
    case 'mac':
      return ['aa:bb:cc:dd:ee', 'aa:bb:cc:dd:ee:fg', '1.2.3.4', 'aa:bb:cc:dd:ee:ff:00', ...HOSTILE];
    case 'ethertype':
      return ['0x10000', '65536', 'nosuchtype', '-1', '0', ...HOSTILE];
    case 'flow-rules':
      return ['/no/such/rules.json', '/proc/self/status', '/', ...HOSTILE];
    default:
      return []; // flags take no value; free strings (paths) are checked where they are used
  }
}

async function inProcess(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(...l.split('\n')) });
  return { code, out, err };
}

const ids = readdirSync(PLUGINS).filter((id) => !id.startsWith('.'));

describe('bad option values: exit 2, one line naming the option, nothing loaded', () => {
  for (const id of ids) {
    const manifest = JSON.parse(readFileSync(join(PLUGINS, id, 'dist/manifest.json'), 'utf8')) as { options: Record<string, OptionSpec> };
    // The runner's options once (through the first plugin), each plugin's own everywhere.
    const options = { ...(id === ids[0] ? runnerOptions : {}), ...manifest.options };
    const cases = Object.values(options).flatMap((o) => badValues(o).map((v) => [o, v] as const));
    it(`${id}: ${cases.length} bad values`, async () => {
      for (const [o, value] of cases) {
        // The CLI refuses a bad value without real I/O, so these awaits never leave the microtask
        // queue: yield to the event loop, or the worker answers vitest's RPC (60 s timeout) only
        // after the whole file, which a loaded machine stretches past it ("Timeout calling onTaskUpdate").
        await new Promise((resolve) => setImmediate(resolve));
        const r = await inProcess(['run', id, `--${o.long}`, value, '--exit-after-attach']);
        const what = `${id} --${o.long} ${JSON.stringify(value.slice(0, 40))}`;
        expect(r.code, `${what}: ${r.err.join(' | ')}`).toBe(2);
        expect(r.err, what).toHaveLength(1);
        expect(r.err[0], what).toMatch(new RegExp(`--(${[o.long, ...(o.aliases ?? [])].join('|')})\\b`));
        expect(r.err[0].length, what).toBeLessThan(400);
        expect(r.out, what).toEqual([]);
      }
    }, 120_000);
  }
});
