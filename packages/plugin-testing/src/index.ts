// @nettrace/plugin-testing: what a plugin's tests need, in this repository and outside it. Traffic
// only inside network namespaces and veth pairs the test creates (never off the machine), the
// plugin's command run around that traffic, and its records checked against its schema.

export { Netns, sendSynsToClosedPort, sendUdp, sh, type VethPair, vethPair } from './netns.js';
export { type CliRun, runCommandJson } from './run-command.js';
export { pluginRecordValidator, recordValidator } from './schema.js';
