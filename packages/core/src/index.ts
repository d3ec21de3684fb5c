// @nettrace/core public API.
export { BpfObject, BpfLink, type AttachKind, type OpenOptions } from './object.js';
export { BpfMap, possibleCpus, readCounters } from './map.js';
export {
  DEFAULT_DRAIN_MS, RingBufferReader, type RecordBatch, type RingBufferOptions, type WakeupPolicy, defaultWakeupBytes,
} from './ringbuf.js';
export { BpfError, KernelSupportError, SetupError, UsageError, fromNative } from './errors.js';
export { type StructLayout, encodeUint, readBytes, readCString, readS64, readU64 } from './layout.js';
export { HIST_SLOTS, type Histogram, histogramRange, histogramTotal, log2CountsFromValue, log2Range, log2Slot } from './hist.js';
export { renderHistogram, histogramJson } from './format/histogram.js';
export { StreamTable, renderTable } from './format/table.js';
export { renderReportText, reportJson } from './format/render.js';
export type { Column, CountersSection, HistogramSection, Report, ReportSection, TableSection } from './report.js';
export { AF_INET, AF_INET6, type IpAddress, formatIp, ifindexOf, interfaceName, parseIp, parsePort, parseProtocol, protocolName } from './net.js';
export { KernelSymbols, kernelSymbols } from './ksyms.js';
export { KernelEnum, enumFromTracepointFormat, kernelEnum } from './kernel-enums.js';
export * as features from './features.js';
export {
  type InterfaceValue, type OptionKind, type OptionSpec, type OptionValues, type OptionsSchema,
  formatHelp, parseOptions, runnerOptions, vocabulary,
} from './options.js';
export {
  API_VERSION, type Configurer, type HookAlternative, type HookSpec, type Plugin, type PluginDefinition,
  type ReportOutput, type RunContext, type StreamOutput, definePlugin, pluginManifest, tracepointHook,
} from './plugin.js';
export { type HookPlan, type PlannedHook, describeAlternative, describePlan, planHooks } from './planner.js';
export { type RecordedConfig, applyConfig, recordConfig } from './configure.js';
export { type RunOptions, type RunSummary, runPlugin } from './session.js';
export { native } from './native.js';
export { attachPlan, openForPlan } from './prepare.js';
export { type FlowFields, type FlowLike, flowFields, flowText } from './flow.js';
export { kernelStack } from './stacks.js';
export { type NetnsValue, currentNetns, ifindexInNetns, netnsLabel, netnsOf } from './netns.js';
export { monotonicToClock, monotonicToEpochMs, monotonicToIso } from './clock.js';
export { ethertypeName, formatMac, parseEthertype, vlanFields } from './frame.js';
export { dropReasonLabel, dropReasons } from './drop-reasons.js';
export { checkBtf } from './session.js';
export { explainLoadFailure } from './load-failure.js';
export { type ModuleBtfRequest, type ModuleBtfResult, buildModuleBtf, defaultDebugDir, findModuleDebugFiles } from './module-btf.js';
export { renderOpenMetrics } from './format/openmetrics.js';
export * from './shared_types.gen.js';
