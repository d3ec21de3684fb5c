// Finds the external programs the project's own code starts: the first argument of
// execFileSync/spawn/sh(...) calls, the words in command position of shell strings passed to
// exec(...), and the commands of the shell scripts (setup, CI, the test-kernel guest helpers, which
// run in a chroot of the host's root and so use the host's programs). The host-programs test
// compares what it finds with packages/core/host-programs.json, so a test cannot start using a
// program that setup does not install.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Shell words that are not programs: builtins, keywords, and our own helpers and functions. */
const SHELL_WORDS = new Set(
  `if then else elif fi for while until do done case esac in function select time ! { } [ [[ ]] ]
   . : source alias bg cd command continue break declare echo eval exec exit export false fg getopts
   hash jobs kill let local printf pwd read readonly return set shift test trap true type ulimit umask
   unalias unset wait shopt disown builtin enable mapfile readarray die wait_dev wait_ready no_ipv6 debian_mirror`
    .split(/\s+/)
    .filter(Boolean),
);

/** Prefix commands whose argument is itself a command: `timeout 5 ping`, `ip netns exec NS ping`. */
function commandWords(line) {
  const words = line.trim().split(/\s+/).filter(Boolean);
  const out = [];
  let i = 0;
  while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i])) i++; // VAR=value prefixes
  if (i >= words.length) return out;
  const w = words[i];
  out.push(w);
  const next = (k) => commandWords(words.slice(k).join(' '));
  if (w === 'ip' && words[i + 1] === 'netns' && words[i + 2] === 'exec') return [...out, ...next(i + 4)];
  if (w === 'timeout') {
    let k = i + 1;
    while (k < words.length && /^-/.test(words[k])) k += /^-[ks]$/.test(words[k]) ? 2 : 1;
    return [...out, ...next(k + 1)];
  }
  if (['nohup', 'exec', 'command', 'sudo', 'setsid', 'nice', 'chroot', 'env'].includes(w)) {
    let k = i + 1;
    if (w === 'chroot') k++; // the new root
    while (k < words.length && (/^-/.test(words[k]) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[k]))) k++;
    return [...out, ...next(k)];
  }
  return out;
}

/** The shell text with quoted strings removed (single-quoted text is never a command; of
 * double-quoted text only the command substitutions `$(…)` are kept) and comments dropped. */
