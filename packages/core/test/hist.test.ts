// The BPF side (bpf-headers/nettrace/hist.bpf.h, compiled here with the host compiler) and the
// TypeScript labels must agree on every bucket: the upstream printed its labels one power low.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Histogram, histogramJson, log2Range, log2Slot, renderHistogram } from '../src/index.js';

const header = join(__dirname, '../../../bpf-headers/nettrace/hist.bpf.h');

function cSlots(values: bigint[]): number[] {
  const dir = mkdtempSync(join(tmpdir(), 'nthist-'));
  writeFileSync(
    join(dir, 'main.c'),
    `#include <stdio.h>
#include <stdlib.h>
typedef unsigned long long __u64; typedef unsigned int __u32;
#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif
#include "${header}"
int main(int argc, char **argv) { for (int i = 1; i < argc; i++) printf("%u\\n", nt_log2_slot(strtoull(argv[i], 0, 10))); return 0; }`,
  );
  execFileSync('cc', ['-O2', '-o', join(dir, 'slots'), join(dir, 'main.c')]);
  return execFileSync(join(dir, 'slots'), values.map(String), { encoding: 'utf8' }).trim().split('\n').map(Number);
}

describe('log2 buckets', () => {
  const values = [0n, 1n, 2n, 3n, 4n, 7n, 8n, 1023n, 1024n, 1025n, 65535n, 65536n, 4294967295n, 4294967296n, (1n << 62n) + 5n];
  for (let i = 0; i < 40; i++) values.push(BigInt(Math.floor(Math.random() * 2 ** 40)));

  it('the C slot function and the TS slot function agree', () => {
    expect(cSlots(values)).toEqual(values.map(log2Slot));
  });

  it('every value lies inside the label range of its slot', () => {
    for (const v of values) {
      const [lo, hi] = log2Range(log2Slot(v));
      expect(v >= lo && v <= hi).toBe(true);
    }
  });

  it('labels: slot 0 is 0, slot 1 is 1, slot 2 is 2..3, slot 11 is 1024..2047', () => {
    expect(log2Range(0)).toEqual([0n, 0n]);
    expect(log2Range(1)).toEqual([1n, 1n]);
    expect(log2Range(2)).toEqual([2n, 3n]);
    expect(log2Range(11)).toEqual([1024n, 2047n]);
  });

  it('renders BCC-style text and JSON with the same bounds', () => {
    const h: Histogram = { label: 'latency', unit: 'us', kind: 'log2', counts: [0, 2, 0, 5] };
    const text = renderHistogram(h);
    expect(text).toMatch(/4 -> 7\s+: 5\s+\|\*{40}\|/);
    expect(text).toMatch(/1 -> 1\s+: 2\s+\|\*{16}\s+\|/);
    expect(histogramJson(h)).toEqual({
      unit: 'us',
      total: 7,
      buckets: [
        { low: 1, high: 1, count: 2 },
        { low: 4, high: 7, count: 5 },
      ],
    });
  });
});
