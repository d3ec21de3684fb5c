#!/usr/bin/env node
// `npm start`: runs a real plugin against the live kernel for a few seconds while a small burst of
// UDP datagrams is dropped (no socket listens) inside a private network namespace, so the report
// has something to show. Traffic never leaves the namespace.
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../src/paths.mjs';

const ns = `ntdemo${process.pid}`;
const sh = (...args) => execFileSync(args[0], args.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });

const cli = join(repoRoot, 'packages/cli/dist/bin.js');
const args = ['run', 'kernel-drop-stack-stats', '--duration', '4', '--protocol', 'udp', '--dst-port', '9', '--top', '5'];
console.error(`$ nettrace ${args.join(' ')}   (10 datagrams to a closed port in namespace ${ns})`);
const run = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'inherit', 'pipe'] });
let sent = false;
run.stderr.on('data', (chunk) => {
  process.stderr.write(chunk);
  if (sent || !String(chunk).includes('Tracing...')) return;
  sent = true;
  try {
    sh('ip', 'netns', 'add', ns);
    sh('ip', '-n', ns, 'link', 'set', 'lo', 'up');
    sh(
      'ip',
      'netns',
      'exec',
      ns,
      process.execPath,
      '-e',
      "const s=require('dgram').createSocket('udp4');let n=0;const f=()=>n++<10?s.send('demo',9,'127.0.0.1',f):s.close();f()",
    );
  } finally {
    try {
      sh('ip', 'netns', 'del', ns);
    } catch {}
  }
});
run.on('exit', (code) => {
  if (!sent) console.error('demo: the plugin never started tracing');
  process.exit(code ?? 1);
});
