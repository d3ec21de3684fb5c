// The files `nettrace new` writes: a small but complete plugin (one tracepoint, one map, a report
// per interval) that builds outside this repository with @nettrace/plugin-tools.

export interface ScaffoldInput {
  id: string;
  packageName: string;
  /** The @nettrace/core the CLI runs plugins on: the plugin's peer and development dependency. */
  coreVersion: string;
  /** The ranges of the other @nettrace packages the plugin is built and tested with (scaffoldVersions). */
  versions: Readonly<Record<string, string>>;
}

const bpfSource = (id: string) => `/* SPDX-License-Identifier: GPL-2.0 */
/* ${id}: received packets per (network namespace, interface, protocol), counted at the
 * net:netif_receive_skb tracepoint. Written by \`nettrace new\`: make it yours. The headers come from
 * @nettrace/bpf-headers (nettrace/ and libbpf's bpf/), vmlinux.h from your kernel's BTF. */
#include "common.bpf.h"

struct pkt_key {
    __u32 netns;    /* inode of the receiving device's network namespace */
    __u32 ifindex;  /* the receiving device, numbered within that namespace */
    __u16 protocol; /* skb->protocol in host order: 0x0800 IPv4, 0x86dd IPv6, 0x0806 ARP */
    __u16 _pad;
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 10240);
    __type(key, struct pkt_key);
    __type(value, __u64);
} packets SEC(".maps");

SEC("tracepoint/net/netif_receive_skb")
int count_rx(struct trace_event_raw_net_dev_template *ctx) {
    struct sk_buff *skb = (struct sk_buff *)ctx->skbaddr;
    struct pkt_key key = {};
    __u64 zero = 0;

    /* CO-RE reads: relocated to the running kernel's layout when the object loads. */
    key.netns = BPF_CORE_READ(skb, dev, nd_net.net, ns.inum);
    key.ifindex = BPF_CORE_READ(skb, dev, ifindex);
    key.protocol = bpf_ntohs(BPF_CORE_READ(skb, protocol));
    __u64 *count = nt_map_lookup_or_init(&packets, &key, &zero);
    if (count)
        __sync_fetch_and_add(count, 1);
    return 0;
}
`;

const indexSource = (
  id: string,
  object: string,
) => `// ${id}: received packets per network namespace, interface and protocol (net:netif_receive_skb).
// Interval reports hold that interval's packets, the final report the whole run.
import { definePlugin, type PluginContext, sinceLastReport, tracepointHook } from '@nettrace/core';
import { contract, decodePktKey } from './${object}.gen.js';

type Ctx = PluginContext<Record<string, never>, typeof contract>;

function rows(ctx: Ctx) {
  const current = new Map<string, Record<string, unknown>>();
  for (const [k, v] of ctx.object.map('packets').entries()) {
    const key = decodePktKey(new DataView(k.buffer, k.byteOffset, k.byteLength), 0);
    const packets = Number(Buffer.from(v).readBigUInt64LE(0));
    const protocol = \`0x\${key.protocol.toString(16).padStart(4, '0')}\`;
    current.set(Buffer.from(k).toString('hex'), { netns: key.netns, ifindex: key.ifindex, protocol, packets });
  }
  return [...sinceLastReport(ctx, 'packets', current, ['packets']).values()]
    .filter((r) => ctx.final || (r.packets as number) > 0)
    .sort((a, b) => (a.netns as number) - (b.netns as number) || (a.ifindex as number) - (b.ifindex as number));
}

export default definePlugin({
  id: '${id}',
  summary: 'Received packets per network namespace, interface and protocol',
  description: 'Hooks the net:netif_receive_skb tracepoint and counts packets per (netns inode, ifindex, skb->protocol).',
  contract,
  options: {},
  defaultInterval: 1,
  hooks: [tracepointHook('count_rx', 'net/netif_receive_skb')],
  output: {
    kind: 'report',
    collect: (ctx: Ctx) => ({
      sections: [
        {
          kind: 'table' as const,
          key: 'packets',
          title: 'Received packets',
          columns: [
            { key: 'netns', header: 'NETNS' },
            { key: 'ifindex', header: 'IFINDEX' },
            { key: 'protocol', header: 'PROTO' },
            { key: 'packets', header: 'PACKETS' },
          ],
          rows: rows(ctx),
        },
      ],
    }),
  },
});
`;

/** The range of a @nettrace package the scaffold depends on; one the CLI was not built with is a bug. */
function rangeOf(versions: ScaffoldInput['versions'], name: string): string {
  const range = versions[name];
  if (!range) throw new Error(`nettrace new: no version of ${name} was recorded when this CLI was built`);
  return range;
}

