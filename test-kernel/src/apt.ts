// A private apt configuration per Debian release: its own sources list, index lists and package
// cache under .work/apt/<release>/, so fetching kernels never touches the host's apt state and the
// host needs no bullseye or backports entry of its own.
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { hostMirrors, type Mirrors } from './debian-sources.js';
import { work } from './paths.js';
import { type RunResult, run } from './proc.js';

/** Indexes older than this are refreshed before a lookup (kernel ABIs move every few weeks). */
const MAX_LIST_AGE_MS = 12 * 3600 * 1000;

export class AptWorld {
  readonly dir: string;
  private readonly sourcesFile: string;
  private updated = false;

  /** `arch`: another architecture's packages (e.g. arm64), in a world of their own. */
  constructor(
    readonly release: string,
    readonly suites: readonly string[],
    private readonly mirrors: Mirrors = hostMirrors(),
    readonly arch?: string,
  ) {
    this.dir = work.apt(arch ? `${release}-${arch}` : release);
    this.sourcesFile = path.join(this.dir, 'sources.list');
  }

  /** apt's options that redirect every piece of state into this world's directory. */
  private options(): string[] {
    const opts = [
      `Dir::Etc::SourceList=${this.sourcesFile}`,
      'Dir::Etc::SourceParts=-',
      'Dir::Etc::Preferences=/dev/null',
      'Dir::Etc::PreferencesParts=-',
      `Dir::State::Lists=${path.join(this.dir, 'lists')}`,
      `Dir::Cache=${path.join(this.dir, 'cache')}`,
      'Acquire::Languages=none',
      'Debug::NoLocking=1',
    ];
    if (this.arch) opts.push(`APT::Architecture=${this.arch}`, `APT::Architectures::=${this.arch}`);
    // As root apt drops to _apt for downloads, which cannot write into our root-owned directories.
    if (process.getuid?.() === 0) opts.push('APT::Sandbox::User=root');
    return opts.flatMap((o) => ['-o', o]);
  }

  private writeSources(): void {
    mkdirSync(path.join(this.dir, 'lists', 'partial'), { recursive: true });
    mkdirSync(path.join(this.dir, 'cache', 'archives', 'partial'), { recursive: true });
    const lines = this.suites.map((suite) => {
      const uri = suite.endsWith('-security') ? this.mirrors.security : this.mirrors.main;
      return `deb [signed-by=${this.mirrors.signedBy}] ${uri} ${suite} main`;
    });
    writeFileSync(this.sourcesFile, `${lines.join('\n')}\n`);
  }

  private listsFresh(): boolean {
    const stamp = path.join(this.dir, 'lists', '.updated');
    return existsSync(stamp) && Date.now() - statSync(stamp).mtimeMs < MAX_LIST_AGE_MS;
  }

  /** Downloads the indexes unless they are recent (or `force`). */
  async update(force = false): Promise<void> {
    if (this.updated && !force) return;
    this.writeSources();
    if (force || !this.listsFresh()) {
      await run(['apt-get', ...this.options(), '-qq', 'update']);
      writeFileSync(path.join(this.dir, 'lists', '.updated'), `${new Date().toISOString()}\n`);
    }
    this.updated = true;
  }

  async cache(args: string[]): Promise<RunResult> {
    await this.update();
    return run(['apt-cache', ...this.options(), ...args], { allowFailure: true });
  }

  /** Versions of a package the archive offers now (empty when it has left the archive). */
  async versions(pkg: string): Promise<string[]> {
    const r = await this.cache(['madison', pkg]);
    return r.stdout
      .split('\n')
      .map((l) => l.split('|').map((f) => f.trim()))
      .filter((f) => f[0] === pkg && f[1])
      .map((f) => f[1] as string);
  }

  /** `apt-get download pkg=version` into dir; returns the .deb path. */
  async download(pkg: string, version: string, dir: string): Promise<string> {
    await this.update();
    mkdirSync(dir, { recursive: true });
    await run(['apt-get', ...this.options(), '-qq', 'download', `${pkg}=${version}`], { cwd: dir });
    // apt writes NAME_VERSION_ARCH.deb with the epoch's colon escaped as %3a; arch may be amd64 or all.
    const prefix = `${pkg}_${version.replace(/:/g, '%3a')}_`;
    const deb = readdirSync(dir).find((f) => f.startsWith(prefix) && f.endsWith('.deb'));
    if (!deb) throw new Error(`apt-get download ${pkg}=${version} reported success but no ${prefix}*.deb is in ${dir}`);
    return path.join(dir, deb);
  }
}
