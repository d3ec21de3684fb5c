// kallsyms on the live kernel: the table read and parsed on a thread-pool thread (what a run with
// kernel stacks uses) symbolises like the one read here, and a loaded program's JIT-compiled
// functions (BpfObject.programSymbols) are where and as kallsyms names them. Root.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildBpf } from '../../../tooling/src/bpf-build.mjs';
import { BpfObject, KernelSymbols } from '../src/index.js';

const FIXTURE = join(__dirname, 'fixtures/loss-burst');

beforeAll(() => {
  buildBpf(FIXTURE);
});

describe('kernel symbols, live', () => {
  it('loadAsync() and load() give the same symbol for addresses across the table', async () => {
    const [ahead, here] = [await KernelSymbols.loadAsync(), KernelSymbols.load()];
    expect(ahead.length).toBe(here.length);
    expect(ahead.length).toBeGreaterThan(10_000);
    // Every 97th text symbol of the file, 3 bytes in.
    const lines = (await import('node:fs')).readFileSync('/proc/kallsyms', 'latin1').split('\n');
    const text = lines.filter((l) => / [tTwW] /.test(l)).filter((_, i) => i % 97 === 0);
    for (const line of text) {
      const address = BigInt(`0x${line.slice(0, line.indexOf(' '))}`) + 3n;
      expect(ahead.symbolize(address)).toBe(here.symbolize(address));
    }
    await expect(KernelSymbols.loadAsync('/nonexistent/kallsyms')).rejects.toThrow(/nonexistent\/kallsyms: No such file/);
  });

  it("a loaded program's functions are where kallsyms lists them, named alike", () => {
    const obj = BpfObject.open(join(FIXTURE, 'dist/loss_burst.bpf.o'), { name: 'ksyms-live' });
    try {
      obj.load();
      const program = obj.programs()[0].name;
      const functions = obj.programSymbols(program);
      expect(functions.length).toBeGreaterThan(0);
      const fresh = KernelSymbols.load(); // read after the load: lists the program
      for (const f of functions) {
        expect(f.name).toMatch(/^bpf_prog_[0-9a-f]{16}_/);
        expect(f.length).toBeGreaterThan(0);
        expect(fresh.symbolize(f.address + 1n)).toBe(`${f.name}+0x1 [bpf]`);
      }
    } finally {
      obj.close();
    }
  });
});
