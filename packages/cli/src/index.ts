// Programmatic entry points (used by tests and the benchmark).
export { main, mainHelp } from './main.js';
export { discoverPlugins, findPlugin, type InstalledPlugin, type PluginManifest } from './discover.js';
export { kernelReport } from './commands/doctor.js';
export { verifyPlugin } from './commands/verify.js';
export type { Io } from './io.js';
