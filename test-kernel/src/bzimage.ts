// The ELF vmlinux inside a bzImage. qemu boots it through its PVH entry, which skips the in-guest
// decompression (about 3 s under TCG), and its .BTF section gives the host the kernel's types
// (`bpftool btf dump file vmlinux format c`) without booting anything.
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { run } from './proc.js';

/**
 * The compressed kernel, located through the x86 boot protocol's setup header (2.08+):
 * setup_sects at 0x1f1, "HdrS" at 0x202, payload_offset/payload_length at 0x248/0x24c, relative to
 * the protected-mode code that starts after the setup sectors.
 */
export function bzImagePayload(image: Uint8Array): Uint8Array {
  const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
  if (image.byteLength < 0x250 || view.getUint32(0x202, true) !== 0x53726448) {
    throw new Error('not a bzImage (no "HdrS" setup header at 0x202)');
  }
  if (view.getUint16(0x206, true) < 0x208) throw new Error('bzImage boot protocol older than 2.08 has no payload fields');
  const setupSects = image[0x1f1] || 4;
  const start = (setupSects + 1) * 512 + view.getUint32(0x248, true);
  const length = view.getUint32(0x24c, true);
  if (start + length > image.byteLength) throw new Error('bzImage payload runs past the end of the file');
  return image.subarray(start, start + length);
}

export type Compression = 'xz' | 'zstd' | 'gzip';

export function compressionOf(payload: Uint8Array): Compression {
  const hex = Buffer.from(payload.subarray(0, 6)).toString('hex');
  if (hex === 'fd377a585a00') return 'xz';
  if (hex.startsWith('28b52ffd')) return 'zstd';
  if (hex.startsWith('1f8b')) return 'gzip';
  throw new Error(`unsupported bzImage compression (magic ${hex}); Debian kernels use xz or zstd`);
}

const decompressor: Record<Compression, string[]> = {
  xz: ['xz', '-dc', '--single-stream'],
  zstd: ['zstd', '-dcq'],
  gzip: ['gzip', '-dc'],
};

/** Writes the ELF vmlinux of `bzImagePath` to `out`; checks the ELF magic and the recorded size. */
export async function extractVmlinux(bzImagePath: string, out: string): Promise<void> {
  const payload = bzImagePayload(readFileSync(bzImagePath));
  // The kernel build appends the uncompressed size (4 bytes LE) after the compressed stream.
  const stream = payload.subarray(0, payload.byteLength - 4);
  const size = Buffer.from(payload.subarray(payload.byteLength - 4)).readUInt32LE(0);
  await run(decompressor[compressionOf(stream)], { input: stream, stdoutFile: out });
  const head = Buffer.alloc(4);
  const fd = openSync(out, 'r');
  readSync(fd, head, 0, 4, 0);
  closeSync(fd);
  if (head.toString('latin1') !== '\x7fELF') throw new Error(`${bzImagePath}: decompressed payload is not an ELF file`);
  if (statSync(out).size !== size) {
    throw new Error(`${bzImagePath}: decompressed ${statSync(out).size} bytes, the image records ${size}`);
  }
}
