// `npm run lint` as part of `npm test`: biome (TypeScript, JSON) and clang-format (BPF C, headers,
// the addon) must pass, so that a change that skipped the formatter does not land.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../test-kernel/src/proc.js';
import { repoRoot } from '../src/paths.mjs';

describe('lint', () => {
  it('biome check: formatting, imports and lint rules', async () => {
    const r = await run([join(repoRoot, 'node_modules/.bin/biome'), 'check', '.'], { cwd: repoRoot, allowFailure: true });
    expect(r.code, `${r.stdout}\n${r.stderr}\nfix: npx biome check --write <files>`).toBe(0);
  }, 120_000);

  it('clang-format: the C and C++ sources', async () => {
    const r = await run(['bash', join(repoRoot, 'tooling/bin/check-c-format.sh')], { cwd: repoRoot, allowFailure: true });
    expect(r.code, `${r.stderr.split('\n').slice(0, 40).join('\n')}\nfix: bash tooling/bin/check-c-format.sh --fix`).toBe(0);
  }, 120_000);
});
