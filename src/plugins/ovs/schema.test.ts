import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { systemInterface, testBridge, testPort } from '../../../test/fixtures/ovsdb/vswitch-configs.js';
import { emptyPort } from '../../ovsdb/vswitch-model.js';
import { describeZodIssues } from '../../state/document.js';
import { ovsConfigSchema } from './schema.js';

const documentSchema = z.object({ sections: z.object({ ovs: z.object({ config: ovsConfigSchema }) }) });

function refusals(bridges: Record<string, unknown>): string[] {
  const result = documentSchema.safeParse({ sections: { ovs: { config: { bridges } } } });
  return result.success ? [] : describeZodIssues(result.error.issues);
}

describe('ovsConfigSchema', () => {
  it('accepts bridges, bonds, tunnels and VLAN settings as discover captures them', () => {
    const bridge = testBridge('br0', {
      ...testPort('eth1'),
      bond0: {
        ...emptyPort({
          eth2: systemInterface,
          eth3: systemInterface,
        }),
        bondMode: 'balance-slb',
        lacp: 'active',
      },
    });
    bridge.controllers = ['tcp:127.0.0.1:6653', 'punix:/run/ctl.sock', 'ptcp:6653:[::1]'];
    bridge.protocols = ['OpenFlow10', 'OpenFlow15'];
    bridge.failMode = 'secure';
    expect(refusals({ br0: bridge, 'br-int.10': testBridge('br-int.10') })).toEqual([]);
  });

  it.each([
    ['x'.repeat(16), /bridge name must be at most 15 bytes/],
    ['../etc', /bridge name must not contain "\/"/],
    ['br 0', /bridge name must not contain whitespace/],
    ['br0:1', /bridge name must not contain ":"/],
    ['', /bridge name must not be empty/],
  ])('refuses the bridge name %j at its JSON path', (name, message) => {
    const problems = refusals({ [name]: testBridge(name) });
    expect(
      problems.some(
        (problem) =>
          problem.includes(`$.sections.ovs.config.bridges[${JSON.stringify(name)}]`) ||
          problem.includes(`bridges.${name}`),
      ),
    ).toBe(true);
    expect(problems.join('\n')).toMatch(message);
  });

  it('refuses hostile port and interface names, and bad values, naming each place', () => {
    const bridge = testBridge('br0', {
      'eth\n1': emptyPort({ eth1: systemInterface }),
      'p.': emptyPort({ '..': systemInterface }),
    });
    (bridge.ports.br0 as ReturnType<typeof emptyPort>).tag = 4096;
    bridge.controllers = ['tcp:1.2.3.4:6653; rm -rf /'];
    bridge.protocols = ['OpenFlow16'];
    bridge.datapathType = 'Net Dev';
    const problems = refusals({ br0: bridge }).join('\n');
    expect(problems).toMatch(
      /ports\["eth\\n1"\].*port name must not contain whitespace or control characters/,
    );
    expect(problems).toMatch(/interfaces\["\.\."\].*interface name must not be "\." or "\.\."/);
    expect(problems).toMatch(/ports\.br0\.tag/);
    expect(problems).toMatch(/controllers\[0\].*controller target/);
    expect(problems).toMatch(/protocols\[0\].*OpenFlow version/);
    expect(problems).toMatch(/datapathType.*lower-case/);
  });

  it('refuses names OVSDB would refuse as duplicates, and a port without interfaces', () => {
    const problems = refusals({
      br0: testBridge('br0', {
        ...testPort('eth1'),
        br1: emptyPort({ br1: systemInterface }),
        empty: emptyPort({}),
      }),
      br1: testBridge('br1', {
        ...testPort('eth1'),
        eth9: emptyPort({ eth1: systemInterface }),
      }),
    }).join('\n');
    expect(problems).toMatch(/bridges\.br0\.ports\.br1.*has the name of bridge br1/);
    expect(problems).toMatch(/bridges\.br1\.ports\.eth1.*port eth1 is also on bridge br0/);
    expect(problems).toMatch(
      /bridges\.br1\.ports\.eth9\.interfaces\.eth1.*interface eth1 is also in port br0\/eth1/,
    );
    expect(problems).toMatch(/ports\.empty\.interfaces.*at least one interface/);
  });
});
