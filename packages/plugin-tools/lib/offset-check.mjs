// Fails the build when BPF C applies a numeric offset to a kernel pointer (the upstream's
// `(void *)dev + 2048` style), which silently breaks on the next kernel. Field access must go
// through CO-RE (BPF_CORE_READ / preserve_access_index types) instead.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

// `(void *)x + 123`, `(char *)x + 0x40`, `(u8 *)ptr + 17` and `*(type *)(x + 123)`.
const PATTERNS = [
  /\(\s*(?:void|char|unsigned char|u8|__u8)\s*\*\s*\)\s*[A-Za-z_][\w>.-]*\s*\+\s*(?:0x[0-9a-fA-F]+|\d{2,})\b/,
  /\*\s*\(\s*[\w\s]+\*\s*\)\s*\(\s*[A-Za-z_][\w>.-]*\s*\+\s*(?:0x[0-9a-fA-F]+|\d{2,})\s*\)/,
];

function* cFiles(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'build' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* cFiles(path);
    else if (/\.(bpf\.c|bpf\.h|h)$/.test(name)) yield path;
  }
}

/** Checks the C below each of `dirs` (absolute); problems are named relative to `base`. */
export function checkNoNumericOffsets(dirs, base) {
  const problems = [];
  for (const dir of dirs) {
    let files;
    try {
      files = [...cFiles(dir)];
    } catch {
      continue;
    }
    for (const file of files) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (PATTERNS.some((p) => p.test(line))) problems.push(`${relative(base, file)}:${i + 1}: ${line.trim()}`);
        });
    }
  }
  if (problems.length) {
    throw new Error(`hard-coded struct offsets (use BPF_CORE_READ / preserve_access_index):\n${problems.join('\n')}`);
  }
}
