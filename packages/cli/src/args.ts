// Small argv helpers shared by the commands.
import { UsageError } from '@nettrace/core';

/** Removes every `--plugin <dir>` / `--plugin=<dir>` and returns the dirs with the rest. */
export function takePluginDirs(argv: string[]): { dirs: string[]; rest: string[] } {
  const dirs: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--plugin') {
      const d = argv[++i];
      if (!d) throw new UsageError('--plugin needs a directory');
      dirs.push(d);
    } else if (a.startsWith('--plugin=')) dirs.push(a.slice(9));
    else rest.push(a);
  }
  return { dirs, rest };
}

/** For commands whose only options are --output and --help. */
export function simpleOptions(argv: string[], command: string): { output: 'table' | 'json'; help: boolean; positional: string[] } {
  let output: 'table' | 'json' = 'table';
  let help = false;
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') help = true;
    else if (a === '-o' || a === '--output' || a.startsWith('--output=')) {
      const v = a.includes('=') ? a.split('=')[1] : argv[++i];
      if (v !== 'table' && v !== 'json') throw new UsageError(`--output: '${v ?? ''}' is not one of table, json`);
      output = v;
    } else if (a.startsWith('-')) throw new UsageError(`nettrace ${command}: unknown option '${a}'`);
    else positional.push(a);
  }
  return { output, help, positional };
}
