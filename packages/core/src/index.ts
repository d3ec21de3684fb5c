// @nettrace/core public API.

export { monotonicToClock, monotonicToEpochMs, monotonicToIso } from './clock.js';
export { applyConfig, type RecordedConfig, recordConfig } from './configure.js';
export { dropReasonLabel, dropReasons } from './drop-reasons.js';
export { BpfError, fromNative, KernelSupportError, SetupError, UsageError } from './errors.js';
export * as features from './features.js';
export { type FlowFields, type FlowLike, flowFields, flowText } from './flow.js';
export { histogramJson, renderHistogram } from './format/histogram.js';
export { renderOpenMetrics } from './format/openmetrics.js';
export { renderReportText, reportJson } from './format/render.js';
export { renderTable, StreamTable } from './format/table.js';
export { ethertypeName, formatMac, parseEthertype, vlanFields } from './frame.js';
export { HIST_SLOTS, type Histogram, histogramRange, histogramTotal, log2CountsFromValue, log2Range, log2Slot } from './hist.js';
export { type HostProgram, hostPrograms, missingRuntimePrograms, onPath } from './host-programs.js';
export { enumFromTracepointFormat, KernelEnum, kernelEnum } from './kernel-enums.js';
export { KernelSymbols, kernelSymbols } from './ksyms.js';
export { encodeUint, readBytes, readCString, readS64, readU64, type StructLayout } from './layout.js';
export { explainLoadFailure } from './load-failure.js';
export { BpfMap, possibleCpus, readCounters } from './map.js';
export { buildModuleBtf, defaultDebugDir, findModuleDebugFiles, type ModuleBtfRequest, type ModuleBtfResult } from './module-btf.js';
export { native } from './native.js';
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
} from './net.js';
export { currentNetns, ifindexInNetns, type NetnsValue, netnsLabel, netnsOf } from './netns.js';
export { type AttachKind, BpfLink, BpfObject, type OpenOptions } from './object.js';
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
} from './options.js';
export { describeAlternative, describePlan, type HookPlan, type PlannedHook, planHooks } from './planner.js';
export {
  API_VERSION,
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
} from './plugin.js';
export { attachPlan, openForPlan } from './prepare.js';
export type { Column, CountersSection, HistogramSection, Report, ReportSection, TableSection } from './report.js';
export {
  DEFAULT_DRAIN_MS,
  defaultWakeupBytes,
  type RecordBatch,
  type RingBufferOptions,
  RingBufferReader,
  type WakeupPolicy,
} from './ringbuf.js';
export { checkBtf, type RunOptions, type RunSummary, runPlugin } from './session.js';
export * from './shared_types.gen.js';
export { kernelStack, stackAddresses } from './stacks.js';
