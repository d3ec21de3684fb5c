// The `nettrace` command: dispatch, and the one place where errors become exit codes.
// 0 ok · 1 runtime failure (kernel, BPF, I/O) · 2 usage error. User mistakes never print a stack.
import { BpfError, KernelSupportError, SetupError, UsageError } from '@nettrace/core';
import { takeFlag, takePluginDirs } from './args.js';
import { btfCommand } from './commands/btf.js';
import { doctorCommand } from './commands/doctor.js';
import { infoCommand } from './commands/info.js';
import { listCommand } from './commands/list.js';
import { runCommand } from './commands/run.js';
import { verifyCommand } from './commands/verify.js';
import { discoverPlugins } from './discover.js';
import { type Io, processIo } from './io.js';
import { PluginLoadError } from './plugin-import.js';
import { cliVersion, coreVersion } from './version.js';

const version = cliVersion();

export const mainHelp = `nettrace ${version}: eBPF network troubleshooting for virtualization hosts

Usage: nettrace <command> [options]

Commands:
  list                 installed plugins and whether this kernel can run them
  info <plugin>        a plugin's options, hooks and plan on this kernel
  run <plugin> [opts]  run a plugin (Ctrl-C prints the final report)
  serve <plugin>|--config FILE  run plugins as a service: Prometheus/OpenMetrics at /metrics
  doctor [plugin...]   kernel features, privileges, and which plugins can run
  verify [plugin...]   load and attach plugins' programs, then detach (self-test)
  btf build [opts]     BTF with module types, for kernels without module BTF (use with --btf)
  new <id> [opts]      scaffold a plugin package of your own (builds with @nettrace/plugin-tools)

Global options:
  --plugin <dir>       use the plugin in <dir> as well as the installed ones
  --debug              print the full cause (stack) of an unexpected failure
  -h, --help           help (also after a command)
  --version            print the versions of the CLI, its core and the installed plugins

Exit status: 0 ok, 1 runtime failure, 2 usage error.`;

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const { found: debug, rest: args0 } = takeFlag(argv, '--debug');
  try {
    const { dirs, rest } = takePluginDirs(args0);
    const [command, ...args] = rest;
    switch (command) {
      case undefined:
        io.err(mainHelp);
        return 2;
      case '-h':
      case '--help':
      case 'help':
        io.out(mainHelp);
        return 0;
      case '--version':
      case '-V':
        io.out(`nettrace ${version}`);
        io.out(`@nettrace/core ${coreVersion()}`);
        for (const p of discoverPlugins(dirs).plugins) io.out(`${p.packageName} ${p.version}`);
        return 0;
      case 'list':
        return listCommand(args, dirs, io);
      case 'info':
        return infoCommand(args, dirs, io);
      case 'run':
        return await runCommand(args, dirs, io);
      case 'serve':
        // Loaded on use: serve brings an HTTP server and the OpenTelemetry SDK, which every other
        // command's start-up would pay for (seconds inside a TCG test VM).
        return await (await import('./commands/serve.js')).serveCommand(args, dirs, io);
      case 'doctor':
        return doctorCommand(args, dirs, io);
      case 'verify':
        return verifyCommand(args, dirs, io);
      case 'btf':
        return btfCommand(args, dirs, io);
      case 'new':
        // Loaded on use, like serve: the templates are of no use to any other command.
        return (await import('./commands/new.js')).newCommand(args, io);
      default:
        throw new UsageError(
          `unknown command '${command}' (commands: list, info, run, serve, doctor, verify, btf, new; see nettrace --help)`,
        );
    }
  } catch (err) {
    return reportError(err, io, debug);
  }
}

function reportError(err: unknown, io: Io, debug: boolean): number {
  if (err instanceof UsageError) {
    io.err(`nettrace: ${err.message}`);
    return 2;
  }
  if (err instanceof SetupError) {
    io.err(`nettrace: ${err.message}`);
    return 1;
  }
  if (err instanceof KernelSupportError) {
    io.err(`nettrace: ${err.message}`);
    if (err.hint) io.err(`  hint: ${err.hint}`);
    return 1;
  }
  if (err instanceof BpfError) {
    const log = err.libbpfLog.trim();
    if (log) io.err(log.split('\n').slice(-25).join('\n'));
    io.err(`nettrace: ${err.message} (${err.code})`);
    if (err.hint) io.err(`  hint: ${err.hint}`);
    return 1;
  }
  if (err instanceof PluginLoadError) {
    io.err(`nettrace: ${err.message}`);
    const cause = err.cause as Error | undefined;
    if (debug && cause) io.err(cause.stack ?? String(cause));
    else io.err('  (--debug shows the full cause)');
    return 1;
  }
  const e = err as Error;
  io.err(`nettrace: internal error: ${e?.stack ?? String(err)}`);
  io.err('  this is a bug in nettrace or a plugin: please report it with the command line above');
  return 1;
}
