// Public API of @nettrace/test-kernel: boot a matrix kernel, run commands in it, stop it.

export { fetchKernel, type KernelTree } from './fetch.js';
export { buildFixture, fixtureDir } from './fixture.js';
export { type KernelFacts, type KernelSpec, kernelSpec, loadMatrix, selectKernels } from './matrix.js';
export { installedPlugins } from './plugins.js';
export { expectedSmokeCounts, runSmoke, type SmokeCounts, type SmokeResult, type SmokeTraffic } from './smoke.js';
export * as traffic from './traffic.js';
export { type Cell, cellOf, describeFailure, runVerify, type VerifyRecord } from './verify-gate.js';
export { type ExecOptions, type ExecResult, ExecTimeoutError, type StartOptions, start, type Vm } from './vm.js';
