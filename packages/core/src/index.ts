// @nettrace/core public API.

export { encodeUint, readBytes, readCString, readS64, readU64, type StructLayout, U32Layout, U64Layout } from './bpf/layout.js';
export { BpfMap, possibleCpus, readCounters } from './bpf/map.js';
export { native } from './bpf/native.js';
export { type AttachKind, BpfLink, BpfObject, type OpenOptions } from './bpf/object.js';
export {
  DEFAULT_DRAIN_MS,
  defaultRingBytes,
  defaultWakeupBytes,
  type RecordBatch,
  type RingBufferOptions,
  RingBufferReader,
  type WakeupPolicy,
} from './bpf/ringbuf.js';
export { BpfError, fromNative, KernelSupportError, SetupError, UsageError } from './errors.js';
export {
  type BtfOrigin,
  type BtfSource,
  KernelBtf,
  kernelBtf,
  kernelBtfFromEnv,
  requireKernelBtf,
  SYSFS_VMLINUX,
} from './kernel/btf.js';
export { monotonicToClock, monotonicToEpochMs, monotonicToIso } from './kernel/clock.js';
export { dropReasonLabel, dropReasons } from './kernel/drop-reasons.js';
export { ElfSymbols, parseElfSymbols, readElfSymbols } from './kernel/elf-symbols.js';
export * as features from './kernel/features.js';
export { type HostProgram, hostPrograms, missingRuntimePrograms, onPath } from './kernel/host-programs.js';
export { type EnumFallback, enumFromTracepointFormat, KernelEnum, kernelEnum } from './kernel/kernel-enums.js';
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
export { tapQueueCount, tapQueueFilter, tapQueueOptions } from './kernel/tap.js';
export { directCallFunctions, parseDirectCalls } from './kernel/trampolines.js';
export { readUserMappings, UNKNOWN_FRAME, type UserMapping, UserSymbols } from './kernel/user-symbols.js';
export { interfaceColumn, kernelTimeColumn, stackColumn, timeColumn } from './output/columns.js';
export { enumLabel, enumNames } from './output/enum-label.js';
export { endpoint, type FlowFields, type FlowLike, flowEndpoint, flowFields, flowText } from './output/flow.js';
export { ethertypeName, formatMac, parseEthertype, parseMac, vlanFields } from './output/frame.js';
export { GSO_UDP_TUNNEL_BITS, gsoTypeFlags } from './output/gso.js';
export {
  HIST_SLOTS,
  type Histogram,
  type HistogramSummary,
  histogramRange,
  histogramSummary,
  log2Range,
  log2Slot,
} from './output/hist.js';
export { histogramJson, renderHistogram } from './output/histogram.js';
export { type KindCounts, kindCountsSection } from './output/kind-counts.js';
export { type MetricFamily, type MetricSample, metricName, renderMetrics, renderOpenMetrics, reportMetrics } from './output/openmetrics.js';
export { percent } from './output/percent.js';
export { renderReportText, reportJson } from './output/render.js';
export { type JsonSchema, pluginRecordSchema, recordsSchema } from './output/schema.js';
export { columns, countersSection, histogramSection, tableSection, withSummary } from './output/sections.js';
export { entriesSinceLastReport, reportCounters, reportHistogram, reportPeriod, sinceLastReport } from './output/since-last-report.js';
export { renderTable, StreamTable } from './output/table.js';
export { TCP_BW_STEP_MBPS, tcpBandwidthSection } from './output/tcp-bandwidth.js';
export {
  ringDepthFields,
  signalVerdict,
  type TunQueueFields,
  type TunQueueLike,
  tunQueueColumn,
  tunQueueFields,
  tunQueueHistograms,
  tunQueueRows,
  tunQueueText,
  vqStateFields,
} from './output/tun-queue.js';
export { packageDir as corePackageDir } from './package-dir.js';
export { applyConfig, optionVariables, type RecordedConfig, recordConfig } from './plugin/configure.js';
export {
  createRunContext,
  type MapEntry,
  type MapKey,
  type PluginContext,
  type RunContext,
} from './plugin/context.js';
export {
  API_VERSION,
  type ConfigureContext,
  type Configurer,
  definePlugin,
  type Plugin,
  type PluginDefinition,
  pluginManifest,
  type ReportOutput,
  type StreamOutput,
} from './plugin/contract.js';
export { type FlowRule, flowRulesRodata, flowRulesVariables, readFlowRules } from './plugin/flow-rules.js';
export {
  activeHooks,
  type EnumValueRequirement,
  type FunctionHook,
  type FunctionHookOptions,
  functionHook,
  type HookAlternative,
  type HookDeclaration,
  type HookOptions,
  type HookSpec,
  type Ladder,
  ladder,
  type PairedWith,
  type Rung,
  type RungOptions,
  resolveHooks,
  type TracepointHook,
  type TracepointHookOptions,
  tracepointHook,
  tracepointPrograms,
} from './plugin/hooks.js';
export type {
  CounterName,
  FunctionTarget,
  MapInfo,
  MapName,
  ObjectContract,
  ProgramName,
  TracepointTarget,
  VariableInfo,
  VariableName,
  VariableValue,
} from './plugin/object-contract.js';
export {
  checkSchema,
  flowOptions,
  formatHelp,
  type InterfaceValue,
  type OptionKind,
  type OptionSpec,
  type OptionsSchema,
  type OptionValue,
  type OptionValues,
  parseOptions,
  placeholder,
  runnerOptions,
  vocabulary,
} from './plugin/options.js';
export { ovsUpcallHook } from './plugin/ovs-hooks.js';
export {
  degradedNotes,
  describeAlternative,
  describePlan,
  type HookPlan,
  type PlannedHook,
  planHooks,
  unarmedTrampolines,
} from './plugin/planner.js';
export type { Column, CountersSection, HistogramSection, Report, ReportSection, TableSection } from './plugin/report.js';
export { vhostSignalHooks } from './plugin/vhost-signal-hooks.js';
export { explainLoadFailure } from './run/load-failure.js';
export { attachPlan, attachPlanOrRefuse, loadForPlan, openForPlan } from './run/open.js';
export { type ChannelOptions, type OutputFormat, type RunOptions, runOptionsFrom } from './run/options.js';
export { type ChannelPlan, type PlanTarget, planRun, type RunPlan, requireBpfPrivileges } from './run/plan.js';
export { type RunControl, type RunSummary, runPlugin } from './run/session.js';
export type { ReportRecord, RunIo } from './run/sinks/sink.js';
export { type OutputBacklog, stdoutBacklog, writeLinesToStdout } from './run/sinks/sink.js';
export * from './shared_types.gen.js';
export * from './stages/index.js';
