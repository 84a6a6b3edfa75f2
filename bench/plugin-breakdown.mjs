// `npm run bench -- --per-plugin`: where op-dbus's time goes. Node + CLI start-up alone, each plugin
// alone as a whole process, and each plugin's own time inside one full concurrent discover.
import { opDbusContender } from './contenders.mjs';
import { runTimed } from './run-timed.mjs';
import { summarize, summarizeByName } from './stats.mjs';
import { REPO } from './testbed.mjs';

async function medianOf(runs, once) {
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(await once());
  return summarize(samples);
}

async function startupOnly(runs) {
  return medianOf(
    runs,
    async () => (await runTimed(process.execPath, [`${REPO}bin/op-dbus.js`, '--version'])).ms,
  );
}

/** Each plugin's own ms (from `discover --json`) across runs of the full discover. */
async function inProcessPluginTimes(runs, target, root) {
  const args = [
    `${REPO}bin/op-dbus.js`,
    'discover',
    '--json',
    '--bus-address',
    target.busAddress,
    '--root',
    root,
  ];
  const perRun = [];
  for (let i = 0; i < runs; i++) {
    const { plugins } = JSON.parse((await runTimed(process.execPath, args)).stdout);
    perRun.push(Object.fromEntries(plugins.map((plugin) => [plugin.plugin, plugin.ms])));
  }
  return summarizeByName(perRun);
}

/** { startup, plugins: [{ name, alone, inFullRun }] }, all summaries in ms. */
export async function measurePluginBreakdown({ runs, target, root, outputFile, log }) {
  log('per-plugin: each plugin inside the full discover (discover --json)');
  const inFullRun = await inProcessPluginTimes(runs, target, root);
  log('per-plugin: Node + CLI start-up (op-dbus --version)');
  const startup = await startupOnly(runs);
  const plugins = [];
  for (const name of Object.keys(inFullRun)) {
    log(`per-plugin: ${name} alone`);
    const contender = opDbusContender({ target, root, outputFile, plugins: [name], key: name });
    await contender.run();
    plugins.push({
      name,
      alone: await medianOf(runs, async () => (await contender.run()).ms),
      inFullRun: inFullRun[name],
    });
  }
  return { startup, plugins };
}
