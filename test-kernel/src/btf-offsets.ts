// Byte offsets of struct members in a kernel's BTF, for ftrace witnesses in the test kernels
// (kprobe_events fetch arguments such as `+14(%di):u16` need numbers; the BPF side never does, it
// reads through CO-RE). Members of anonymous structs and unions are found through them.
import { run } from './proc.js';

interface Member {
  name: string;
  type: number;
  bits: number;
}
interface Composite {
  kind: string;
  name: string;
  members: Member[];
}

const cache = new Map<string, Map<number, Composite>>();

/** The dump is large (a whole vmlinux): read asynchronously, so the test worker is never blocked
 * past vitest's 60 s RPC timeout on a loaded host. */
async function composites(btfFile: string): Promise<Map<number, Composite>> {
  let types = cache.get(btfFile);
  if (types) return types;
  types = new Map();
  const text = (await run(['bpftool', 'btf', 'dump', 'file', btfFile, 'format', 'raw'])).stdout;
  let current: Composite | undefined;
  for (const line of text.split('\n')) {
    const head = /^\[(\d+)\] (STRUCT|UNION) '([^']*)'/.exec(line);
    if (head) {
      current = { kind: head[2] as string, name: head[3] as string, members: [] };
      types.set(Number(head[1]), current);
      continue;
    }
    const m = current && /^\t'([^']*)' type_id=(\d+) bits_offset=(\d+)/.exec(line);
    if (m && current) current.members.push({ name: m[1] as string, type: Number(m[2]), bits: Number(m[3]) });
    else if (!line.startsWith('\t')) current = undefined;
  }
  cache.set(btfFile, types);
  return types;
}

function find(types: Map<number, Composite>, t: Composite, member: string): number | undefined {
  for (const m of t.members) {
    if (m.name === member) return m.bits;
    const inner = m.name === '(anon)' ? types.get(m.type) : undefined;
    const bits = inner && find(types, inner, member);
    if (bits !== undefined) return m.bits + bits;
  }
  return undefined;
}

/** Offset in bytes of `path` ("sock.__sk_common.skc_num": a struct, then members, each but the last
 * a struct or union member directly) in the BTF of `btfFile` (a vmlinux). */
export async function btfMemberOffset(btfFile: string, path: string): Promise<number> {
  const types = await composites(btfFile);
  const [root, ...members] = path.split('.');
  let t = [...types.values()].find((c) => c.kind === 'STRUCT' && c.name === root);
  if (!t) throw new Error(`${btfFile}: no struct ${root}`);
  let bits = 0;
  for (const name of members) {
    if (!t) throw new Error(`${btfFile}: ${path}: cannot descend into ${name}'s parent`);
    const at = find(types, t, name);
    if (at === undefined) throw new Error(`${btfFile}: no member ${name} in ${t.name || '(anon)'} (${path})`);
    bits += at;
    t = types.get(t.members.find((m) => m.name === name)?.type ?? -1);
  }
  if (bits % 8) throw new Error(`${path} is a bit field`);
  return bits / 8;
}
