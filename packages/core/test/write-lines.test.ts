// writeLinesToStdout: event lines go out through one reused buffer with synchronous writes. A
// pipe whose reader is slower than the writer is non-blocking on Node's side (libuv), so writes
// meet EAGAIN: the rest must then queue behind process.stdout without losing or reordering a line.
// A reader that goes away (EPIPE) is reported on process.stdout, as its own write errors are.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const core = fileURLToPath(new URL('../dist/index.js', import.meta.url));

/** A child that writes `batches` batches of 1,000 numbered lines of ~1 KB, then "end"; on stderr
 * "queued" when a write met a full pipe and the rest queued behind process.stdout. */
const writer = (batches: number) =>
  spawn(process.execPath, [
    '--input-type=module',
    '-e',
    `import { writeLinesToStdout } from '${core}';
     process.stdout.on('error', (e) => { process.stderr.write('stdout error ' + e.code + '\\n'); process.exit(3); });
     const pad = 'x'.repeat(1000);
     let queued = false;
     for (let b = 0; b < ${batches}; b++) {
       writeLinesToStdout(Array.from({ length: 1000 }, (_, i) => (b * 1000 + i) + ' ' + pad));
       queued ||= process.stdout.writableLength > 0;
     }
     if (queued) process.stderr.write('queued\\n');
     writeLinesToStdout(['end']);`,
  ]);

describe('writeLinesToStdout', () => {
  it('a slow reader of a pipe gets every line, in order', async () => {
    const child = writer(40); // 40 MB: far more than a pipe holds
    const exited = once(child, 'exit');
    const err: Buffer[] = [];
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.stdout.pause();
    await new Promise((r) => setTimeout(r, 300)); // the writer meets a full pipe
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    const ended = once(child.stdout, 'end');
    child.stdout.resume();
    const [code] = await exited;
    await ended;
    const lines = Buffer.concat(chunks).toString().split('\n');
    expect(Buffer.concat(err).toString()).toBe('queued\n');
    expect(code).toBe(0);
    expect(lines.at(-2)).toBe('end');
    const numbers = lines.slice(0, -2).map((l) => Number(l.split(' ')[0]));
    expect(numbers.length).toBe(40_000);
    expect(numbers.every((n, i) => n === i)).toBe(true);
  }, 60_000);

  it('a reader that goes away is an EPIPE error on process.stdout', async () => {
    const child = writer(40);
    child.stdout.once('data', () => child.stdout.destroy());
    const err: Buffer[] = [];
    child.stderr.on('data', (c: Buffer) => err.push(c));
    const [code] = await once(child, 'exit');
    // Under load the pipe may fill before the reader leaves (then "queued" comes first): either
    // way the write error surfaces on process.stdout, once.
    expect(Buffer.concat(err).toString()).toMatch(/^(queued\n)?stdout error EPIPE\n$/);
    expect(code).toBe(3);
  }, 60_000);
});
