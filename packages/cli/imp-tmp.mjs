const t0 = performance.now();
const lap = (l) => console.log(l, Math.round(performance.now() - t0));
await import('/work/main/node_modules/eventemitter3/index.mjs').catch(()=>{}); lap('ee3');
const core = await import('@nettrace/core'); lap('core');
const { discoverPlugins } = await import('/work/main/packages/cli/dist/index.js').catch(e => ({})); lap('cli index');
