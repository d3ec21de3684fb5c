// Public API of @nettrace/test-kernel: boot a matrix kernel, run commands in it, stop it.

export { arm64Btf, btfFromImage, fetchArm64, runArm64 } from './arm64.js';
export { btfMemberOffset } from './btf-offsets.js';
export { fetchKernel, type KernelTree } from './fetch.js';
export { buildFixture, fixtureDir } from './fixture.js';
export { type FixtureResult, type FixtureRun, runFixture } from './fixture-run.js';
export { liveTarget, type Target } from './host.js';
export {
  expectedKvmCounts,
  type IrqfdRun,
  KVM_SMOKE_TRAFFIC,
  type KvmCounts,
  type KvmResult,
  type KvmTraffic,
  kvmProblems,
  kvmSmokeCell,
  runKvmSmoke,
} from './kvm-smoke.js';
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
export { clearMatrix, recordCell, renderStored } from './matrix-file.js';
export { debugPackage, EXTERNAL_BTF_NOTE, externalBtfAfterRefusal, MODULES_WITH_HEADERS, moduleBtfFile } from './module-btf.js';
export {
  expectedOvsCounts,
  OVS_SMOKE_TRAFFIC,
  type OvsCounts,
  type OvsExactCounts,
  type OvsGuestView,
  type OvsResult,
  type OvsTraffic,
  ovsProblems,
  ovsSmokeCell,
  runOvsSmoke,
} from './ovs-smoke.js';
export { installedPlugins, pluginsWithoutKernelSuite } from './plugins.js';
export { Matrix as ResultMatrix } from './report.js';
export { expectedSmokeCounts, runSmoke, type SmokeCounts, type SmokeResult, type SmokeTraffic, smokeCell, smokeProblems } from './smoke.js';
export * as traffic from './traffic.js';
export { type Cell, cellOf, describeFailure, runVerify, type VerifyRecord } from './verify-gate.js';
export {
  runVhostSmoke,
  VHOST_RING,
  VHOST_SMOKE_TRAFFIC,
  type VhostCounts,
  type VhostResult,
  type VhostTraffic,
  vhostProblems,
  vhostSlotProblems,
  vhostSmokeCell,
} from './vhost-smoke.js';
export {
  expectedVirtioRow,
  runVirtioSmoke,
  VIRTIO_SMOKE_TRAFFIC,
  type VirtioDevRow,
  type VirtioGuestView,
  type VirtioNic,
  type VirtioSmokeResult,
  type VirtioTraffic,
  virtioProblems,
  virtioSmokeCell,
} from './virtio-smoke.js';
export { type ExecOptions, type ExecResult, ExecTimeoutError, type StartOptions, start, type Vm } from './vm.js';
