// Object → contract: what a compiled BPF object declares, generated as TypeScript next to the
// decoders so the plugin names programs, variables, maps and counters only through it (a name the
// object lacks fails `tsc`, not a run in a VM). Programs and maps are listed by libbpf itself (the
// addon of @nettrace/core opens the object, without loading it); variable types and the counter
// enum come from the object's BTF.
//
//   export const contract = {
//     object: new URL('./x.bpf.o', import.meta.url),
//     programs: { nt_x_btf: 'tp_btf/kfree_skb', ... },           // name → ELF section
//     maps: { drops: { type: 'lru_hash', keySize: 64, ... } },
//     variables: { cfg_top: { section: '.rodata', type: 'u32', size: 4 } },
//     counters: ['enqueued', 'dequeued'],                          // NT_COUNTERS (counters.bpf.h)
//   } as const;
import { basename } from 'node:path';
import { loadTypes, resolveType } from './gen-types.mjs';

const DATA_SECTIONS = /^\.(rodata|bss|data)(\.(?!str)[\w.]+)?$/;
/** libbpf and the kernel keep 15 characters of a program name (BPF_OBJ_NAME_LEN - 1): longer names
 * are cut in `bpftool prog` and kernel messages, so they no longer say which plugin a program is. */
export const PROGRAM_NAME_MAX = 15;

/** C spelling of a variable's type, e.g. "u8", "s64", "bool", "u8[16]", "struct nt_flow". */
function cType(byId, id) {
  const t = resolveType(byId, id);
  switch (t.kind) {
    case 'INT':
      if (t.name === '_Bool') return 'bool';
      return `${t.encoding === 'SIGNED' ? 's' : 'u'}${t.size * 8}`;
    case 'ENUM':
      return `enum ${t.name}`;
    case 'PTR':
      return 'pointer';
    case 'ARRAY':
      return `${cType(byId, t.type_id)}[${t.nr_elems}]`;
    case 'STRUCT':
    case 'UNION':
      return `${t.kind.toLowerCase()} ${t.name}`;
    default:
      return t.kind.toLowerCase();
  }
}

function variables(byId) {
  const out = [];
  for (const sec of byId.values()) {
    if (sec.kind !== 'DATASEC' || !DATA_SECTIONS.test(sec.name)) continue;
    for (const v of sec.vars) {
      const variable = byId.get(v.type_id);
      // __nt_export_* (NT_EXPORT_TYPE) only carry types into BTF; static variables are private.
      if (variable.name.startsWith('__') || variable.linkage === 'static') continue;
      out.push({ name: variable.name, section: sec.name, type: cType(byId, variable.type_id), size: v.size });
    }
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** The counter names of NT_COUNTERS(enum, count): members without their common prefix, lower case. */
function counters(byId, label, maps) {
  const exported = [...byId.values()].find((t) => t.kind === 'VAR' && t.name === '__nt_export_counters');
  if (!exported) return undefined;
  const ptr = byId.get(exported.type_id);
  const e = ptr && resolveType(byId, ptr.type_id);
  if (e?.kind !== 'ENUM') throw new Error(`${label}: NT_COUNTERS needs a named enum`);
  const values = e.values;
  const count = values.at(-1);
  values.forEach((m, i) => {
    if (m.val !== i) throw new Error(`${label}: enum ${e.name}: ${m.name} = ${m.val}, counters are numbered 0, 1, 2... in order`);
  });
  const map = maps.find((m) => m.name === 'counters');
  if (map?.maxEntries !== count.val) throw new Error(`${label}: NT_COUNTERS(${e.name}, ${count.name}): the last member must be the count`);
  let prefix = values[0].name.slice(0, values[0].name.lastIndexOf('_') + 1);
  while (prefix && !values.every((m) => m.name.startsWith(prefix)))
    prefix = prefix.slice(0, prefix.lastIndexOf('_', prefix.length - 2) + 1);
  return values.slice(0, -1).map((m) => m.name.slice(prefix.length).toLowerCase());
}

/** `  name: {` + entries + `  },`, or `  name: {},` without entries. */
const block = (name, entries) => (entries.length ? [`  ${name}: {`, ...entries.map((e) => `    ${e}`), '  },'] : [`  ${name}: {},`]);
const quote = (s) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const key = (s) => (/^[A-Za-z_$][\w$]*$/.test(s) ? s : quote(s));

/**
 * The TypeScript text of `export const contract` for the object at `objPath` (no imports needed).
 * `label` names the source in errors. Throws on program names over 15 characters.
 */
export async function generateContract(objPath, label) {
  const { BpfObject } = await import('@nettrace/core');
  const obj = BpfObject.open(objPath);
  let programs;
  let maps;
  try {
    programs = obj.programs().map((p) => ({ name: p.name, section: p.section }));
    maps = obj.maps().filter((m) => !m.name.includes('.'));
  } finally {
    obj.close();
  }
  const long = programs.filter((p) => p.name.length > PROGRAM_NAME_MAX).map((p) => p.name);
  if (long.length)
    throw new Error(
      `${label}: program name${long.length > 1 ? 's' : ''} ${long.join(', ')} longer than ${PROGRAM_NAME_MAX} characters (the kernel cuts them in bpftool prog)`,
    );
  const byId = loadTypes(objPath);
  const names = counters(byId, label, maps);
  const lines = [
    `/** What ${label} declares, read from the compiled object:`,
    ' * program → ELF section, maps, global variables (configure() sets them before load)' +
      (names ? ',\n * counters (NT_COUNTERS, read with ctx.counters()).' : '.') +
      ' */',
    'export const contract = {',
    `  object: new URL('./${basename(objPath)}', import.meta.url),`,
    ...block(
      'programs',
      programs.map((p) => `${key(p.name)}: ${quote(p.section)},`),
    ),
    ...block(
      'maps',
      maps.map(
        (m) => `${key(m.name)}: { type: ${quote(m.type)}, keySize: ${m.keySize}, valueSize: ${m.valueSize}, maxEntries: ${m.maxEntries} },`,
      ),
    ),
    ...block(
      'variables',
      variables(byId).map((v) => `${key(v.name)}: { section: ${quote(v.section)}, type: ${quote(v.type)}, size: ${v.size} },`),
    ),
    ...(names ? [`  counters: [${names.map(quote).join(', ')}],`] : []),
    '} as const;',
  ];
  return lines.join('\n');
}
