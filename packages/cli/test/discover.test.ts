// Plugin discovery for a command that names its plugin: the package where that id usually lives
// is read first (the workspace's node_modules holds ~500 packages, ~80 ms to read them all at
// every start); a plugin published under another name is still found by reading them all.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API_VERSION } from '@nettrace/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverFor, discoverPlugins } from '../src/discover.js';

/** A plugin package whose name says nothing of its id. */
function oddlyNamedPlugin(root: string, id: string): string {
  const dir = join(root, 'acme-tracing-bits');
  mkdirSync(join(dir, 'dist'), { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'acme-tracing-bits', version: '1.2.3', nettrace: { apiVersion: API_VERSION } }),
  );
  const manifest = {
    apiVersion: API_VERSION,
    id,
    summary: 's',
    object: 'x.bpf.o',
    options: {},
    hooks: [],
    defaultInterval: 0,
    output: 'report',
  };
  writeFileSync(join(dir, 'dist/manifest.json'), JSON.stringify(manifest));
  return dir;
}

describe('discovery for a named plugin', () => {
  let work: string;
  let pluginDir: string;
  const savedPath = process.env.NETTRACE_PLUGIN_PATH;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'nettrace-discover-'));
    pluginDir = oddlyNamedPlugin(work, 'zz-odd');
  });
  afterAll(() => {
    if (savedPath === undefined) delete process.env.NETTRACE_PLUGIN_PATH;
    else process.env.NETTRACE_PLUGIN_PATH = savedPath;
    rmSync(work, { recursive: true, force: true });
  });

  it('reads only the package named like the id when it is there (@nettrace/<id>)', () => {
    delete process.env.NETTRACE_PLUGIN_PATH;
    const all = discoverPlugins().plugins;
    expect(all.length).toBeGreaterThan(10);
    const d = discoverFor([], ['eth-drop']);
    expect(d.plugins.map((p) => p.packageName)).toEqual(['@nettrace/eth-drop']);
    expect(d.plugins[0]).toEqual(all.find((p) => p.id === 'eth-drop'));
  });

  it('reads every package when no likely name holds the id, so an unknown id lists what is installed', () => {
    delete process.env.NETTRACE_PLUGIN_PATH;
    expect(discoverFor([], ['no-such-plugin']).plugins.length).toBe(discoverPlugins().plugins.length);
  });

  it('finds a plugin in NETTRACE_PLUGIN_PATH whatever its package is called', () => {
    process.env.NETTRACE_PLUGIN_PATH = pluginDir;
    const d = discoverFor([], ['zz-odd']);
    expect(d.plugins.map((p) => [p.id, p.packageName, p.version])).toEqual([['zz-odd', 'acme-tracing-bits', '1.2.3']]);
  });
});
