// User-space symbolisation on real processes: a C program (tooling/test-support/blocker-program.ts)
// prints the run-time address of its function nt_block_here(); UserSymbols must name that address
// through /proc/PID/maps and the ELF file's .symtab, or its .gnu_debugdata when stripped, give
// module+offset when the file has no symbol for it, and "[unknown]" once the process has exited.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BlockerPrograms, buildBlockerPrograms } from '../../../tooling/test-support/blocker-program.js';
import { readElfSymbols } from '../src/kernel/elf-symbols.js';
import { UNKNOWN_FRAME, UserSymbols } from '../src/kernel/user-symbols.js';

let programs: BlockerPrograms;
const running: ChildProcess[] = [];

beforeAll(() => {
  programs = buildBlockerPrograms();
});
afterAll(() => {
  for (const c of running) c.kill('SIGKILL');
});

/** Starts a variant and waits for the address of nt_block_here it prints. */
async function start(path: string): Promise<{ child: ChildProcess; addr: bigint }> {
  const child = spawn(path, ['1', '1'], { stdio: ['pipe', 'pipe', 'inherit'] });
  running.push(child);
  let out = '';
  while (!/addr (0x[0-9a-f]+)\n/.test(out)) out += String((await once(child.stdout!, 'data'))[0]);
  return { child, addr: BigInt(/addr (0x[0-9a-f]+)/.exec(out)![1]) };
}

describe('ELF symbols', () => {
  it('finds nt_block_here in .symtab, in .gnu_debugdata, and not in a stripped file', () => {
    const names = (f: string) => readElfSymbols(f).tables.flatMap((t) => t.names());
    expect(names(programs.symbols)).toContain('nt_block_here');
    expect(names(programs.minidebug)).toContain('nt_block_here');
    expect(names(programs.stripped)).not.toContain('nt_block_here');
  });

  it('a file that is not ELF has no symbols (no exception)', () => {
    expect(readElfSymbols('/proc/self/status').hasSymbols).toBe(false);
    expect(readElfSymbols('/nonexistent').hasSymbols).toBe(false);
  });
});

describe('UserSymbols on live processes', () => {
  it('names an address inside nt_block_here in each variant; [unknown] after exit', async () => {
    for (const [variant, path] of Object.entries(programs)) {
      const { child, addr } = await start(path);
      const symbols = new UserSymbols();
      const frame = symbols.symbolize(child.pid!, addr + 4n);
      const module = path.split('/').pop();
      if (variant === 'stripped') expect(frame, variant).toMatch(new RegExp(`^${module}\\+0x[0-9a-f]+$`));
      else expect(frame, variant).toBe(`nt_block_here+0x4 [${module}]`);
      child.kill('SIGKILL');
      await once(child, 'exit');
      // A run that meets the process only after it has exited cannot name anything.
      expect(new UserSymbols().symbolize(child.pid!, addr)).toBe(UNKNOWN_FRAME);
      // One that saw it alive keeps its mappings after a refresh.
      symbols.forget();
      expect(symbols.symbolize(child.pid!, addr + 4n)).toBe(frame);
    }
  });
});
