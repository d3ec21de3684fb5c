// Kernel enums by name, read from the running kernel's BTF at run time (drop reasons were
// renumbered in 5.18 and 6.4), with the tracepoint format file as the fallback. Never a table
// compiled into the tool.
import { existsSync, readFileSync } from 'node:fs';
import { native } from '../bpf/native.js';
import { tracefsRoot } from './features.js';

export class KernelEnum {
  constructor(
    readonly name: string,
    readonly values: Map<number, string>,
    readonly source: string,
  ) {}
  label(value: number, stripPrefix = ''): string {
    const n = this.values.get(value);
    if (n === undefined) return `UNKNOWN(${value})`;
    return stripPrefix && n.startsWith(stripPrefix) ? n.slice(stripPrefix.length) : n;
  }
}

/** Parses `__print_symbolic(REC->field, { 2, "NAME" }, ...)` out of a tracepoint format file. */
export function enumFromTracepointFormat(text: string, field: string): Map<number, string> {
  const values = new Map<number, string>();
  const at = text.indexOf(`__print_symbolic(REC->${field}`);
  if (at < 0) return values;
  const re = /\{\s*(-?\d+|0x[0-9a-fA-F]+)\s*,\s*"([^"]*)"\s*\}/g;
  const tail = text.slice(at);
  for (const m of tail.matchAll(re)) values.set(Number(m[1]), m[2]);
  return values;
}

export interface EnumLookup {
  enumName: string;
  btfPath?: string;
  /** Fallback: tracepoint "category/name" and its field. */
  tracepoint?: { event: string; field: string };
}

const known = new Map<string, KernelEnum | undefined>();

/** The kernel's enum (looked up once per process: reports ask every interval). */
export function kernelEnum(lookup: EnumLookup): KernelEnum | undefined {
  const key = `${lookup.btfPath ?? ''}\0${lookup.enumName}\0${lookup.tracepoint?.event ?? ''}\0${lookup.tracepoint?.field ?? ''}`;
  if (!known.has(key)) known.set(key, findKernelEnum(lookup));
  return known.get(key);
}

function findKernelEnum(lookup: EnumLookup): KernelEnum | undefined {
  const btf = lookup.btfPath ?? '/sys/kernel/btf/vmlinux';
  if (existsSync(btf)) {
    const pairs = native().btfEnum(btf, lookup.enumName);
    if (pairs) return new KernelEnum(lookup.enumName, new Map(pairs.map(([n, v]) => [v, n])), `BTF ${btf}`);
  }
  if (lookup.tracepoint) {
    const path = `${tracefsRoot()}/events/${lookup.tracepoint.event}/format`;
    if (existsSync(path)) {
      const values = enumFromTracepointFormat(readFileSync(path, 'utf8'), lookup.tracepoint.field);
      if (values.size) return new KernelEnum(lookup.enumName, values, path);
    }
  }
  return undefined;
}
