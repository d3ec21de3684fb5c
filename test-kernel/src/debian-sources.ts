// The Debian mirror URIs of this machine, read from its own apt configuration. The repository never
// names a registry host: suites the machine does not list (bullseye, bookworm-backports) are reached
// through the same mirrors the machine already uses.
import { existsSync, readFileSync } from 'node:fs';

export interface Mirrors {
  /** Archive for release, -updates and -backports suites. */
  main: string;
  /** Archive for -security suites. */
  security: string;
  /** Keyring apt should verify both with. */
  signedBy: string;
}

interface Entry {
  uri: string;
  suites: string[];
  signedBy?: string;
}

const DEFAULT_KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg';

/** Entries of a deb822 `.sources` file (only `Types: deb` stanzas). */
export function parseDeb822(text: string): Entry[] {
  const entries: Entry[] = [];
  for (const stanza of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    for (const line of stanza.split('\n')) {
      const m = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
      if (m?.[1] && m[2] !== undefined) fields.set(m[1].toLowerCase(), m[2].trim());
    }
    if (!(fields.get('types') ?? '').split(/\s+/).includes('deb')) continue;
    const suites = (fields.get('suites') ?? '').split(/\s+/).filter(Boolean);
    for (const uri of (fields.get('uris') ?? '').split(/\s+/).filter(Boolean)) {
      entries.push({ uri, suites, signedBy: fields.get('signed-by') });
    }
  }
  return entries;
}

/** Entries of a one-line `sources.list` (`deb [opts] URI SUITE COMPONENT...`). */
export function parseOneLine(text: string): Entry[] {
  const entries: Entry[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    const m = /^deb\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(\S+)/.exec(line);
    if (!m?.[2] || !m[3]) continue;
    const signedBy = /signed-by=(\S+)/.exec(m[1] ?? '')?.[1];
    entries.push({ uri: m[2], suites: [m[3]], signedBy });
  }
  return entries;
}

/** Picks the main and security archives out of the entries. */
export function mirrorsFrom(entries: Entry[]): Mirrors | undefined {
  const isSecurity = (e: Entry) => e.suites.some((s) => s.endsWith('-security') || s.endsWith('/updates'));
  const main = entries.find((e) => !isSecurity(e));
  if (!main) return undefined;
  const security = entries.find(isSecurity);
  const trimmed = main.uri.replace(/\/+$/, '');
  return {
    main: trimmed,
    // A machine without a security entry still has one next to its main archive on Debian mirrors.
    security: security ? security.uri.replace(/\/+$/, '') : `${trimmed}-security`,
    signedBy: main.signedBy && existsSync(main.signedBy) ? main.signedBy : DEFAULT_KEYRING,
  };
}

/** Reads the machine's apt sources; throws naming the files it looked at. */
export function hostMirrors(deb822 = '/etc/apt/sources.list.d/debian.sources', oneLine = '/etc/apt/sources.list'): Mirrors {
  const entries = [
    ...(existsSync(deb822) ? parseDeb822(readFileSync(deb822, 'utf8')) : []),
    ...(existsSync(oneLine) ? parseOneLine(readFileSync(oneLine, 'utf8')) : []),
  ];
  const mirrors = mirrorsFrom(entries);
  if (!mirrors) {
    throw new Error(
      `no Debian archive found in ${deb822} or ${oneLine}: test-kernel fetches kernels through the machine's own ` +
        'Debian mirror; configure apt for Debian first',
    );
  }
  return mirrors;
}
