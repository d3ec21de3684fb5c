// Kernel enums by name, read from the running kernel's BTF at run time (drop reasons were
// renumbered in 5.18 and 6.4), with the tracepoint format file as the fallback. Never a table
// compiled into the tool.
import { existsSync, readFileSync } from 'node:fs';
import type { KernelBtf } from './btf.js';
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

/** Where to look when the BTF has no such enum: a tracepoint ("category/name") and its field. */
export interface EnumFallback {
  event: string;
  field: string;
}

/** The kernel's enum `name` from `btf` (a module's own enum: `module`, e.g. 'openvswitch'), else from the tracepoint format of `fallback`. Looked up
 * once per KernelBtf (a run's): reports ask every interval. */
export function kernelEnum(btf: KernelBtf, name: string, fallback?: EnumFallback, module?: string): KernelEnum | undefined {
  const key = `enum\0${name}\0${fallback?.event ?? ''}\0${fallback?.field ?? ''}\0${module ?? ''}`;
  return btf.memo(key, () => findKernelEnum(btf, name, fallback, module));
}

function findKernelEnum(
  btf: KernelBtf,
  name: string,
  fallback: EnumFallback | undefined,
  module: string | undefined,
): KernelEnum | undefined {
  const pairs = btf.enumMembers(name, module);
  if (pairs) return new KernelEnum(name, new Map(pairs.map(([n, v]) => [v, n])), `BTF ${btf.path}`);
  if (fallback) {
    const path = `${tracefsRoot()}/events/${fallback.event}/format`;
    if (existsSync(path)) {
      const values = enumFromTracepointFormat(readFileSync(path, 'utf8'), fallback.field);
      if (values.size) return new KernelEnum(name, values, path);
    }
  }
  return undefined;
}
