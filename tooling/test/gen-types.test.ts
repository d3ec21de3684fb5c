// The generated decoders: the allocation-free forms (create + decode<Name>Into, read<Name><Field>,
// <Name>Offsets) must agree with decode<Name> on arbitrary bytes, for nested structs and u64
// arrays (the bench's records) and byte arrays (the loss fixture's); decode<Name> keeps its
// shape for existing plugins.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { buildBpf } from '../src/bpf-build.mjs';
import { generateDecoders } from '@nettrace/plugin-tools';
import { repoRoot } from '../src/paths.mjs';

type Gen = Record<string, unknown>;
type Fn = (...args: unknown[]) => unknown;

async function load(obj: string, structs: string[], name: string): Promise<{ text: string; gen: Gen }> {
  const text = generateDecoders(obj, structs, name);
  const dir = join(repoRoot, 'tooling/.cache/test-gen');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.mjs`);
  writeFileSync(file, transformSync(text, { loader: 'ts', format: 'esm' }).code);
  return { text, gen: (await import(`${pathToFileURL(file).href}?${Date.now()}`)) as Gen };
}

function randomView(size: number): DataView {
  const bytes = new Uint8Array(size + 16);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 131 + 7) & 0xff;
  // u64 fields decode to Numbers: keep every high half below 2^21 so values stay exact.
  for (let i = 7; i < bytes.length; i += 8) bytes[i] = 0;
  return new DataView(bytes.buffer, 8);
}

describe('gen-types allocation-free decoders', () => {
  const cases = [
    { pkg: 'tooling/bench', obj: 'dist/rbbench.bpf.o', structs: ['bench_event', 'bench_event_big'], top: ['BenchEvent', 'BenchEventBig'] },
    { pkg: 'packages/core/test/fixtures/loss-burst', obj: 'dist/loss_burst.bpf.o', structs: ['burst_event'], top: ['BurstEvent'] },
  ];
  for (const c of cases) {
    it(`${c.structs.join(', ')}: decodeInto, field readers and offsets agree with decode`, async () => {
      buildBpf(join(repoRoot, c.pkg));
      const { text, gen } = await load(join(repoRoot, c.pkg, c.obj), c.structs, c.structs[0]);
      for (const name of c.top) {
        const size = gen[`${name}Size`] as number;
        const view = randomView(size);
        const fresh = (gen[`decode${name}`] as Fn)(view, 8) as Record<string, unknown>;
        const target = (gen[`create${name}`] as Fn)();
        const into = (gen[`decode${name}Into`] as Fn)(target, view, 8);
        expect(into).toBe(target);
        expect(into).toEqual(fresh);
        // Decoding again into the same object (other bytes) fully overwrites it.
        const other = randomView(size + 8);
        expect((gen[`decode${name}Into`] as Fn)(target, other, 16)).toEqual((gen[`decode${name}`] as Fn)(other, 16));
        const layout = gen[`${name}Layout`] as { decode: Fn; create: Fn; decodeInto: Fn; size: number };
        expect(layout).toMatchObject({ size, decode: gen[`decode${name}`], create: gen[`create${name}`], decodeInto: gen[`decode${name}Into`] });
        const offsets = gen[`${name}Offsets`] as Record<string, number>;
        for (const [field, value] of Object.entries(fresh)) {
          expect(offsets[field]).toBeTypeOf('number');
          const reader = gen[`read${name}${field.replace(/(^|_)([a-z0-9])/g, (_, __, ch: string) => ch.toUpperCase())}`] as Fn | undefined;
          if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
            expect(reader, `read accessor for ${name}.${field}`).toBeTypeOf('function');
            expect(reader?.(view, 8)).toEqual(value);
          }
        }
      }
      // The existing API is unchanged: interfaces, decode<Name>, <Name>Size, <Name>Layout.
      for (const name of c.top) {
        expect(text).toMatch(new RegExp(`export interface ${name} \\{`));
        expect(text).toMatch(new RegExp(`export function decode${name}\\(v: DataView, o: number\\): ${name} \\{`));
      }
    });
  }
});
