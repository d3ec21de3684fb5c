// The versions `nettrace new` pins a new plugin to: the @nettrace build and test packages this CLI
// was built with (@nettrace/core: the one it runs on, version.ts).
// The JSON imports are inlined into the CLI's bundle at build time (the packages themselves are not
// installed next to a global CLI), so a scaffold always asks for tooling that matches its CLI.
import headersPackage from '@nettrace/bpf-headers/package.json' with { type: 'json' };
import testingPackage from '@nettrace/plugin-testing/package.json' with { type: 'json' };
import toolsPackage from '@nettrace/plugin-tools/package.json' with { type: 'json' };

/** `^<version>` of each package a scaffolded plugin depends on, by package name. */
export const scaffoldVersions: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries([headersPackage, toolsPackage, testingPackage].map((p) => [p.name, `^${p.version}`])),
);
