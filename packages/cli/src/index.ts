// Programmatic entry points (used by tests and the benchmark).

export { kernelReport } from './commands/doctor.js';
export { verifyPlugin } from './commands/verify.js';
export { discoverPlugins, findPlugin, type InstalledPlugin, type PluginManifest } from './discover.js';
export type { Io } from './io.js';
export { main, mainHelp } from './main.js';
