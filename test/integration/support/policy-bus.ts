// Private dbus-daemons for tests of the services op-dbus exports: an allow-all bus, or one with the default
// policy of Debian's system bus that loads exactly the policy files under test; and busctl, run as any user,
// as the independent client.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export type BusPolicy =
  | { kind: 'allow-all' }
  /** Debian's /usr/share/dbus-1/system.conf default policy, plus every *.conf in `policyDir`. */
  | { kind: 'system-like'; policyDir: string };

export interface PrivateBus {
  address: string;
  pid: number;
  /** What the daemon printed on stderr (configuration errors among it). */
  log(): string;
  /** Stops the daemon by its PID and waits until it is gone, then removes its directory. */
  stop(): Promise<void>;
}

const HEADER = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">`;

const ALLOW_ALL_POLICY = `  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow receive_sender="*"/>
  </policy>`;

/** The default context of Debian 12's system.conf, and its root policy, as they are there. */
function systemLikePolicy(policyDir: string): string {
  return `  <policy context="default">
    <allow user="*"/>
    <deny own="*"/>
    <deny send_type="method_call"/>
    <allow send_type="signal"/>
    <allow send_requested_reply="true" send_type="method_return"/>
    <allow send_requested_reply="true" send_type="error"/>
    <allow receive_type="method_call"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
    <allow receive_type="signal"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Introspectable"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Properties"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Containers1"/>
    <deny send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus" send_member="UpdateActivationEnvironment"/>
    <deny send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Debug.Stats"/>
    <deny send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.systemd1.Activator"/>
  </policy>
  <policy user="root">
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Monitoring"/>
  </policy>
  <includedir>${policyDir}</includedir>`;
}

function busConfig(socketPath: string, policy: BusPolicy): string {
  const rules = policy.kind === 'allow-all' ? ALLOW_ALL_POLICY : systemLikePolicy(policy.policyDir);
  return `${HEADER}
<busconfig>
  <type>system</type>
  <listen>unix:path=${socketPath}</listen>
  <auth>EXTERNAL</auth>
${rules}
</busconfig>
`;
}

async function firstLine(child: ChildProcess): Promise<string | undefined> {
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const exited = once(child, 'exit').then(() => undefined);
  const line = Promise.race([once(lines, 'line').then(([text]) => String(text)), exited]);
  try {
    return await line;
  } finally {
    lines.close();
  }
}

export async function startPrivateBus(policy: BusPolicy): Promise<PrivateBus> {
  const directory = await mkdtemp('/tmp/opdbus-bus-');
  // Any uid may connect (EXTERNAL auth works for every uid that can reach the socket).
  await chmod(directory, 0o755);
  const socketPath = join(directory, 'system_bus_socket');
  const configFile = join(directory, 'bus.conf');
  await writeFile(configFile, busConfig(socketPath, policy));
  const child = spawn(
    'dbus-daemon',
    [`--config-file=${configFile}`, '--nofork', '--nopidfile', '--print-address=1'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = once(child, 'exit');
  const printed = await firstLine(child);
  if (printed === undefined || child.pid === undefined) {
    await rm(directory, { recursive: true, force: true });
    throw new Error(`dbus-daemon did not start: ${stderr.trim()}`);
  }
  const pid = child.pid;
  return {
    address: `unix:path=${socketPath}`,
    pid,
    log: () => stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        process.kill(pid, 'SIGTERM');
        await exited;
      }
      await rm(directory, { recursive: true, force: true });
    },
  };
}

export interface RunAs {
  uid: number;
  gid: number;
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The command line that runs `command` as `as` (with that user's groups from /etc/group, as a login gives them). */
function asUser(command: string[], as?: RunAs): string[] {
  return as
    ? ['setpriv', `--reuid=${as.uid}`, `--regid=${as.gid}`, '--init-groups', '--', ...command]
    : command;
}

/** Runs a command, as another user when `as` is given; resolves with its exit code and output, never rejects. */
export function runCommand(
  command: string[],
  as?: RunAs,
  env: NodeJS.ProcessEnv = process.env,
): Promise<CommandResult> {
  const argv = asUser(command, as);
  return new Promise((resolve) => {
    execFile(
      argv[0] as string,
      argv.slice(1),
      { env, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

export interface BusctlResult extends CommandResult {
  /** The D-Bus error name of the last error reply busctl received (busctl itself prints only the text). */
  errorName?: string;
}

/**
 * busctl against a private bus. sd-bus logs every message it gets at debug level, error names included,
 * so stderr tells which error a call failed with; stdout is the plain output.
 */
export async function busctl(address: string, args: string[], as?: RunAs): Promise<BusctlResult> {
  const result = await runCommand(['busctl', `--address=${address}`, ...args], as, {
    ...process.env,
    SYSTEMD_LOG_LEVEL: 'debug',
  });
  const errorNames = [...result.stderr.matchAll(/^Got message type=error .* error-name=(\S+)/gm)];
  const errorName = errorNames.at(-1)?.[1];
  return errorName === undefined ? result : { ...result, errorName };
}

export interface BusMonitor {
  /** Everything dbus-monitor printed so far. */
  output(): string;
  /**
   * Resolves once the output matches; rejects with the output if the monitor exits first, or after
   * `deadlineMs` (a guard against a hung test, never a measurement).
   */
  waitFor(pattern: RegExp, deadlineMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * dbus-monitor on a private bus, resolved once its match rules are in place: it prints the NameAcquired the
 * bus sent after Hello only once it has become a monitor (root) or added its match rules (anyone else).
 */
export async function startMonitor(address: string, matchRules: string[], as?: RunAs): Promise<BusMonitor> {
  const [command, ...args] = asUser(['dbus-monitor', '--address', address, ...matchRules], as) as [
    string,
    ...string[],
  ];
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = once(child, 'exit');
  let output = '';
  const waiters = new Set<() => void>();
  const onText = (chunk: Buffer) => {
    output += chunk.toString();
    for (const check of waiters) check();
  };
  child.stdout?.on('data', onText);
  child.stderr?.on('data', onText);
  const waitFor = (pattern: RegExp, deadlineMs = 20_000) =>
    new Promise<void>((resolve, reject) => {
      const fail = (why: string) => {
        clearTimeout(timer);
        waiters.delete(check);
        reject(new Error(`dbus-monitor ${why} before printing ${pattern}:\n${output}`));
      };
      const timer = setTimeout(() => fail(`ran ${deadlineMs} ms`), deadlineMs);
      const check = () => {
        if (!pattern.test(output)) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      waiters.add(check);
      check();
      exited.then(() => fail('exited'));
    });
  await waitFor(/member=NameAcquired/);
  return {
    output: () => output,
    waitFor,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
