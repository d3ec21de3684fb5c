// @nettrace/plugin-tools: the build of a nettrace plugin package (also the monorepo's, through
// tooling/bin/build.mjs): BPF objects, generated contracts and decoders, manifests.
export { bpfTargetArch, buildBpf, ensureVmlinuxHeader, vmlinuxDir } from './bpf-build.mjs';
export { generateContract, PROGRAM_NAME_MAX } from './gen-contract.mjs';
export { generateDecoders, generateModule, sharedStructSizes } from './gen-types.mjs';
export { checkAgainstObject, writeManifest } from './manifest.mjs';
export { checkNoNumericOffsets } from './offset-check.mjs';
export { buildPlugin, installedHeaders } from './plugin-build.mjs';
