// The external programs nettrace itself may start, read from host-programs.json (the one list that
// setup installs from and the host-programs test keeps complete), and which of them this host lacks.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageDir } from '../package-dir.js';

export interface HostProgram {
  name: string;
  /** Debian package that provides it (null: comes with Node.js). */
  package: string | null;
  use: string[];
  /** Runtime programs only some features need: the feature, as `doctor` names it. */
  optional?: string;
}

let list: HostProgram[] | undefined;

/** Every declared program. */
export function hostPrograms(): HostProgram[] {
  type File = { programs: Record<string, Omit<HostProgram, 'name'>> };
  list ??= Object.entries((JSON.parse(readFileSync(join(packageDir, 'host-programs.json'), 'utf8')) as File).programs).map(([name, e]) => ({
    name,
    ...e,
  }));
  return list;
}

export function onPath(program: string): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v "$0"', program], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Runtime programs that are not on PATH here, each with the feature that needs it. */
export function missingRuntimePrograms(): HostProgram[] {
  return hostPrograms().filter((p) => p.use.includes('runtime') && !onPath(p.name));
}
