#!/usr/bin/env node
import { main } from './main.js';

// `nettrace run ... | head`: a closed pipe ends the run quietly, like any Unix tool. Exiting
// closes the BPF link and program fds, so the kernel detaches everything.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

process.exitCode = await main(process.argv.slice(2));
