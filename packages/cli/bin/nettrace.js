#!/usr/bin/env node
// The `nettrace` command. A committed launcher, so npm links the command when it installs the
// package, even in a repository clone where dist/ is built later.
try {
  await import('../dist/bin.js');
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('dist/bin.js')) throw err;
  process.stderr.write('nettrace: @nettrace/cli is not built (dist/bin.js is missing); in a clone of the repository: npm run build\n');
  process.exitCode = 1;
}
