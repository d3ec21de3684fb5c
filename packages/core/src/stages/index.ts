// The stage-latency engine's user-space half (bpf-headers/nettrace/stages.bpf.h is the other):
// profiles as data, their hooks and rodata tables, and the reports of summary and details plugins.

export { configureStages, devicesOf, directionsOf, type StageMode, stageRun } from './configure.js';
export { type HookPoint, type HookPointId, hookDeclaration, hookPoint, hookPoints } from './hook-points.js';
export { flowFilterOptions, hostPathOptions, stageOptions, vmPathOptions } from './options.js';
export {
  type ActiveStage,
  type DeviceRole,
  DIRECTIONS,
  type Direction,
  type Profile,
  profileHooks,
  type StageSetup,
  type StageSpec,
  type StageTables,
  stageTables,
} from './profile.js';
export { enqueueToIprecProfile, hostOvsProfile, icmpRttProfile, ovsIcmpRttProfile, rxInternalProfile, vmOvsProfile } from './profiles.js';
export {
  cpuPairsSection,
  crossCpuSection,
  deviceName,
  type HandOffPair,
  METRICS_ROW_COLUMNS,
  metricsRow,
  pathSection,
  runTables,
  SESSION_ROW_COLUMNS,
  type SessionRow,
  type SummaryOptions,
  sessionRow,
  sessionsSection,
  stageSummary,
} from './report.js';
export { type RoundTripSplit, roundTripColumns, roundTripRow, roundTripSplit, unfinishedSection } from './round-trip.js';