function unquote(text) {
  let out = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === '\\') {
      i += 2;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      i = end < 0 ? n : end + 1;
      out += "''";
    } else if (c === '"') {
      let j = i + 1;
      let kept = '';
      while (j < n && text[j] !== '"') {
        if (text[j] === '\\') j++;
        else if (text[j] === '$' && text[j + 1] === '(') {
          let depth = 0;
          const from = j;
          for (; j < n; j++) {
            if (text[j] === '(') depth++;
            else if (text[j] === ')' && --depth === 0) break;
          }
          kept += `;${text.slice(from, j + 1)};`;
        }
        j++;
      }
      out += `${kept}""`; // what follows the string continues the same command
      i = j + 1;
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? n : end;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Programs in command position in a shell text (a guard, not a shell: heredoc bodies and
 * unusual syntax are read loosely). `${…}` interpolations are opaque; shell functions the text
 * defines are not programs. */
export function shellPrograms(text) {
  const found = new Set();
  const body = unquote(text.replace(/\$\{[^}]*\}/g, 'X'))
    .replace(/\$\(\([^)]*\)\)/g, 'X') // arithmetic
    .replace(/^\s*[A-Za-z_]\w*=\([^)]*\)/gm, '') // array assignments
    .replace(/^\s*\(?[\w*.|-]+\)(?=\s|$)/gm, ''); // case labels: `on)`, `a|b)`, `*)`
  const functions = new Set([...body.matchAll(/^\s*([A-Za-z_][\w-]*)\s*\(\)/gm)].map((m) => m[1]));
  for (const piece of body.split(/\n|;|&&|\|\||\||\$\(|`|\(|\)|&(?!>)/)) {
    for (const w of commandWords(piece.replace(/^\s*((then|do|else|if|elif|while|until|!)\s+)+/, ''))) {
      if (!w || SHELL_WORDS.has(w) || functions.has(w) || /[$=<>"'\\*?{}:,]|^X|^-|^\d/.test(w)) continue;
      const system = /^\/(usr\/)?s?bin\//.test(w);
      if (!system && (w.includes('/') || w.startsWith('.') || /^tk-/.test(w))) continue; // our own scripts and guest helpers
      found.add(w.split('/').pop());
    }
  }
  return found;
}

// spawn-family calls take the program first; sh()/exec() take it first only when an argv array follows.
const SPAWN_CALL =
  /\b(?:execFileSync|execFile|spawnSync|spawn)\(\s*(['"`])([^'"`$\s]+)\1\s*[,)]|\b(?:sh|exec)\(\s*(['"`])([^'"`$\s]+)\3\s*,\s*\[/g;
// Indirect forms: run(['prog', …]) (test-kernel), `? ['prog', [args]]` tuples, argv tables
// whose second element is an option (`xz: ['xz', '-dc']`), and `// spawns: a, b` for names kept in variables.
const ARGV_FORMS = [
  /\brun\(\s*\[\s*(['"])([\w.+-]+)\1/g,
  /[?:]\s*\[\s*(['"])([\w.+-]+)\1\s*,\s*\[/g,
  /\w:\s*\[\s*(['"])([a-z][\w.+-]*)\1\s*,\s*(['"])-/g,
];
const ANNOTATION = /\/\/\s*spawns:\s*([\w.+, -]+)/g;
const SHELL_CALL = /(?:\bexecSync|\bexec|\.exec|\bsh)\(\s*(['"`])((?:(?!\1)[\s\S])*)\1\s*[,)]/g;
const SCRIPT_LINE = /^\s*(['"`])((?:(?!\1).)*)\1,?\s*$/;
// A shell script as an argv element: ['sh', '-c', 'find . | cpio -o'] (any of sh, bash, dash).
const SHELL_ARGV = /(['"])(?:sh|bash|dash)\1\s*,\s*(['"])-c\2\s*,\s*(['"`])((?:(?!\3)[\s\S])*)\3/g;

/** Programs started from one JavaScript/TypeScript source text. */
export function sourcePrograms(text) {
  const found = new Set();
  for (const m of text.matchAll(SPAWN_CALL)) found.add((m[2] ?? m[4]).split('/').pop());
  for (const form of ARGV_FORMS) for (const m of text.matchAll(form)) found.add(m[2]);
  for (const m of text.matchAll(ANNOTATION)) for (const n of m[1].split(/[\s,]+/)) if (n) found.add(n);
  for (const m of text.matchAll(SHELL_CALL)) {
    // Shell strings: skip a program + args call (its first argument alone is caught above).
    const after = text.slice(m.index + m[0].length - 1, m.index + m[0].length + 3);
    if (/^,\s*\[/.test(after)) continue;
    for (const p of shellPrograms(m[2].replace(/\$\{[^}]*\}/g, 'X'))) found.add(p);
  }
  for (const m of text.matchAll(SHELL_ARGV)) for (const p of shellPrograms(m[4].replace(/\$\{[^}]*\}/g, 'X'))) found.add(p);
  // Scripts assembled as arrays of lines: `const script = [ 'line', `line`, … ]`, `traffic: [ … ]`.
  for (const block of text.matchAll(/(?:\bscript\s*=|\btraffic:|\bsetup:)\s*\[\s*\n((?:\s*(['"`]).*\2,?\s*\n)+)/g)) {
    for (const line of block[1].split('\n')) {
      const m = SCRIPT_LINE.exec(line);
      if (m) for (const p of shellPrograms(m[2].replace(/\$\{[^}]*\}/g, 'X'))) found.add(p);
    }
  }
  return found;
}

function walk(dir, keep, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, keep, out);
    else if (keep(path)) out.push(path);
  }
  return out;
}

const isSource = (p) => /\.(ts|mts|mjs|js)$/.test(p) && !/\.gen\.ts$|\.d\.ts$/.test(p);
const isShell = (p) => /\.sh$/.test(p) || /^#!\s*\/(usr\/)?bin\/(env\s+)?(ba)?sh/.test(readFileSync(p, 'utf8').slice(0, 40));

/** program → files that start it, over the repository's code, tests, tooling and scripts. */
export function spawnedPrograms(root) {
  const where = new Map();
  const add = (names, file) => {
    for (const n of names) {
      if (!where.has(n)) where.set(n, new Set());
      where.get(n).add(relative(root, file));
    }
  };
  // The scanner and its test name programs as examples, not to start them.
  const self = new Set(['tooling/src/spawned-programs.mjs', 'tooling/test/host-programs.test.ts'].map((f) => join(root, f)));
  const sourceDirs = ['packages', 'plugins', 'tooling', 'test-kernel/src', 'test-kernel/test', 'test-kernel/fixtures'];
  for (const d of sourceDirs) {
    for (const f of walk(join(root, d), (p) => isSource(p) && !self.has(p))) add(sourcePrograms(readFileSync(f, 'utf8')), f);
  }
  const scriptDirs = ['tooling/bin', 'test-kernel/guest/bin', 'test-kernel/guest/lib', '.ci'];
  for (const d of scriptDirs) {
    for (const f of walk(join(root, d), (p) => !isSource(p) && isShell(p))) add(shellPrograms(readFileSync(f, 'utf8')), f);
  }
  // .ci/run is a dot-directory, skipped by walk's filter above when listed as a child.
  add(shellPrograms(readFileSync(join(root, '.ci/run'), 'utf8')), join(root, '.ci/run'));
  return where;
}
