import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RootFs } from '../../machine/root-fs.js';
import { REDACTED } from '../../state/redact.js';
import { readNetworkdFiles } from './networkd-files.js';

const DIR = '/etc/systemd/network';
let root: string;

async function put(path: string, text: string): Promise<void> {
  await mkdir(join(root, path, '..'), { recursive: true });
  await writeFile(join(root, path), text);
}

/** Tests run as root, which reads 0640 files anyway, so EACCES is injected for the given paths. */
function deniedFor(files: RootFs, denied: string[]): RootFs {
  const failing = (method: 'readText' | 'readDir') => {
    const original = files[method].bind(files) as (path: string) => Promise<unknown>;
    vi.spyOn(files, method).mockImplementation(async (path: string) => {
      if (denied.includes(path))
        throw new Error(`cannot read ${path} under root ${root}: EACCES: permission denied`);
      return original(path) as never;
    });
  };
  failing('readText');
  failing('readDir');
  return files;
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'op-dbus-networkd-files-'));
});

afterEach(async () => {
  vi.restoreAllMocks();
  await rm(root, { recursive: true, force: true });
});

describe('readNetworkdFiles', () => {
  it('keeps content redacted in the files and puts each summary beside them, by path', async () => {
    await put(`${DIR}/10-host0.network`, '[Match]\nName=host0\n[Network]\nAddress=10.0.0.2/24\n');
    await put(`${DIR}/20-wg0.netdev`, '[NetDev]\nName=wg0\nKind=wireguard\n[WireGuard]\nPrivateKey=abc=\n');
    await put(`${DIR}/10-host0.network.d/mtu.conf`, '[Link]\nMTUBytes=1400\n');
    await symlink('/dev/null', join(root, `${DIR}/99-default.link`));

    const read = await readNetworkdFiles(new RootFs(root));

    expect(Object.keys(read.files)).toEqual([
      `${DIR}/10-host0.network`,
      `${DIR}/10-host0.network.d/mtu.conf`,
      `${DIR}/20-wg0.netdev`,
      `${DIR}/99-default.link`,
    ]);
    expect(read.files[`${DIR}/20-wg0.netdev`]).toEqual({
      kind: 'netdev',
      masked: false,
      content: `[NetDev]\nName=wg0\nKind=wireguard\n[WireGuard]\nPrivateKey=${REDACTED}\n`,
    });
    expect(read.files[`${DIR}/99-default.link`]).toEqual({ kind: 'link', masked: true, content: '' });
    expect(read.summaries).toEqual({
      [`${DIR}/10-host0.network`]: { 'Match.Name': ['host0'], 'Network.Address': ['10.0.0.2/24'] },
      [`${DIR}/10-host0.network.d/mtu.conf`]: { 'Link.MTUBytes': ['1400'] },
      [`${DIR}/20-wg0.netdev`]: { 'NetDev.Name': ['wg0'], 'NetDev.Kind': ['wireguard'] },
      [`${DIR}/99-default.link`]: {},
    });
    expect(read.redactions).toEqual([
      {
        path: ['config', 'files', `${DIR}/20-wg0.netdev`, 'content'],
        reason: 'secret-named setting PrivateKey',
      },
    ]);
    expect(read.problems).toEqual([]);
  });

  it('reports an unreadable file or drop-in directory as a problem and keeps the rest', async () => {
    await put(`${DIR}/10-host0.network`, '[Match]\nName=host0\n');
    await put(`${DIR}/20-wg0.netdev`, '[NetDev]\nName=wg0\nKind=wireguard\n');
    await put(`${DIR}/30-eth.network.d/dns.conf`, '[Network]\nDNS=192.0.2.53\n');

    const files = deniedFor(new RootFs(root), [`${DIR}/20-wg0.netdev`, `${DIR}/30-eth.network.d`]);
    const read = await readNetworkdFiles(files);

    expect(Object.keys(read.files)).toEqual([`${DIR}/10-host0.network`]);
    expect(Object.keys(read.summaries)).toEqual([`${DIR}/10-host0.network`]);
    expect(read.problems).toEqual([
      {
        path: `${DIR}/20-wg0.netdev`,
        line: null,
        text: null,
        reason: expect.stringContaining('EACCES'),
      },
      {
        path: `${DIR}/30-eth.network.d`,
        line: null,
        text: null,
        reason: expect.stringContaining('EACCES'),
      },
    ]);
  });

  it('skips what networkd skips: hidden files and drop-ins, other suffixes', async () => {
    await put(`${DIR}/10-host0.network`, '[Match]\nName=host0\n');
    await put(`${DIR}/.10-host0.network.swp`, 'editor backup');
    await put(`${DIR}/.hidden.network`, '[Match]\nName=eth9\n');
    await put(`${DIR}/10-host0.network.d/.mtu.conf`, '[Link]\nMTUBytes=1400\n');
    await put(`${DIR}/notes.txt`, 'not configuration');

    const read = await readNetworkdFiles(new RootFs(root));

    expect(Object.keys(read.files)).toEqual([`${DIR}/10-host0.network`]);
  });

  it('gives nothing for a root without /etc/systemd/network', async () => {
    expect(await readNetworkdFiles(new RootFs(root))).toEqual({
      files: {},
      summaries: {},
      problems: [],
      redactions: [],
    });
  });
});
