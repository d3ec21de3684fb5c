// The monorepo's binding of the one BPF build rule (@nettrace/plugin-tools, bpf-build.mjs) to its
// headers: bpf-headers, the vendored libbpf, vmlinux.h in bpf-headers/build.
import * as rule from '@nettrace/plugin-tools';
import { repoHeaders } from './paths.mjs';

export const ensureVmlinuxHeader = () => rule.ensureVmlinuxHeader(repoHeaders.vmlinux);
export const buildBpf = (pkgDir) => rule.buildBpf(pkgDir, repoHeaders);
