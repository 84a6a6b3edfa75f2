import { describe, expect, it } from 'vitest';
import type { Plugin } from '../../plugins/types.js';
import type { MachineState } from '../../state/schema.js';
import type { AnsibleContribution } from './contribution.js';
import { machineStateToPlaybook } from './playbook.js';
import { DAEMON_RELOAD, HANDLERS } from './tasks.js';

function state(
  sections: Record<string, unknown>,
  unavailable: MachineState['unavailable'] = [],
): MachineState {
  return {
    apiVersion: 'op-dbus/v1',
    kind: 'MachineState',
    metadata: {
      hostname: 'web1',
      machineId: 'abc',
      kernelRelease: '6.1.0',
      capturedAt: '2026-11-22T05:00:00.000Z',
      opDbusVersion: '0.1.0',
      source: { busAddress: 'unix:path=/run/dbus/system_bus_socket', root: '/' },
    },
    sections: Object.fromEntries(
      Object.entries(sections).map(([name, config]) => [name, { config, facts: {} }]),
    ),
    unavailable,
    redactions: [],
    integrity: { algorithm: 'sha256', document: '0'.repeat(64), sections: {}, config: '0'.repeat(64) },
  };
}

const fake = (name: string, contribution: AnsibleContribution): Plugin =>
  ({ name, toAnsible: () => contribution }) as unknown as Plugin;
const task = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  'ansible.builtin.debug': {},
  ...extra,
});

describe('machineStateToPlaybook', () => {
  it('orders tasks packages → files → flush handlers → enablement → identity, whatever the plugin order', () => {
    const plugins = [
      fake('a', {
        tasks: [
          { phase: 'identity', task: task('hostname') },
          { phase: 'enablement', task: task('enable') },
        ],
        handlers: [HANDLERS[DAEMON_RELOAD]],
        unsupported: [],
      }),
      fake('b', {
        tasks: [
          { phase: 'files', task: task('file', { notify: [DAEMON_RELOAD] }) },
          { phase: 'packages', task: task('apt') },
        ],
        handlers: [HANDLERS[DAEMON_RELOAD]],
        unsupported: [],
      }),
    ];
    const { text } = machineStateToPlaybook(state({ a: {}, b: {} }), { hosts: 'web' }, plugins);
    const names = [...text.matchAll(/^ {4}- name: "([^"]*)"/gm)].map((match) => match[1]);
    expect(names).toEqual([
      'apt',
      'file',
      'Apply changed files before enablement (daemon-reload, sysctl, networkd)',
      'enable',
      'hostname',
      DAEMON_RELOAD,
    ]);
    expect(text).toMatch(/^ {2}hosts: "web"\n {2}become: true\n {2}gather_facts: false$/m);
    expect(text.match(/daemon_reload: true/g)).toHaveLength(1);
  });

  it('refuses two different handlers under one name', () => {
    const plugins = [
      fake('a', { tasks: [], handlers: [task('h')], unsupported: [] }),
      fake('b', { tasks: [], handlers: [task('h', { other: 1 })], unsupported: [] }),
    ];
    expect(() => machineStateToPlaybook(state({ a: {}, b: {} }), { hosts: 'all' }, plugins)).toThrow(/"h"/);
  });

  it('says where the capture came from and lists everything not expressed, sections without export too', () => {
    const plugins = [
      fake('a', { tasks: [], handlers: [], unsupported: [{ item: '$.x', reason: 'no module' }] }),
    ];
    const { text, unsupported } = machineStateToPlaybook(
      state({ a: {}, other: {} }, [{ plugin: 'gone', reason: 'no bus' }]),
      { hosts: 'all' },
      plugins,
    );
    expect(unsupported).toEqual([
      { item: '$.sections.gone', reason: 'not captured: no bus' },
      { item: '$.x', reason: 'no module' },
      { item: '$.sections.other', reason: 'this section has no Ansible export' },
    ]);
    expect(text).toContain('# Captured: web1 (machine-id abc, kernel 6.1.0) at 2026-11-22T05:00:00.000Z');
    expect(text).toContain('# From: bus unix:path=/run/dbus/system_bus_socket, root /');
    expect(text).toContain(
      '# Not expressed by this playbook (3):\n# - $.sections.gone: not captured: no bus\n',
    );
    expect(text).toContain('\n---\n- name: ');
  });

  it('marks captured text with Jinja delimiters !unsafe so Ansible never templates it', () => {
    const plugins = [
      fake('a', {
        tasks: [
          {
            phase: 'files',
            task: { name: 'w', 'ansible.builtin.copy': { content: 'x {{ y }}\n{% z %}\n' } },
          },
        ],
        handlers: [],
        unsupported: [],
      }),
    ];
    const { text } = machineStateToPlaybook(state({ a: {} }), { hosts: 'all' }, plugins);
    expect(text).toContain('content: !unsafe |\n          x {{ y }}\n          {% z %}\n');
  });

  it('keeps a newline in a hostname or hosts pattern out of the header comment lines', () => {
    const captured = state({});
    captured.metadata.hostname = 'evil\n- hosts: all';
    const { text } = machineStateToPlaybook(captured, { hosts: 'a\nb' }, []);
    const header = text.slice(0, text.indexOf('\n---\n'));
    expect(header.split('\n').every((line) => line.startsWith('#'))).toBe(true);
  });
});
