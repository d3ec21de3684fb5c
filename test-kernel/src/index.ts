// Public API of @nettrace/test-kernel: boot a matrix kernel, run commands in it, stop it.

export { fetchKernel, type KernelTree } from './fetch.js';
export { buildFixture, fixtureDir } from './fixture.js';
export { liveTarget, type Target } from './host.js';
export {
  buildLadderFixtures,
  type DoctorHook,
  expectedLadderCounts,
  type HeaderHook,
  type InfoHook,
  LADDER_SUBNET,
  type LadderCounts,
  type LadderDoctor,
  type LadderFixtures,
  type LadderInfo,
  type LadderRun,
  type LadderTraffic,
  ladderDoctor,
  ladderInfo,
  ladderRequired,
  ladderTableAttach,
  rungsFromDoctor,
  rungsFromHeader,
  rungsFromInfo,
  runLadder,
} from './ladder.js';
export { type KernelFacts, type KernelSpec, kernelSpec, loadMatrix, selectKernels } from './matrix.js';
export { installedPlugins } from './plugins.js';
export { expectedSmokeCounts, runSmoke, type SmokeCounts, type SmokeResult, type SmokeTraffic } from './smoke.js';
export * as traffic from './traffic.js';
export { type Cell, cellOf, describeFailure, runVerify, type VerifyRecord } from './verify-gate.js';
export { type ExecOptions, type ExecResult, ExecTimeoutError, type StartOptions, start, type Vm } from './vm.js';
export { Matrix as ResultMatrix } from './report.js';
