// The Ansible export against the real tools: a playbook made from a capture of target 1 (with a unit, a
// drop-in, a sysctl file, a networkd file, a hostname and a time zone put on top, some holding Jinja
// delimiters) passes `ansible-playbook --syntax-check`, runs against target 3 over SSH,
// changes nothing on a second run, and `op-dbus verify` of the sections Ansible covers reports no drift.
// Target 3 is put back with op-dbus itself afterwards.
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { machineStateToPlaybook, playbookYaml } from '../../src/export/ansible/playbook.js';
import type { IdentityConfig } from '../../src/plugins/identity/schema.js';
import type { KernelConfig } from '../../src/plugins/kernel/schema.js';
import type { NetworkConfig } from '../../src/plugins/network/schema.js';
import type { SystemdConfig } from '../../src/plugins/systemd/schema.js';
import { sealDocument } from '../../src/state/document.js';
import type { MachineState } from '../../src/state/schema.js';
import { opDbus } from '../support/run-cli.js';
import { ansiblePlaybook, runPlaybookOverSsh } from './support/ansible-playbook.js';
import { containerRoot, execInTarget, target, targetArgs } from './testbed-env.js';

const SOURCE = target(0);
const TARGET = target(2);
const COVERED = 'identity,systemd,kernel,packages,network';
const UNIT = 'opdbus-ansible.service';
const UNIT_FILE = `[Unit]\nDescription=op-dbus ansible {{ not_a_variable }} {% raw %} "quoted": #x\n\n[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/echo '\${HOME}' {#comment#}\n\n[Install]\nWantedBy=multi-user.target\n`;
const DROP_IN = '[Service]\nEnvironment=EXPORTED=ansible\n';
// Templated, the lookup would run on the controller (this host) and leave JINJA_RAN behind.
const JINJA_RAN = '/tmp/opdbus-ansible-jinja-ran';
const SYSCTL = `# {{ lookup("pipe", "touch ${JINJA_RAN}") }}\nnet.ipv4.ip_forward = 1\n`;
const NETWORK = '[Match]\nName=opdbus-none0\n\n[Network]\nDHCP=no\n';
const FILES: Record<string, string> = {
  [`/etc/systemd/system/${UNIT}`]: UNIT_FILE,
  [`/etc/systemd/system/${UNIT}.d/override.conf`]: DROP_IN,
  '/etc/sysctl.d/60-opdbus-ansible.conf': SYSCTL,
  '/etc/systemd/network/90-opdbus-ansible.network': NETWORK,
};

// What a run leaves besides the capture's files: hostnamectl's machine-info, Ansible's remote temp directory.
const LEFTOVERS = ['etc/machine-info', 'root/.ansible'];
let work: string;
let playbook: string;
let leftovers: string[];