const packageJson = ({ id, packageName, coreVersion, versions }: ScaffoldInput, object: string) =>
  `${JSON.stringify(
    {
      name: packageName,
      version: '0.1.0',
      description: `nettrace plugin ${id}: received packets per network namespace, interface and protocol`,
      type: 'module',
      license: 'GPL-2.0-only',
      keywords: ['nettrace-plugin', 'ebpf'],
      main: './dist/index.js',
      exports: { '.': { import: './dist/index.js' } },
      files: ['dist', 'schema.json', 'README.md'],
      scripts: { build: 'nettrace-plugin build', test: 'node --test' },
      nettrace: { apiVersion: 1, id, entry: './dist/index.js', manifest: './dist/manifest.json', types: { [object]: ['pkt_key'] } },
      peerDependencies: { '@nettrace/core': `^${coreVersion}` },
      peerDependenciesMeta: { '@nettrace/core': { optional: true } },
      devDependencies: {
        '@nettrace/core': `^${coreVersion}`,
        '@nettrace/bpf-headers': rangeOf(versions, '@nettrace/bpf-headers'),
        '@nettrace/plugin-testing': rangeOf(versions, '@nettrace/plugin-testing'),
        '@nettrace/plugin-tools': rangeOf(versions, '@nettrace/plugin-tools'),
        '@types/node': '^20.19.0',
        typescript: '^5.9.0',
      },
    },
    null,
    2,
  )}\n`;

/** Its JSON records beyond those every plugin prints (@nettrace/core's schema/records.json). */
const schemaJson = (id: string) =>
  `${JSON.stringify(
    {
      $schema: 'http://json-schema.org/draft-07/schema#',
      title: `${id} JSON lines`,
      description:
        "This plugin's report section; the header and report fields every plugin has are in @nettrace/core's schema/records.json.",
      definitions: {
        report: {
          required: ['packets'],
          properties: {
            packets: {
              type: 'array',
              items: {
                type: 'object',
                required: ['netns', 'ifindex', 'protocol', 'packets'],
                properties: {
                  netns: { type: 'integer', description: 'inode of the receiving network namespace' },
                  ifindex: { type: 'integer', description: 'the receiving device, numbered within that namespace' },
                  protocol: { type: 'string', description: 'skb->protocol, 0x0800 for IPv4' },
                  packets: { type: 'integer', description: "packets received in this report's span" },
                },
              },
            },
          },
        },
      },
    },
    null,
    2,
  )}\n`;

/** The plugin's own test (node --test, as root): datagrams between two namespaces the test makes,
 * counted exactly, every record checked against schema.json. */
const testSource = (id: string) => `// ${id}: counts exactly the IPv4 packets this test sends into a namespace of its own.
// Run as root after npm run build: npm test (NETTRACE=<path> picks another nettrace command).
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { pluginRecordValidator, runCommandJson, sendUdp, vethPair } from '@nettrace/plugin-testing';

const pluginDir = fileURLToPath(new URL('..', import.meta.url));
const nettrace = process.env.NETTRACE ?? 'nettrace';
let net;
before(() => {
  net = vethPair();
});
after(() => net?.cleanup());

test('counts the datagrams sent into the namespace; every record matches schema.json', async () => {
  const count = 7;
  const netns = statSync(\`/run/netns/\${net.b.name}\`).ino;
  const ifindex = net.b.ifindex(net.devB);
  const run = await runCommandJson(nettrace, ['run', '${id}', '--plugin', pluginDir, '-o', 'json'], () =>
    sendUdp(net.a, { to: net.ipB, port: 9, count }),
  );
  const validate = pluginRecordValidator(pluginDir);
  for (const record of run.json) assert.equal(validate(record), undefined, JSON.stringify(record));
  const final = run.json.find((r) => r.type === 'final');
  assert.ok(final, run.stderr);
  // vethPair() sets static neighbours: no ARP, so the namespace's only IPv4 packets are the test's.
  const rows = final.packets.filter((r) => r.netns === netns && r.ifindex === ifindex && r.protocol === '0x0800');
  assert.deepEqual(rows.map((r) => r.packets), [count]);
});
`;

const tsconfig = `${JSON.stringify(
  {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      skipLibCheck: true,
      rootDir: 'src',
      outDir: 'dist',
      types: ['node'],
    },
    include: ['src'],
  },
  null,
  2,
)}\n`;

const readme = ({ id, packageName }: ScaffoldInput) => `# ${packageName}

A [nettrace](https://github.com/) plugin: \`${id}\` counts received packets per network namespace,
interface and protocol at the \`net:netif_receive_skb\` tracepoint.

## Build (on a machine with clang, llvm-strip and bpftool)

    npm install
    npm run build        # nettrace-plugin build: bpf/*.bpf.c -> dist/*.bpf.o, src/*.gen.ts, dist/

## Test (as root: the test makes its own network namespaces)

    sudo npm test        # node --test: @nettrace/plugin-testing's traffic helpers and schema check

## Run

    sudo nettrace run ${id} --plugin .     # from here, or after npm i -g ${packageName}

## Publish

    npm publish          # the tarball holds dist/ (object, code, manifest): no compiler on the target
`;

export function scaffoldFiles(input: ScaffoldInput): Record<string, string> {
  const object = input.id.replaceAll('-', '_');
  return {
    'package.json': packageJson(input, object),
    'tsconfig.json': tsconfig,
    [`bpf/${object}.bpf.c`]: bpfSource(input.id),
    'src/index.ts': indexSource(input.id, object),
    'schema.json': schemaJson(input.id),
    [`test/${object}.test.mjs`]: testSource(input.id),
    'README.md': readme(input),
    '.gitignore': 'node_modules/\ndist/\nbuild/\nsrc/*.gen.ts\n',
  };
}
