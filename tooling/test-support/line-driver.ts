// A traffic program in a network namespace that a live test drives step by step: it reads commands
// from stdin and reports each step as a line on stdout ("ready", "drops 3", ...), so the test can
// change the network between steps (a filter rule, a socket option) without timed waits.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface LineDriver {
  /** Resolves when the program has exited with status 0 (rejects otherwise). */
  exit: Promise<void>;
  /** Sends one command line. */
  send(line: string): void;
  /** The next line starting with `prefix` (lines are kept until asked for). */
  line(prefix: string): Promise<string>;
}

/** Starts `program args…` inside namespace `ns` (`ip netns exec`). */
export function lineDriver(ns: string, program: string, args: string[]): LineDriver {
  const child: ChildProcess = spawn('ip', ['netns', 'exec', ns, program, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting: { prefix: string; resolve: (l: string) => void }[] = [];
  const seen: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (l) => {
    const i = waiting.findIndex((w) => l.startsWith(w.prefix));
    if (i >= 0) waiting.splice(i, 1)[0].resolve(l);
    else seen.push(l);
  });
  const exit = new Promise<void>((resolve, reject) =>
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${program} ${args.join(' ')} exited with ${code}`)))),
  );
  exit.catch(() => {}); // observed by whoever awaits it
  return {
    exit,
    send: (l) => child.stdin!.write(`${l}\n`),
    line: (prefix) =>
      new Promise<string>((resolve) => {
        const i = seen.findIndex((l) => l.startsWith(prefix));
        if (i >= 0) resolve(seen.splice(i, 1)[0]);
        else waiting.push({ prefix, resolve });
      }),
  };
}
