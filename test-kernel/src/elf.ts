// Just enough ELF reading to refuse a dynamically linked busybox before it fails as PID 1 in the
// guest with nothing on the console but "Kernel panic - not syncing: Attempted to kill init".
import { readFileSync } from 'node:fs';

const PT_INTERP = 3;

export function isStaticElf(file: string): boolean {
  const b = readFileSync(file);
  if (b.toString('latin1', 0, 4) !== '\x7fELF' || b[4] !== 2) throw new Error(`${file} is not a 64-bit ELF file`);
  const phoff = Number(b.readBigUInt64LE(0x20));
  const phentsize = b.readUInt16LE(0x36);
  const phnum = b.readUInt16LE(0x38);
  for (let i = 0; i < phnum; i++) {
    if (b.readUInt32LE(phoff + i * phentsize) === PT_INTERP) return false;
  }
  return true;
}
