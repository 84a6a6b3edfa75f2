import { describe, expect, it } from 'vitest';
import type { MachineState, Section } from '../state/schema.js';
import { diffConfigs, diffStates } from './diff.js';

function stateOf(sections: Record<string, Section>) {
  return { sections, unavailable: [] } as unknown as MachineState;
}

describe('diffConfigs', () => {
  it('compares records one level down, item by item, sorted by item', () => {
    const a = {
      defaultTarget: 'multi-user.target',
      unitFiles: { 'ssh.service': 'enabled', 'cron.service': 'enabled', 'old.service': 'disabled' },
    };
    const b = {
      defaultTarget: 'graphical.target',
      unitFiles: { 'ssh.service': 'enabled', 'cron.service': 'disabled', 'new.service': 'static' },
    };
    expect(diffConfigs('systemd', a, b)).toEqual([
      {
        section: 'systemd',
        item: 'defaultTarget',
        status: 'different',
        a: 'multi-user.target',
        b: 'graphical.target',
      },
      {
        section: 'systemd',
        item: 'unitFiles["cron.service"]',
        status: 'different',
        a: 'enabled',
        b: 'disabled',
      },
      { section: 'systemd', item: 'unitFiles["new.service"]', status: 'only-in-b', b: 'static' },
      { section: 'systemd', item: 'unitFiles["old.service"]', status: 'only-in-a', a: 'disabled' },
      { section: 'systemd', item: 'unitFiles["ssh.service"]', status: 'identical' },
    ]);
  });

  it('compares nested values and arrays whole, ignoring key order', () => {
    const a = { files: { '/etc/x': { content: 'x', mode: 420 } }, list: [1, 2] };
    const b = { files: { '/etc/x': { mode: 420, content: 'x' } }, list: [2, 1] };
    expect(diffConfigs('s', a, b)).toEqual([
      { section: 's', item: 'files["/etc/x"]', status: 'identical' },
      { section: 's', item: 'list', status: 'different', a: [1, 2], b: [2, 1] },
    ]);
  });

  it('names identifier keys with dots and top-level scalars by their key', () => {
    const items = diffConfigs('s', { hostname: 'a', sysctl: { vm_swappiness: '10' } }, { hostname: 'a' });
    expect(items).toEqual([
      { section: 's', item: 'hostname', status: 'identical' },
      { section: 's', item: 'sysctl.vm_swappiness', status: 'only-in-a', a: '10' },
    ]);
  });

  it('treats a config that is not an object as one item', () => {
    expect(diffConfigs('s', 'x', 'y')).toEqual([
      { section: 's', item: '$', status: 'different', a: 'x', b: 'y' },
    ]);
  });

  it('names records under keys that are not identifiers as JSON paths', () => {
    const [item] = diffConfigs('s', { 'kernel-args': { quiet: true } }, { 'kernel-args': { quiet: false } });
    expect(item?.item).toBe('["kernel-args"].quiet');
  });
});

describe('diffStates', () => {
  it('lists every section of either state, with one item for a section only one state has', () => {
    const a = stateOf({
      identity: { config: { hostname: 'a' }, facts: { boot: 1 } },
      kernel: { config: { x: 1 }, facts: {} },
      systemd: { config: { unitFiles: { 'a.service': 'enabled' } }, facts: {} },
    });
    const b = stateOf({
      identity: { config: { hostname: 'a' }, facts: { boot: 2 } },
      network: { config: {}, facts: {} },
      systemd: { config: { unitFiles: { 'a.service': 'disabled' } }, facts: {} },
    });
    expect(diffStates(a, b)).toEqual([
      {
        section: 'identity',
        status: 'identical',
        items: [{ section: 'identity', item: 'hostname', status: 'identical' }],
      },
      {
        section: 'kernel',
        status: 'only-in-a',
        items: [{ section: 'kernel', item: '$', status: 'only-in-a' }],
      },
      {
        section: 'network',
        status: 'only-in-b',
        items: [{ section: 'network', item: '$', status: 'only-in-b' }],
      },
      {
        section: 'systemd',
        status: 'different',
        items: [
          {
            section: 'systemd',
            item: 'unitFiles["a.service"]',
            status: 'different',
            a: 'enabled',
            b: 'disabled',
          },
        ],
      },
    ]);
  });

  it('never compares facts', () => {
    const a = stateOf({ s: { config: { x: 1 }, facts: { pid: 1 } } });
    const b = stateOf({ s: { config: { x: 1 }, facts: { pid: 2 } } });
    expect(diffStates(a, b).map((entry) => entry.status)).toEqual(['identical']);
  });
});
