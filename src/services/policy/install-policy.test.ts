import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OPDBUS_SERVICE } from './contracts.js';
import { installPolicies } from './install-policy.js';
import { renderPolicy } from './policy-xml.js';

let prefix: string;
const policyDir = () => join(prefix, 'etc/dbus-1/system.d');

beforeEach(async () => {
  prefix = await mkdtemp(join(tmpdir(), 'opdbus-policy-'));
});
afterEach(async () => {
  await rm(prefix, { recursive: true, force: true });
});

describe('installPolicies', () => {
  it('writes one file per service for the group, mode 0644', async () => {
    const installation = await installPolicies({ prefix, group: 'ops', dryRun: false });
    expect(installation.files.map((file) => file.path)).toEqual([
      join(policyDir(), 'org.openvswitch.ovsdb.conf'),
      join(policyDir(), 'dev.ovs.PortAgent1.conf'),
      join(policyDir(), 'org.opdbus.conf'),
    ]);
    for (const file of installation.files) {
      expect(await readFile(file.path, 'utf8')).toBe(file.content);
      expect((await stat(file.path)).mode & 0o777).toBe(0o644);
    }
    expect(await readFile(join(policyDir(), 'org.opdbus.conf'), 'utf8')).toBe(
      renderPolicy(OPDBUS_SERVICE, 'ops'),
    );
    expect(installation.groupExists).toBeUndefined();
  });

  it('replaces files already there', async () => {
    await installPolicies({ prefix, group: 'first', dryRun: false });
    await installPolicies({ prefix, group: 'second', dryRun: false });
    expect(await readFile(join(policyDir(), 'org.opdbus.conf'), 'utf8')).toContain('<policy group="second">');
    expect((await readdir(policyDir())).sort()).toEqual([
      'dev.ovs.PortAgent1.conf',
      'org.opdbus.conf',
      'org.openvswitch.ovsdb.conf',
    ]);
  });

  it('writes nothing in a dry run', async () => {
    const installation = await installPolicies({ prefix, group: 'ops', dryRun: true });
    expect(installation.files).toHaveLength(3);
    expect(await readdir(prefix)).toEqual([]);
  });

  it('writes nothing for a bad group or a missing prefix', async () => {
    await expect(installPolicies({ prefix, group: '-ops', dryRun: false })).rejects.toThrow(
      "group name '-ops' is not a POSIX group name",
    );
    expect(await readdir(prefix)).toEqual([]);
    await expect(
      installPolicies({ prefix: join(prefix, 'missing'), group: 'ops', dryRun: false }),
    ).rejects.toThrow(`install prefix ${join(prefix, 'missing')} is not a directory`);
  });

  it("tells whether the prefix's /etc/group has the group", async () => {
    await mkdir(join(prefix, 'etc'));
    await writeFile(join(prefix, 'etc/group'), 'root:x:0:\nops:x:990:alice\n');
    expect((await installPolicies({ prefix, group: 'ops', dryRun: true })).groupExists).toBe(true);
    expect((await installPolicies({ prefix, group: 'op', dryRun: true })).groupExists).toBe(false);
  });
});
