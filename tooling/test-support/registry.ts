// A private npm registry for install tests: verdaccio (the root's devDependency) on a free
// loopback port, its storage and configuration in `dir`. Our scope (@nettrace) and the test's
// third-party scopes live only here (never proxied, so nothing is fetched from or published to
// the public registry under those names); other packages (our dependencies) are proxied from the
// public registry. Also what the install tests share: publishing the workspace, and the clean
// prefix, HOME and compiler-free PATH a user's `npm i -g` runs with.
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../src/paths.mjs';

const execFileAsync = promisify(execFile);

export interface Registry {
  url: string;
  /** An npmrc (for --userconfig) holding a token of a user who may publish. */
  npmrc: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilUp(url: string, child: ChildProcess, log: () => string): Promise<void> {
  for (let waited = 0; waited < 120_000; waited += 250) {
    if (child.exitCode !== null) throw new Error(`verdaccio exited (${child.exitCode}): ${log()}`);
    try {
      if ((await fetch(`${url}/-/ping`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`verdaccio did not answer on ${url} in 120 s: ${log()}`);
}

export async function startRegistry(dir: string, localScopes: string[] = ['@nettrace']): Promise<Registry> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  mkdirSync(dir, { recursive: true });
  const config = join(dir, 'verdaccio.yaml');
  writeFileSync(
    config,
    [
      `storage: ${join(dir, 'storage')}`,
      'auth:',
      `  htpasswd: { file: ${join(dir, 'htpasswd')} }`,
      'uplinks:',
      '  npmjs: { url: https://registry.npmjs.org/ }',
      'packages:',
      ...localScopes.map((scope) => `  '${scope}/*': { access: $all, publish: $authenticated }`),
      "  '**': { access: $all, publish: $authenticated, proxy: npmjs }",
      'middlewares: { audit: { enabled: false } }',
      'log: { type: stdout, format: pretty, level: warn }',
      '',
    ].join('\n'),
  );
  const bin = join(repoRoot, 'node_modules/verdaccio/bin/verdaccio');
  const child = spawn(process.execPath, [bin, '--config', config, '--listen', `127.0.0.1:${port}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HOME: dir },
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  };
  try {
    await waitUntilUp(url, child, () => output.slice(-2000));
    // npm adduser's request: htpasswd registers the user and returns its token.
    const res = await fetch(`${url}/-/user/org.couchdb.user:nettrace-test`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'nettrace-test', password: 'nettrace-test-password' }),
    });
    const { token } = (await res.json()) as { token?: string };
    if (!token) throw new Error(`verdaccio refused the test user (${res.status})`);
    const npmrc = join(dir, 'publish.npmrc');
    writeFileSync(npmrc, `registry=${url}/\n//127.0.0.1:${port}/:_authToken=${token}\n`);
    return { url, npmrc, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The workspace packages npm would publish (not private): bpf-headers/ and those under packages/ and plugins/. */
export const publishedDirs = [
  join(repoRoot, 'bpf-headers'),
  ...['packages', 'plugins'].flatMap((top) => readdirSync(join(repoRoot, top)).map((d) => join(repoRoot, top, d))),
]
  .filter((d) => existsSync(join(d, 'package.json')))
  .filter((d) => !(JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')) as { private?: boolean }).private);

/** npm publish of every published workspace package, as built by npm test's build step.
 * Asynchronous: forty publishes take longer than the 60 s a blocked vitest worker may stay silent
 * ("Timeout calling onTaskUpdate"). */
export async function publishWorkspace(registry: Registry, home: string): Promise<void> {
  for (const dir of publishedDirs) {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { main?: string };
    if (pkg.main && !existsSync(join(dir, pkg.main))) throw new Error(`${dir} is not built: npm run build first`);
  }
  for (const dir of publishedDirs) await publishPackage(registry, dir, home);
}

export async function publishPackage(registry: Registry, dir: string, home: string): Promise<void> {
  await execFileAsync('npm', ['publish', '--ignore-scripts', '--registry', registry.url, '--userconfig', registry.npmrc], {
    cwd: dir,
    env: { ...process.env, HOME: home },
  });
}

/** Compilers a host without a build toolchain lacks. */
export const COMPILERS = /^(cc|c\+\+|gcc|g\+\+|clang.*|tcc)$/;

/** The programs npm and the installed `nettrace` start, and nothing else: a PATH of symlinks. */
function compilerFreePath(dir: string): string {
  mkdirSync(dir);
  const npm = realpathSync(execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim());
  symlinkSync(process.execPath, join(dir, 'node'));
  symlinkSync(npm, join(dir, 'npm'));
  // npm runs lifecycle scripts (none of ours has one) through sh.
  symlinkSync('/bin/sh', join(dir, 'sh'));
  return dir;
}

/** A user's environment in `work`: clean HOME, a global prefix, npm pointed at the registry,
 * and a PATH that holds the prefix's bin/ and no compiler. */
export function userEnv(work: string, registry: Registry): { env: NodeJS.ProcessEnv; prefix: string } {
  const home = join(work, 'home');
  const prefix = join(work, 'prefix');
  mkdirSync(home);
  const bin = compilerFreePath(join(work, 'bin'));
  const env = {
    HOME: home,
    PATH: [join(prefix, 'bin'), bin].join(delimiter),
    npm_config_prefix: prefix,
    npm_config_registry: registry.url,
    npm_config_cache: join(home, '.npm'),
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    LANG: 'C.UTF-8',
  };
  return { env, prefix };
}

/** The compilers found on `env`'s PATH (none, for a user's environment). */
export function compilersOnPath(env: NodeJS.ProcessEnv): string[] {
  return (env.PATH ?? '').split(delimiter).flatMap((d) => (existsSync(d) ? readdirSync(d) : []).filter((f) => COMPILERS.test(f)));
}