async function capture(t: typeof SOURCE, file: string): Promise<MachineState> {
  const result = await opDbus(['discover', '--export', '-o', file, ...targetArgs(t)]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(await readFile(file, 'utf8'));
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

function configOf<Config>(state: MachineState, name: string): Config {
  const section = state.sections[name];
  if (!section) throw new Error(`the capture has no ${name} section`);
  return section.config as Config;
}

/** Target 1's capture with the test's changes; networkd files keep target 3's own address. */
function desiredState(source: MachineState, own: MachineState): MachineState {
  const { integrity: _, ...state } = structuredClone(source);
  const identity = configOf<IdentityConfig>(state as MachineState, 'identity');
  identity.hostname.staticHostname = 'opdbus-ansible';
  identity.time.timezone = 'Europe/Warsaw';
  const systemd = configOf<SystemdConfig>(state as MachineState, 'systemd');
  systemd.files[`/etc/systemd/system/${UNIT}`] = { content: UNIT_FILE };
  systemd.files[`/etc/systemd/system/${UNIT}.d/override.conf`] = { content: DROP_IN };
  systemd.unitFiles[UNIT] = 'enabled';
  systemd.activeState[UNIT] = 'active';
  const kernel = configOf<KernelConfig>(state as MachineState, 'kernel');
  kernel.files['/etc/sysctl.d/60-opdbus-ansible.conf'] = { content: SYSCTL };
  kernel.sysctl['net.ipv4.ip_forward'] = { value: '1', ignoreFailure: false };
  configOf<NetworkConfig>(state as MachineState, 'network').files = {
    ...configOf<NetworkConfig>(own, 'network').files,
    '/etc/systemd/network/90-opdbus-ansible.network': { kind: 'network', masked: false, content: NETWORK },
  };
  return sealDocument(state);
}

describe('Ansible export: syntax-check, real run against target 3, verify', () => {
  beforeAll(async () => {
    await rm(JINJA_RAN, { force: true });
    const root = containerRoot(TARGET);
    leftovers = [];
    for (const path of LEFTOVERS) if (!(await exists(join(root, path)))) leftovers.push(join(root, path));
    work = await mkdtemp(join(tmpdir(), 'op-dbus-ansible-'));
    const source = await capture(SOURCE, join(work, 'source.json'));
    const own = await capture(TARGET, join(work, 'target-before.json'));
    const desired = desiredState(source, own);
    await writeFile(join(work, 'desired.json'), JSON.stringify(desired));
    playbook = join(work, 'playbook.yml');
    await writeFile(playbook, machineStateToPlaybook(desired, { hosts: 'all' }).text);
  }, 120_000);

  afterAll(async () => {
    const args = [join(work, 'target-before.json'), ...targetArgs(TARGET)];
    const applied = await opDbus(['apply', '--yes', '--prune', ...args]);
    expect(applied.code, applied.stderr).toBe(0);
    // The grub file is a kernel setting only where one exists; target 3 had none.
    await rm(join(containerRoot(TARGET), 'etc/default/grub'), { force: true });
    for (const path of leftovers) await rm(path, { recursive: true, force: true });
    const verified = await opDbus(['verify', ...args]);
    expect(verified.code, verified.stdout).toBe(0);
    await rm(work, { recursive: true, force: true });
  }, 300_000);

  it('passes ansible-playbook --syntax-check', async () => {
    const checked = await ansiblePlaybook('--syntax-check', '-i', 'localhost,', playbook);
    expect(checked.code, checked.output).toBe(0);
  });

  it('runs against target 3, then verify reports no drift for every section Ansible covers', async () => {
    const first = await runPlaybookOverSsh(TARGET, playbook);
    expect(first.code, first.output).toBe(0);
    const verified = await opDbus([
      'verify',
      join(work, 'desired.json'),
      '--plugin',
      COVERED,
      ...targetArgs(TARGET),
    ]);
    expect(verified.code, verified.stdout).toBe(0);
  }, 300_000);

  it('copied Jinja text verbatim, never templated it, and the unit runs with its drop-in', async () => {
    const root = containerRoot(TARGET);
    for (const [path, content] of Object.entries(FILES))
      expect(await readFile(join(root, path), 'utf8')).toBe(content);
    await expect(readFile(JINJA_RAN)).rejects.toThrow();
    const inTarget = async (...command: string[]) => (await execInTarget(TARGET, command)).trim();
    expect(await inTarget('systemctl', 'is-active', UNIT)).toBe('active');
    expect(await inTarget('systemctl', 'show', '-p', 'Environment', '--value', UNIT)).toBe(
      'EXPORTED=ansible',
    );
    expect(await inTarget('hostnamectl', '--static')).toBe('opdbus-ansible');
    expect(await inTarget('timedatectl', 'show', '-p', 'Timezone', '--value')).toBe('Europe/Warsaw');
  });

  it('changes nothing when run again', async () => {
    const again = await runPlaybookOverSsh(TARGET, playbook);
    expect(again.code, again.output).toBe(0);
    expect(again.output).toMatch(/ changed=0 +unreachable=0 +failed=0/);
  }, 300_000);
});

// Hostile text: YAML indicators, quotes, Jinja, shell, unicode line breaks, and random mixes of them.
const HOSTILE = [
  'say "hi" and \'bye\'',
  'key: value # not a comment',
  '- not a list',
  '* not an alias',
  '&anchor !tag %directive @at `tick` |pipe >fold',
  '{{ lookup("env", "HOME") }}',
  '{% for x in y %}{{ x }}{% endfor %}',
  '{# comment #}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: shell text the playbook must copy verbatim.
  '${HOME} $(id) \\ \\n',
  'yes',
  '0644',
  '',
  '   leading and trailing   ',
  '  first line indented\nsecond\n',
  '---\n...\n- a\n',
  'no newline at end\nsecond line',
  'many trailing newlines\n\n\n',
  '\n\nleading newlines\n',
  'tab\there\n\tnext\n',
  'crlf\r\nline\r\n',
  'zażółć 日本語 🚀 \u00a0nbsp',
  'nel\u0085ls\u2028ps\u2029bom\ufeff\n',
  'bell\u0007esc\u001bdel\u007f',
];

/** Deterministic random strings over the characters that break YAML, Jinja and shells. */
function randomHostile(count: number): string[] {
  const alphabet = [...'{}%#:-*&!|>\'"\\$`\n\t \r[],?@~', 'ż', '🚀', '\u2028', '\u0085', 'a', '0'];
  let seed = 20261122;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed;
  };
  return Array.from({ length: count }, () =>
    Array.from({ length: 1 + (next() % 40) }, () => alphabet[next() % alphabet.length]).join(''),
  );
}

describe('Ansible export: hostile strings reach a file unchanged through the real ansible-playbook', () => {
  it('copies every hostile string byte for byte, with the same string as task name', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'op-dbus-ansible-hostile-'));
    try {
      const texts = [...HOSTILE, ...randomHostile(40)];
      const tasks = texts.map((text, index) => ({
        name: text,
        'ansible.builtin.copy': { dest: join(dir, String(index)), content: text, mode: '0600' },
      }));
      const file = join(dir, 'hostile.yml');
      await writeFile(file, playbookYaml([{ hosts: 'all', gather_facts: false, tasks }]));
      const ran = await ansiblePlaybook('-c', 'local', '-i', 'localhost,', file);
      expect(ran.code, ran.output).toBe(0);
      for (const [index, text] of texts.entries())
        expect(await readFile(join(dir, String(index)), 'utf8')).toBe(text);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
