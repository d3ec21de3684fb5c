// @nettrace/core public API.

export { encodeUint, readBytes, readCString, readS64, readU64, type StructLayout } from './bpf/layout.js';
export { BpfMap, possibleCpus, readCounters } from './bpf/map.js';
export { native } from './bpf/native.js';
export { type AttachKind, BpfLink, BpfObject, type OpenOptions } from './bpf/object.js';
export {
  DEFAULT_DRAIN_MS,
  defaultWakeupBytes,
  type RecordBatch,
  type RingBufferOptions,
  RingBufferReader,
  type WakeupPolicy,
} from './bpf/ringbuf.js';
export { BpfError, fromNative, KernelSupportError, SetupError, UsageError } from './errors.js';
export { monotonicToClock, monotonicToEpochMs, monotonicToIso } from './kernel/clock.js';
export { dropReasonLabel, dropReasons } from './kernel/drop-reasons.js';
export * as features from './kernel/features.js';
export { type HostProgram, hostPrograms, missingRuntimePrograms, onPath } from './kernel/host-programs.js';
export { enumFromTracepointFormat, KernelEnum, kernelEnum } from './kernel/kernel-enums.js';
export { KernelSymbols, kernelSymbols } from './kernel/ksyms.js';
export { buildModuleBtf, defaultDebugDir, findModuleDebugFiles, type ModuleBtfRequest, type ModuleBtfResult } from './kernel/module-btf.js';
export {
  AF_INET,
  AF_INET6,
  formatIp,
  type IpAddress,
  ifindexOf,
  interfaceName,
  parseIp,
  parsePort,
  parseProtocol,
  protocolName,
} from './kernel/net.js';
export { currentNetns, ifindexInNetns, type NetnsValue, netnsLabel, netnsOf } from './kernel/netns.js';
export { kernelStack, stackAddresses } from './kernel/stacks.js';
export { type FlowFields, type FlowLike, flowFields, flowText } from './output/flow.js';
export { ethertypeName, formatMac, parseEthertype, vlanFields } from './output/frame.js';
export { HIST_SLOTS, type Histogram, histogramRange, histogramTotal, log2CountsFromValue, log2Range, log2Slot } from './output/hist.js';
export { histogramJson, renderHistogram } from './output/histogram.js';
export { renderOpenMetrics } from './output/openmetrics.js';
export { renderReportText, reportJson } from './output/render.js';
export { renderTable, StreamTable } from './output/table.js';
export { applyConfig, type RecordedConfig, recordConfig } from './plugin/configure.js';
export {
  API_VERSION,
  activeHooks,
  type ConfigureContext,
  type Configurer,
  definePlugin,
  type HookAlternative,
  type HookSpec,
  type Plugin,
  type PluginDefinition,
  pluginManifest,
  type ReportOutput,
  type RunContext,
  type StreamOutput,
  tracepointHook,
} from './plugin/contract.js';
export {
  formatHelp,
  type InterfaceValue,
  type OptionKind,
  type OptionSpec,
  type OptionsSchema,
  type OptionValues,
  parseOptions,
  runnerOptions,
  vocabulary,
} from './plugin/options.js';
export { describeAlternative, describePlan, type HookPlan, type PlannedHook, planHooks } from './plugin/planner.js';
export type { Column, CountersSection, HistogramSection, Report, ReportSection, TableSection } from './plugin/report.js';
export { explainLoadFailure } from './run/load-failure.js';
export { attachPlan, openForPlan } from './run/prepare.js';
export { checkBtf, type RunOptions, type RunSummary, runPlugin } from './run/session.js';
export * from './shared_types.gen.js';
export * from './stages/index.js';
