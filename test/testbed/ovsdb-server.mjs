// A private ovsdb-server on the host (its own database, socket and logs in a temporary directory) for tests
// and benchmarks that must not touch a target's Open vSwitch; stopped by the PID it recorded.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const SCHEMA = '/usr/share/openvswitch/vswitch.ovsschema';

/**
 * Starts ovsdb-server with a fresh Open_vSwitch database (one root row, as ovs-vsctl init makes); with
 * `vswitchd`, also an ovs-vswitchd on it, in a network namespace of its own so its devices stay there (there is
 * no kernel datapath here: bridges need datapath_type=netdev).
 */
export function startOvsdbServer({ tcpPort, managerRemotes, vswitchd } = {}) {
  const dir = mkdtempSync('/tmp/opdbus-ovsdb-');
  const env = { ...process.env, OVS_RUNDIR: dir, OVS_LOGDIR: dir, OVS_DBDIR: dir };
  const db = join(dir, 'conf.db');
  const socket = join(dir, 'db.sock');
  const pidfile = join(dir, 'ovsdb-server.pid');
  execFileSync('ovsdb-tool', ['create', db, SCHEMA], { env });
  const remotes = [`--remote=punix:${socket}`];
  if (tcpPort) remotes.push(`--remote=ptcp:${tcpPort}:127.0.0.1`);
  if (managerRemotes) remotes.push('--remote=db:Open_vSwitch,Open_vSwitch,manager_options');
  const launch = () => {
    execFileSync(
      'ovsdb-server',
      [db, ...remotes, `--pidfile=${pidfile}`, `--log-file=${join(dir, 'ovsdb-server.log')}`, '--detach'],
      { env, stdio: 'ignore' },
    );
    return Number(readFileSync(pidfile, 'utf8').trim());
  };
  let pid = launch();
  const endpoint = `unix:${socket}`;
  execFileSync('ovs-vsctl', [`--db=${endpoint}`, '--no-wait', 'init'], { env });
  const switchd = vswitchd ? startVswitchd(dir, endpoint, env) : undefined;
  return {
    dir,
    db,
    endpoint,
    netns: switchd?.netns,
    vswitchdPid: switchd?.pid,
    get pid() {
      return pid;
    },
    /** Stops the server and starts it again on the same database and socket (connections drop). */
    restart() {
      stopProcess(pid);
      pid = launch();
    },
    stop() {
      switchd?.stop();
      stopProcess(pid);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function startVswitchd(dir, endpoint, env) {
  const netns = `opdbus-vsw-${process.pid}-${dir.slice(-6)}`;
  const pidfile = join(dir, 'ovs-vswitchd.pid');
  execFileSync('ip', ['netns', 'add', netns]);
  try {
    const log = `--log-file=${join(dir, 'ovs-vswitchd.log')}`;
    const args = ['netns', 'exec', netns, 'ovs-vswitchd', endpoint, `--pidfile=${pidfile}`, log, '--detach'];
    execFileSync('ip', args, { env, stdio: 'ignore' });
  } catch (error) {
    execFileSync('ip', ['netns', 'delete', netns]);
    throw error;
  }
  const pid = Number(readFileSync(pidfile, 'utf8').trim());
  return {
    netns,
    pid,
    stop() {
      stopProcess(pid);
      spawnSync('ip', ['netns', 'delete', netns]);
    },
  };
}

/** Runs ovs-vsctl against `endpoint` as an independent client; returns stdout. */
export function ovsVsctl(endpoint, ...args) {
  const result = spawnSync('ovs-vsctl', [`--db=${endpoint}`, '--no-wait', '--timeout=10', ...args], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`ovs-vsctl ${args.join(' ')}: ${result.stderr.trim()}`);
  return result.stdout;
}

/** SIGTERM, then wait until the process is gone or a zombie (PID 1 here reaps late). */
function stopProcess(pid) {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const stat = `/proc/${pid}/stat`;
    if (!existsSync(stat)) return;
    const state = readFileSync(stat, 'utf8').replace(/^.*\) /, '')[0];
    if (state === 'Z') return;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  }
  process.kill(pid, 'SIGKILL');
}
