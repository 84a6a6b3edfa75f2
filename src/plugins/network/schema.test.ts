import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeZodIssues } from '../../state/document.js';
import { MAX_FILE_BYTES } from '../shared/limits.js';
import { networkConfigSchema } from './schema.js';

const documentSchema = z.object({
  sections: z.object({ network: z.object({ config: networkConfigSchema }) }),
});
const FILE = { kind: 'network', masked: false, content: '[Match]\nName=eth0\n' };

function refusals(files: Record<string, unknown>): string[] {
  const result = documentSchema.safeParse({ sections: { network: { config: { files } } } });
  return result.success ? [] : describeZodIssues(result.error.issues);
}

describe('networkConfigSchema', () => {
  it('accepts files, drop-ins and masks networkd reads', () => {
    expect(
      refusals({
        '/etc/systemd/network/10-eth0.network': FILE,
        '/etc/systemd/network/10-eth0.network.d/mtu.conf': FILE,
        '/etc/systemd/network/wg0 tunnel.netdev': { kind: 'netdev', masked: false, content: '' },
        '/etc/systemd/network/99-default.link': { kind: 'link', masked: true, content: '' },
      }),
    ).toEqual([]);
  });

  it.each([
    ['/etc/systemd/network/../../shadow.network', 'a .. component'],
    ['/etc/systemd/network/../system/evil.service', 'a way out of the directory'],
    ['/etc/systemd/system/x.network', 'another directory'],
    ['/etc/systemd/network/a/b/c.network', 'nested directories'],
    ['/etc/systemd/network/x.network.d/y/z.conf', 'a directory below a drop-in directory'],
    ['/etc/systemd/network/x.network.d/y.txt', 'a drop-in that is not .conf'],
    ['/etc/systemd/network/x.conf', 'a .conf outside a drop-in directory'],
    ['/etc/systemd/network/evil\n.network', 'a newline'],
    ['/etc/systemd/network/.hidden.network', 'a hidden name'],
    ['/etc/systemd/network/x.sh', 'another suffix'],
    [`/etc/systemd/network/${'a'.repeat(250)}.network`, 'a name longer than 255 bytes'],
  ])('refuses %j (%s), naming the path', (path) => {
    expect(refusals({ [path]: FILE })).toEqual([
      `$.sections.network.config.files[${JSON.stringify(path)}]: must be /etc/systemd/network/<name>.network|.netdev|.link or /etc/systemd/network/<name>.<kind>.d/<name>.conf (no hidden names, .., extra directories or control characters)`,
    ]);
  });

  it('refuses a kind the file name contradicts', () => {
    expect(refusals({ '/etc/systemd/network/wg0.netdev.d/key.conf': FILE })).toEqual([
      '$.sections.network.config.files["/etc/systemd/network/wg0.netdev.d/key.conf"].kind: must be "netdev", as the file name says',
    ]);
  });

  it('refuses content over the size limit and masks with content', () => {
    const path = '/etc/systemd/network/big.network';
    expect(refusals({ [path]: { ...FILE, content: 'x'.repeat(MAX_FILE_BYTES + 1) } })).toEqual([
      `$.sections.network.config.files[${JSON.stringify(path)}].content: larger than ${MAX_FILE_BYTES} bytes`,
    ]);
    expect(refusals({ [path]: { ...FILE, masked: true } })).toEqual([
      `$.sections.network.config.files[${JSON.stringify(path)}].content: a masked file is a symlink to /dev/null and has no content`,
    ]);
  });
});
