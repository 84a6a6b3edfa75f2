import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RootFs } from '../../machine/root-fs.js';
import { REDACTED } from '../../state/redact.js';
import { readKernelAdminFiles } from './admin-files.js';
import { redactSysctlFileText } from './redact-kernel.js';

let root: string;

async function put(path: string, text: string): Promise<void> {
  await mkdir(join(root, path, '..'), { recursive: true });
  await writeFile(join(root, path), text);
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'op-dbus-kernel-admin-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('readKernelAdminFiles', () => {
  it('captures contents, masks and links between admin files; links elsewhere by content', async () => {
    await put('/etc/sysctl.conf', 'net.ipv4.ip_forward=1\n');
    await put('/etc/sysctl.d/README.sysctl', 'not read by anything\n');
    await put('/usr/share/tuning/net.conf', 'net.core.somaxconn = 1024\n');
    await symlink('../sysctl.conf', join(root, 'etc/sysctl.d/99-sysctl.conf'));
    await symlink('/dev/null', join(root, 'etc/sysctl.d/50-default.conf'));
    await symlink('/usr/share/tuning/net.conf', join(root, 'etc/sysctl.d/60-net.conf'));
    await symlink('/etc/nowhere.conf', join(root, 'etc/sysctl.d/70-dangling.conf'));
    await put('/etc/modules', 'loop\n');
    await put('/etc/modprobe.d/.hidden.conf', 'blacklist x\n');
    await put('/etc/modprobe.d/cifs.conf', 'options cifs password=hunter2\n');
    await mkdir(join(root, 'etc/modprobe.d/dir.conf'));

    const read = await readKernelAdminFiles(new RootFs(root));
    expect(read.files).toEqual({
      '/etc/modprobe.d/cifs.conf': { content: `options cifs password=${REDACTED}\n` },
      '/etc/modules': { content: 'loop\n' },
      '/etc/sysctl.conf': { content: 'net.ipv4.ip_forward=1\n' },
      '/etc/sysctl.d/50-default.conf': { masked: true },
      '/etc/sysctl.d/60-net.conf': { content: 'net.core.somaxconn = 1024\n' },
      '/etc/sysctl.d/99-sysctl.conf': { linkTo: '/etc/sysctl.conf' },
    });
    expect(Object.keys(read.files)).toEqual(Object.keys(read.files).sort());
    expect(read.redactions).toEqual([
      {
        path: ['config', 'files', '/etc/modprobe.d/cifs.conf', 'content'],
        reason: 'secret-named setting password',
      },
    ]);
    expect(JSON.stringify(read)).not.toContain('hunter2');
  });

  it('reports a name it cannot capture instead of dropping it silently', async () => {
    await put('/etc/sysctl.d/bad\nname.conf', 'vm.swappiness = 1\n');
    const read = await readKernelAdminFiles(new RootFs(root));
    expect(read.files).toEqual({});
    expect(read.problems).toEqual([
      {
        path: '/etc/sysctl.d/"bad\\nname.conf"',
        line: null,
        text: null,
        reason: 'not captured: its name has control characters',
      },
    ]);
  });
});

describe('redactSysctlFileText', () => {
  it('withholds secret keys only, in comments and with the ignore-failure prefix too', () => {
    const text =
      'net.ipv6.conf.all.stable_secret = 2001:db8::1\n# net/ipv4/tcp_fastopen_key=00-11\n-net.ipv4.tcp_fastopen_key = a-b \nnet.sctp.auth_enable = 1\n';
    expect(redactSysctlFileText(text)).toEqual({
      text: `net.ipv6.conf.all.stable_secret = ${REDACTED}\n# net/ipv4/tcp_fastopen_key=${REDACTED}\n-net.ipv4.tcp_fastopen_key = ${REDACTED} \nnet.sctp.auth_enable = 1\n`,
      reasons: ['secret sysctl net.ipv6.conf.all.stable_secret', 'secret sysctl net.ipv4.tcp_fastopen_key'],
    });
  });
});
