// ovs-dpctl's text of a datapath flow match, `recirc_id(0),in_port(2),eth(src=…,dst=…),…`, as
// fields: per attribute one value, or its `name=value` fields (the plugin's match_fields shape).
export function parseDpctlMatch(text: string): Record<string, string | Record<string, string>> {
  const out: Record<string, string | Record<string, string>> = {};
  let depth = 0;
  let start = 0;
  const parts: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  for (const p of parts) {
    const m = /^([a-z_0-9]+)\((.*)\)$/.exec(p.trim());
    if (!m) throw new Error(`unparsed dpctl attribute '${p}' in ${text}`);
    const inner = m[2] as string;
    out[m[1] as string] =
      inner.includes('=') || inner === '' // `eth()`: fields, all wildcarded
        ? Object.fromEntries(inner ? inner.split(',').map((kv) => kv.split('=', 2) as [string, string]) : [])
        : inner;
  }
  return out;
}
