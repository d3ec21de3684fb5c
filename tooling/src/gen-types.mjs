// BTF -> TypeScript: for each struct a plugin lists in package.json `nettrace.types`, emit an
// interface and a straight-line DataView decoder, generated from the compiled object's own BTF.
// The C struct stays the single source of truth; a layout change regenerates the decoder, and in
// CI a stale committed decoder fails the build.
import { execFileSync } from 'node:child_process';

function loadTypes(objPath) {
  const json = execFileSync('bpftool', ['-j', 'btf', 'dump', 'file', objPath], { maxBuffer: 1 << 28 });
  const byId = new Map();
  for (const t of JSON.parse(json).types) byId.set(t.id, t);
  return byId;
}

const pascal = (name) => name.replace(/(^|_)([a-z0-9])/g, (_, __, c) => c.toUpperCase());

/** Follows typedefs and qualifiers to the type that has a layout. */
function resolve(byId, id) {
  let t = byId.get(id);
  while (t && ['TYPEDEF', 'CONST', 'VOLATILE', 'RESTRICT', 'TYPE_TAG'].includes(t.kind)) t = byId.get(t.type_id);
  return t;
}

function intReader(size, signed, at) {
  switch (size) {
    case 1: return `v.get${signed ? 'Int8' : 'Uint8'}(${at})`;
    case 2: return `v.get${signed ? 'Int16' : 'Uint16'}(${at}, true)`;
    case 4: return `v.get${signed ? 'Int32' : 'Uint32'}(${at}, true)`;
    // u64 as a Number: exact up to 2^53 (counters, nanoseconds for 104 days); addresses use PTR.
    case 8: return signed ? `readS64(v, ${at})` : `readU64(v, ${at})`;
    default: throw new Error(`unsupported integer size ${size}`);
  }
}

/** Returns [tsType, readerExpression] for a member of type `t` at byte expression `at`. */
function member(byId, t, at, structs) {
  switch (t.kind) {
    case 'INT': {
      const signed = t.encoding === 'SIGNED' || (t.encoding === 'CHAR' && t.name === 'char' && false);
      if (t.name === '_Bool') return ['boolean', `v.getUint8(${at}) !== 0`];
      return ['number', intReader(t.size, signed, at)];
    }
    case 'ENUM':
      return ['number', intReader(t.size, t.encoding === 'SIGNED', at)];
    case 'PTR':
      return ['bigint', `v.getBigUint64(${at}, true)`];
    case 'STRUCT':
      structs.add(t.id);
      return [pascal(t.name), `decode${pascal(t.name)}(v, ${at})`];
    case 'ARRAY': {
      const elem = resolve(byId, t.type_id);
      const n = t.nr_elems;
      if (elem.kind === 'INT' && elem.size === 1) {
        if (elem.name === 'char') return ['string', `readCString(v, ${at}, ${n})`];
        return ['Uint8Array', `readBytes(v, ${at}, ${n})`];
      }
      const [ts, read] = member(byId, elem, `${at} + i * ${elem.size}`, structs);
      return [`${ts}[]`, `Array.from({ length: ${n} }, (_, i) => ${read})`];
    }
    default:
      throw new Error(`unsupported BTF kind ${t.kind} in an exported struct`);
  }
}

function structCode(byId, t, structs) {
  const name = pascal(t.name);
  const fields = [];
  const reads = [];
  for (const m of t.members) {
    if (m.bitfield_size) throw new Error(`${t.name}.${m.name}: bitfields are not supported in exported structs`);
    if (m.name.startsWith('_')) continue; // padding
    const at = `o + ${m.bits_offset / 8}`;
    const [ts, read] = member(byId, resolve(byId, m.type_id), at, structs);
    fields.push(`  ${m.name}: ${ts};`);
    reads.push(`    ${m.name}: ${read},`);
  }
  return [
    `/** BTF struct ${t.name} (${t.size} bytes). */`,
    `export interface ${name} {`,
    ...fields,
    '}',
    `export const ${name}Size = ${t.size};`,
    `export function decode${name}(v: DataView, o: number): ${name} {`,
    '  return {',
    ...reads,
    '  };',
    '}',
    `export const ${name}Layout: StructLayout<${name}> = { name: '${t.name}', size: ${t.size}, decode: decode${name} };`,
  ].join('\n');
}

/** Generates the TS module text for `typeNames` found in the object at `objPath`. */
export function generateDecoders(objPath, typeNames, sourceLabel) {
  const byId = loadTypes(objPath);
  const pending = new Set();
  for (const wanted of typeNames) {
    const t = [...byId.values()].find((x) => x.kind === 'STRUCT' && x.name === wanted);
    if (!t) throw new Error(`${sourceLabel}: struct ${wanted} is not in the object's BTF (use NT_EXPORT_TYPE or a map type)`);
    pending.add(t.id);
  }
  const done = new Map();
  while (pending.size) {
    const [id] = pending;
    pending.delete(id);
    if (done.has(id)) continue;
    const deps = new Set();
    done.set(id, structCode(byId, byId.get(id), deps));
    for (const d of deps) if (!done.has(d)) pending.add(d);
  }
  const body = [...done.entries()].sort((a, b) => byId.get(a[0]).name.localeCompare(byId.get(b[0]).name)).map((e) => e[1]);
  const text = body.join('\n\n');
  const helpers = ['readBytes', 'readCString', 'readS64', 'readU64'].filter((h) => text.includes(`${h}(`));
  return [
    `// Generated from the BTF of ${sourceLabel} by tooling/src/gen-types.mjs. Do not edit.`,
    `import { ${[...helpers, 'type StructLayout'].join(', ')} } from '@nettrace/core';`,
    '',
    text,
    '',
  ].join('\n');
}
