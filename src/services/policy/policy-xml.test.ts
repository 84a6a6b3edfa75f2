import { describe, expect, it } from 'vitest';
import { GROUP_MAY_CALL, OPDBUS_SERVICE, OVSDB_SERVICE, SERVICE_CONTRACTS } from './contracts.js';
import { DEFAULT_POLICY_GROUP, policyFileName, policyGroupProblem, renderPolicy } from './policy-xml.js';

/** The <policy> element for `opening` (e.g. `group="opdbus"`), its rules one per line. */
function policySection(xml: string, opening: string): string[] {
  const start = xml.indexOf(`<policy ${opening}>`);
  const end = xml.indexOf('</policy>', start);
  return xml
    .slice(start, end)
    .split('\n')
    .slice(1)
    .map((line) => line.trim())
    .filter((line) => line.startsWith('<allow') || line.startsWith('<deny'));
}

const allowedMembers = (rules: string[]) =>
  rules
    .flatMap((rule) => /send_member="(\w+)"/.exec(rule)?.[1] ?? [])
    .filter((name) => name !== 'Get' && name !== 'GetAll');

describe('renderPolicy', () => {
  it('lets the group call exactly the read and create methods of each contract', () => {
    for (const contract of SERVICE_CONTRACTS) {
      const groupRules = policySection(renderPolicy(contract, 'ops'), 'group="ops"');
      const expected = contract.methods
        .filter((method) => GROUP_MAY_CALL[method.access])
        .map((method) => method.name);
      expect(allowedMembers(groupRules).sort()).toEqual(expected.sort());
      for (const rule of groupRules.filter((line) => line.includes('send_member')))
        expect(rule).toContain(`send_destination="${contract.busName}" send_interface=`);
    }
  });

  it('keeps delete and apply for root, who owns the name and may call everything', () => {
    const xml = renderPolicy(OVSDB_SERVICE, DEFAULT_POLICY_GROUP);
    expect(policySection(xml, 'user="root"')).toEqual([
      '<allow own="org.openvswitch.ovsdb"/>',
      '<allow send_destination="org.openvswitch.ovsdb"/>',
      '<allow receive_sender="org.openvswitch.ovsdb"/>',
    ]);
    expect(xml).not.toMatch(/send_member="Delete(Bridge|Port)"/);
    expect(renderPolicy(OPDBUS_SERVICE, 'ops')).not.toContain('send_member="ApplyState"');
  });

  it('refuses method calls to everyone else but introspection and ping, and keeps signals from them', () => {
    expect(policySection(renderPolicy(OPDBUS_SERVICE, 'ops'), 'context="default"')).toEqual([
      '<deny own="org.opdbus"/>',
      '<deny send_destination="org.opdbus" send_type="method_call"/>',
      '<allow send_destination="org.opdbus" send_interface="org.freedesktop.DBus.Introspectable"/>',
      '<allow send_destination="org.opdbus" send_interface="org.freedesktop.DBus.Peer"/>',
      '<deny receive_sender="org.opdbus" receive_type="signal"/>',
    ]);
    expect(policySection(renderPolicy(OPDBUS_SERVICE, 'ops'), 'group="ops"')).toContain(
      '<allow receive_sender="org.opdbus" receive_type="signal"/>',
    );
  });

  it('keeps its header a well-formed XML comment whatever the group is called', () => {
    const xml = renderPolicy(OPDBUS_SERVICE, 'ops--admins');
    const comment = /<!--([\s\S]*?)-->/.exec(xml)?.[1] ?? '';
    expect(comment).toContain('ops- -admins');
    expect(comment).not.toContain('--');
    expect(xml).toContain('<policy group="ops--admins">');
  });

  it('refuses a group name that is not a POSIX group name', () => {
    expect(() => renderPolicy(OVSDB_SERVICE, 'a"b')).toThrow("group name 'a\"b' is not a POSIX group name");
  });

  it.each(SERVICE_CONTRACTS.map((contract) => [policyFileName(contract), contract] as const))(
    'matches the shipped %s (regenerate with: npx vitest run -u src/services/policy)',
    async (fileName, contract) => {
      await expect(renderPolicy(contract, DEFAULT_POLICY_GROUP)).toMatchFileSnapshot(`./${fileName}`);
    },
  );
});

describe('policyGroupProblem', () => {
  it.each(['opdbus', 'ovs-admins', '_ops', 'Ops.1', 'a'.repeat(32)])('accepts %s', (name) => {
    expect(policyGroupProblem(name)).toBeUndefined();
  });

  it.each([
    ['', 'the group name is empty'],
    ['-ops', 'is not a POSIX group name'],
    ['ops admins', 'is not a POSIX group name'],
    ['ops$', 'is not a POSIX group name'],
    ['ops<x>', 'is not a POSIX group name'],
    ['1000', 'is all digits'],
    ['a'.repeat(33), 'is longer than 32 characters'],
  ])('refuses %j', (name, problem) => {
    expect(policyGroupProblem(name)).toContain(problem);
  });
});
