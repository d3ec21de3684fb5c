// Runs a plugin's command as its own process and collects its JSON lines, traffic in between.
import { spawn } from 'node:child_process';

export interface CliRun {
  code: number;
  /** Every JSON line: header, events, interval reports, final. */
  json: Record<string, unknown>[];
  stderr: string;
}

/** Runs a command printing JSON lines (`nettrace run <id> ... -o json`, with its own environment),
 * the way a user does: `during` (the test's traffic) runs once the header is out, i.e. once every
 * program is attached; `settleMs` later the command gets SIGTERM and its lines are returned. */
export async function runCommandJson(
  command: string,
  args: string[],
  during: () => void | Promise<void>,
  settleMs = 300,
  env: NodeJS.ProcessEnv = process.env,
): Promise<CliRun> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  let out = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? 128)));
  const attached = new Promise<boolean>((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('"type":"header"')) resolve(true);
    });
    void exited.then(() => resolve(false));
  });
  if (await attached) {
    try {
      await during();
      await new Promise((r) => setTimeout(r, settleMs));
    } finally {
      child.kill('SIGTERM');
    }
  }
  const code = await exited;
  const json = out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code, json, stderr };
}
