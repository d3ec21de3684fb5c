// The kernel matrix, read from kernels.json (the one place that names kernels) and checked on load,
// so a typo there fails with the field it is in rather than somewhere deep in a boot.
import { readFileSync } from 'node:fs';
import { kernelsFile } from './paths.js';

export interface KernelFacts {
  /** /sys/kernel/btf/<module> exists (CONFIG_DEBUG_INFO_BTF_MODULES). */
  moduleBtf: boolean;
  /** fentry/fexit can target functions in modules. */
  fentryOnModules: boolean;
  /** BPF_TRACE_KPROBE_MULTI attaches (CONFIG_FPROBE). */
  kprobeMulti: boolean;
  /** bpf_loop() and callback subprograms load (5.17+). */
  bpfLoop: boolean;
}

export interface KernelSpec {
  id: string;
  release: string;
  /** Suites of that release, from `releases`. */
  suites: string[];
  pin: { package: string; version: string };
  fallback: { meta?: string; pattern: string };
  facts: KernelFacts;
  /** Kernel behaviour the checks must expect although nettrace cannot see it (see README). */
  quirks: string[];
  notes: string[];
}

export interface Matrix {
  kernels: KernelSpec[];
  /** In the initramfs: what the guest needs to reach the host (virtio, 9p). */
  bootModules: string[];
  /** Loaded before plugins are verified or run, so module hooks and module BTF exist. */
  pluginModules: string[];
}

type Json = Record<string, unknown>;

function need<T>(value: unknown, check: (v: unknown) => boolean, where: string, what: string): T {
  if (!check(value)) throw new Error(`${kernelsFile}: ${where} must be ${what}`);
  return value as T;
}

const isString = (v: unknown) => typeof v === 'string' && v.length > 0;
const isBool = (v: unknown) => typeof v === 'boolean';
const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringArray = (v: unknown) => Array.isArray(v) && v.every(isString);

function parseKernel(raw: unknown, i: number, releases: Json): KernelSpec {
  const at = `kernels[${i}]`;
  const k = need<Json>(raw, isObject, at, 'an object');
  const id = need<string>(k.id, isString, `${at}.id`, 'a string');
  const release = need<string>(
    k.release,
    (v) => isString(v) && isStringArray(releases[v as string]),
    `${at}.release`,
    `one of ${Object.keys(releases).join(', ')}`,
  );
  const pin = need<Json>(k.pin, isObject, `${at}.pin`, 'an object');
  const fallback = need<Json>(k.fallback, isObject, `${at}.fallback`, 'an object');
  const facts = need<Json>(k.facts, isObject, `${at}.facts`, 'an object');
  const pattern = need<string>(fallback.pattern, isString, `${at}.fallback.pattern`, 'a regular expression string');
  new RegExp(pattern);
  return {
    id,
    release,
    suites: releases[release] as string[],
    pin: {
      package: need(pin.package, isString, `${at}.pin.package`, 'a package name'),
      version: need(pin.version, isString, `${at}.pin.version`, 'a Debian version'),
    },
    fallback: {
      meta: fallback.meta === undefined ? undefined : need(fallback.meta, isString, `${at}.fallback.meta`, 'a package name'),
      pattern,
    },
    facts: {
      moduleBtf: need(facts.moduleBtf, isBool, `${at}.facts.moduleBtf`, 'true or false'),
      fentryOnModules: need(facts.fentryOnModules, isBool, `${at}.facts.fentryOnModules`, 'true or false'),
      kprobeMulti: need(facts.kprobeMulti, isBool, `${at}.facts.kprobeMulti`, 'true or false'),
      bpfLoop: need(facts.bpfLoop, isBool, `${at}.facts.bpfLoop`, 'true or false'),
    },
    quirks: k.quirks === undefined ? [] : need(k.quirks, isStringArray, `${at}.quirks`, 'a list of strings'),
    notes: k.notes === undefined ? [] : need(k.notes, isStringArray, `${at}.notes`, 'a list of strings'),
  };
}

export function parseMatrix(text: string): Matrix {
  const root = need<Json>(JSON.parse(text), isObject, 'the top level', 'an object');
  const releases = need<Json>(root.releases, isObject, 'releases', 'an object of release → suites');
  const list = need<unknown[]>(root.kernels, (v) => Array.isArray(v) && v.length > 0, 'kernels', 'a non-empty list');
  const kernels = list.map((k, i) => parseKernel(k, i, releases));
  const dup = kernels.find((k, i) => kernels.findIndex((o) => o.id === k.id) !== i);
  if (dup) throw new Error(`${kernelsFile}: kernel id ${dup.id} appears twice`);
  return {
    kernels,
    bootModules: need(root.bootModules, isStringArray, 'bootModules', 'a list of module names'),
    pluginModules: need(root.pluginModules, isStringArray, 'pluginModules', 'a list of module names'),
  };
}

let cached: Matrix | undefined;

export function loadMatrix(): Matrix {
  cached ??= parseMatrix(readFileSync(kernelsFile, 'utf8'));
  return cached;
}

/** The spec of one kernel id; an unknown id names the ids that exist. */
export function kernelSpec(id: string): KernelSpec {
  const { kernels } = loadMatrix();
  const spec = kernels.find((k) => k.id === id);
  if (!spec) throw new Error(`unknown kernel '${id}': the matrix (test-kernel/kernels.json) has ${kernels.map((k) => k.id).join(', ')}`);
  return spec;
}

/** Kernel ids selected by a comma list (TK_KERNELS or --kernel), all of them when empty. */
export function selectKernels(list: string | undefined): KernelSpec[] {
  if (!list?.trim()) return loadMatrix().kernels;
  return list.split(',').map((id) => kernelSpec(id.trim()));
}
