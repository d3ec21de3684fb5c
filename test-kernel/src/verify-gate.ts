// The verifier gate: `nettrace verify --output json` inside a target, one JSON line per plugin
// ({plugin, kernel, status, reason?, programs: [{program, kind, target, loaded, attached, error?,
// verifierLog?}]}), turned into matrix cells and into failure text that names the kernel, the
// program and the verifier's own words.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Target } from './host.js';
import { repoRoot } from './paths.js';

export interface VerifyProgram {
  hook?: string;
  program: string;
  kind: string;
  target: string;
  loaded: boolean;
  attached: boolean;
  error?: string;
  verifierLog?: string;
}

export interface VerifyRecord {
  plugin: string;
  kernel: string;
  status: 'ok' | 'failed' | 'n/a';
  reason?: string;
  programs: VerifyProgram[];
}

export type CellState = 'ok' | 'loaded' | 'attached' | 'events verified' | 'n/a' | 'failed';

export interface Cell {
  state: CellState;
  /** Why: the n/a reason or the failure (program, error, verifier log). */
  detail?: string;
}

export const cliBin = path.join(repoRoot, 'packages/cli/dist/bin.js');

export function parseVerifyLines(stdout: string): VerifyRecord[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => {
      const r = JSON.parse(l) as VerifyRecord;
      if (typeof r.plugin !== 'string' || !['ok', 'failed', 'n/a'].includes(r.status) || !Array.isArray(r.programs)) {
        throw new Error(`nettrace verify printed a line that is not a verify record: ${l}`);
      }
      return r;
    });
}

/** "kernel K: plugin P: program X (kind:target) failed: error" plus the verifier log's last lines. */
export function describeFailure(kernel: string, r: VerifyRecord, logLines = 30): string {
  const bad = r.programs.filter((p) => p.error);
  if (bad.length === 0) return `kernel ${kernel}: plugin ${r.plugin} failed without a program error: ${JSON.stringify(r)}`;
  return bad
    .map((p) => {
      const log = p.verifierLog?.trim().split('\n').slice(-logLines).join('\n      ');
      return `kernel ${kernel}: plugin ${r.plugin}: program ${p.program} (${p.kind}:${p.target}) ${p.loaded ? 'did not attach' : 'did not load'}: ${p.error}${log ? `\n      ${log}` : ''}`;
    })
    .join('\n');
}

export function cellOf(kernel: string, r: VerifyRecord): Cell {
  if (r.status === 'ok') return { state: r.programs.every((p) => p.attached) ? 'attached' : 'loaded' };
  if (r.status === 'n/a') return { state: 'n/a', detail: r.reason ?? 'no reason given' };
  return { state: 'failed', detail: describeFailure(kernel, r) };
}

/**
 * Runs the gate in a target for `plugins` (every plugin nettrace discovers when empty, plus those
 * in `pluginDirs`, given with --plugin) and returns the records.
 */
export async function runVerify(
  target: Target,
  plugins: string[],
  pluginDirs: string[] = [],
  /** External BTF (NETTRACE_BTF), e.g. the module types of a kernel that publishes none. */
  btf?: string,
): Promise<{ records: VerifyRecord[]; code: number; stderr: string }> {
  if (!existsSync(cliBin)) throw new Error(`${cliBin} is missing: run \`npm run build\` first`);
  const dirs = pluginDirs.map((d) => `--plugin ${d}`).join(' ');
  const r = await target.exec(
    `${btf ? `NETTRACE_BTF=${btf} ` : ''}${process.execPath} ${cliBin} verify ${dirs} ${plugins.length > 0 ? plugins.join(' ') : '--all'} --output json`,
    { timeoutMs: 300_000 },
  );
  let records: VerifyRecord[];
  try {
    records = parseVerifyLines(r.stdout);
  } catch (e) {
    throw new Error(`${(e as Error).message}\nstderr:\n${r.stderr}`);
  }
  if (records.length === 0) throw new Error(`nettrace verify printed no records (exit ${r.code}):\n${r.stderr}${r.stdout}`);
  return { records, code: r.code, stderr: r.stderr };
}
