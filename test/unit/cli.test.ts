import { execFileSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { plugins } from '../../src/plugins/registry.js';
import { validateDocument } from '../../src/state/document.js';
import { buildMachineStateSchema } from '../../src/state/schema.js';
import { createFixtureRoot, PLANTED_SECRET } from '../conformance/fixture-root.js';
import { opDbus } from '../support/run-cli.js';

const fixture = createFixtureRoot();
afterAll(() => fixture.remove());
const noBus = ['--bus-address', `unix:path=${fixture.root}/run/dbus/no_bus_here`, '--root', fixture.root];

describe('op-dbus CLI', () => {
  it('lists its commands in --help', async () => {
    const { code, stdout } = await opDbus(['--help']);
    expect(code).toBe(0);
    for (const command of [
      'discover',
      'query',
      'schema',
      'plan',
      'apply',
      'verify',
      'diff',
      'recover',
      'ledger',
      'deploy',
      'export',
      'dbus',
    ])
      expect(stdout).toContain(command);
  });

  it('rejects an unknown plugin with one line naming the known ones, and no stack trace', async () => {
    const { code, stderr } = await opDbus(['discover', '--plugin', 'nope']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/unknown plugin "nope"/);
    expect(stderr).toMatch(/known plugins: .*systemd/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('rejects a root that is not a directory and a bad timeout', async () => {
    expect((await opDbus(['discover', '--root', '/nonexistent/dir'])).stderr).toMatch(
      /--root \/nonexistent\/dir is not a directory/,
    );
    const badTimeout = await opDbus(['query', '--timeout', 'soon', ...noBus]);
    expect(badTimeout.code).toBe(1);
    expect(badTimeout.stderr).toMatch(/--timeout must be a positive integer/);
  });

  it('works without a bus: D-Bus plugins say why, file plugins fall back to files', async () => {
    const { code, stdout } = await opDbus(['discover', '--json', ...noBus]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { plugins: { plugin: string; status: string; reason?: string }[] };
    const byName = new Map(report.plugins.map((p) => [p.plugin, p]));
    expect(byName.get('dbus-services')?.status).toBe('unavailable');
    expect(byName.get('dbus-services')?.reason).toMatch(/does not exist/);
    for (const filePlugin of ['systemd', 'kernel', 'identity', 'packages', 'network']) {
      expect(byName.get(filePlugin)?.status, filePlugin).toBe('discovered');
    }
  });

  it('exits 1 with --strict when a plugin is unavailable', async () => {
    expect((await opDbus(['discover', '--strict', '--plugin', 'dbus-services', ...noBus])).code).toBe(1);
  });

  it('exports a valid MachineState to a file, atomically and without secrets', async () => {
    const out = join(fixture.root, 'capture.json');
    const { code, stderr } = await opDbus(['discover', '--export', '-o', out, ...noBus]);
    expect(code).toBe(0);
    expect(stderr).toContain(`Exported machine state to: ${out}`);
    const text = readFileSync(out, 'utf8');
    expect(text).not.toContain(PLANTED_SECRET);
    const state = validateDocument(buildMachineStateSchema(plugins), JSON.parse(text), out);
    expect(state.metadata.hostname).toBe('fixture-host');
    expect(state.metadata.source.root).toBe(fixture.root);
  });

  it("records a capture in the machine's ledger when run as root, and leaves the ledger alone otherwise", async () => {
    const { code } = await opDbus(['discover', '--export', '-o', '-', '--plugin', 'kernel', ...noBus]);
    expect(code).toBe(0);
    const log = await opDbus(['ledger', 'log', '--json', ...noBus]);
    const entries = JSON.parse(log.stdout || '[]') as { action: string; stateAfter: string }[];
    if (process.getuid?.() === 0) expect(entries.at(-1)).toMatchObject({ action: 'discover', result: 'ok' });
    else expect(entries).toEqual([]);
  });

  it('treats -o as --export, and -o - as stdout', async () => {
    const out = join(fixture.root, 'implied.json');
    expect((await opDbus(['discover', '-o', out, '--plugin', 'kernel', ...noBus])).code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).apiVersion).toBe('op-dbus/v1');
    const toStdout = await opDbus(['discover', '-o', '-', '--plugin', 'kernel', ...noBus]);
    expect(JSON.parse(toStdout.stdout).apiVersion).toBe('op-dbus/v1');
  });

  it('writes into a named pipe or device as it is, never replacing it (as -o /dev/null must)', async () => {
    const fifo = join(fixture.root, 'capture.fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = readFile(fifo, 'utf8');
    const { code } = await opDbus(['discover', '-o', fifo, '--plugin', 'kernel', ...noBus]);
    expect(code).toBe(0);
    expect(JSON.parse(await reader).apiVersion).toBe('op-dbus/v1');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('refuses to export onto a directory and leaves no temp file behind', async () => {
    const { code, stderr } = await opDbus(['discover', '-o', fixture.root, '--plugin', 'kernel', ...noBus]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/it is a directory/);
    expect(readdirSync(fixture.root).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('rejects a malformed bus address, from the flag or the environment, in one line', async () => {
    const flag = await opDbus(['discover', '--bus-address', 'garbage', '--root', fixture.root]);
    expect(flag.code).toBe(1);
    expect(flag.stderr).toMatch(
      /^op-dbus: error: --bus-address "garbage" is not a D-Bus address: expected TRANSPORT/,
    );
    const env = await opDbus(['query', '--root', fixture.root], { OPDBUS_BUS_ADDRESS: 'tcp:host=x' });
    expect(env.stderr).toMatch(
      /bus address from the environment "tcp:host=x" is not a D-Bus address: tcp needs host and port/,
    );
  });

  it('exits 1 with every reason when no plugin can read the machine', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'opdbus-empty-'));
    try {
      const { code, stderr } = await opDbus([
        'discover',
        '--export',
        '--root',
        empty,
        '--bus-address',
        `unix:path=${empty}/nobus`,
      ]);
      expect(code).toBe(1);
      for (const plugin of plugins) expect(stderr).toContain(`op-dbus: ${plugin.name}: `);
      expect(stderr).toMatch(/no plugin could read this machine/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('prints the JSON Schema of the document', async () => {
    const { stdout } = await opDbus(['schema']);
    expect(JSON.parse(stdout).title).toBe('op-dbus MachineState v1');
  });
});
