import { describe, expect, it } from 'vitest';
import { bridgeNameProblem } from '../ovsdb/names.js';
import { containerNameProblem, containerPortName } from './container-port-name.js';

describe('containerPortName', () => {
  it('is a valid 15-character device name, stable for the same bridge and container', () => {
    const name = containerPortName('br-int', 'web-01');
    expect(name).toMatch(/^oc[0-9a-f]{13}$/);
    expect(bridgeNameProblem(name)).toBeUndefined();
    expect(containerPortName('br-int', 'web-01')).toBe(name);
  });

  it('differs between containers and between bridges', () => {
    const names = new Set(
      ['br0', 'br1'].flatMap((bridge) =>
        ['a', 'b', 'web-01', 'web-1'].map((c) => containerPortName(bridge, c)),
      ),
    );
    expect(names.size).toBe(8);
  });
});

describe('containerNameProblem', () => {
  it('accepts container names and ids', () => {
    for (const name of ['web-01', 'f3a1c0de9b7e', 'my_app.v2', 'a'.repeat(64)]) {
      expect(containerNameProblem(name)).toBeUndefined();
    }
  });

  it('refuses what could smuggle anything into a name', () => {
    for (const name of ['', '-x', '../etc', 'a/b', 'a b', 'a\nb', 'x'.repeat(129), 'ż']) {
      expect(containerNameProblem(name)).toMatch(/container name/);
    }
  });
});
