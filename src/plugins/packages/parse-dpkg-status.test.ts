import { describe, expect, it } from 'vitest';
import { installedFromDpkgStatus, parseDpkgStatus } from './parse-dpkg-status.js';

const STATUS = `Package: adduser
Status: install ok installed
Priority: important
Section: admin
Installed-Size: 849
Maintainer: Debian Adduser Developers <adduser@packages.debian.org>
Architecture: all
Multi-Arch: foreign
Version: 3.134
Depends: passwd
Conffiles:
 /etc/adduser.conf cc3493ecd2d09837ffdcc3e25fdfff18
Description: add and remove users and groups
 This package includes the 'adduser' and 'deluser' commands for creating
 and removing users.
 .
 - 'adduser' creates new users and groups and adds existing users to
   existing groups;

Package: libc6
Status: hold ok installed
Architecture: amd64
Multi-Arch: same
Version: 2.36-9+deb12u4

Package: libc6
Status: install ok installed
Architecture: i386
Multi-Arch: same
Version: 2.36-9+deb12u4

Package: nano
Status: deinstall ok config-files
Architecture: amd64
Version: 7.2-1
Conffiles:
 /etc/nanorc 5bd4f3ce3b2ab3f4e4d4c4c7a4f4b4c4

Package: vim-tiny
Status: install reinstreq half-installed
Architecture: amd64
Version: 2:9.0.1378-2

Package: man-db
Status: install ok triggers-pending
Architecture: amd64
Version: 2.11.2-2

Package: ed
Status: deinstall ok installed
Architecture: amd64
Version: 1.19-1

Package: broken-status
Status: install ok
Architecture: amd64
Version: 1.0

Status: install ok installed
Architecture: amd64
Version: 9.9
`;

describe('parseDpkgStatus', () => {
  it('reads name, version, architecture and the status triple of every complete stanza', () => {
    const entries = parseDpkgStatus(STATUS);
    expect(entries.map((e) => `${e.name}:${e.architecture} ${e.want}/${e.error}/${e.state}`)).toEqual([
      'adduser:all install/ok/installed',
      'libc6:amd64 hold/ok/installed',
      'libc6:i386 install/ok/installed',
      'nano:amd64 deinstall/ok/config-files',
      'vim-tiny:amd64 install/reinstreq/half-installed',
      'man-db:amd64 install/ok/triggers-pending',
      'ed:amd64 deinstall/ok/installed',
    ]);
    expect(entries[0]).toEqual({
      name: 'adduser',
      version: '3.134',
      architecture: 'all',
      want: 'install',
      error: 'ok',
      state: 'installed',
    });
  });

  it('keeps an epoch in the version and leaves a missing Architecture empty', () => {
    const entries = parseDpkgStatus('Package: oldpkg\nStatus: install ok installed\nVersion: 1:2.0-1\n');
    expect(entries).toEqual([
      {
        name: 'oldpkg',
        version: '1:2.0-1',
        architecture: '',
        want: 'install',
        error: 'ok',
        state: 'installed',
      },
    ]);
  });

  it('returns nothing for an empty database', () => {
    expect(parseDpkgStatus('')).toEqual([]);
  });
});

describe('installedFromDpkgStatus', () => {
  it('keeps only packages in the installed state, whatever their selection', () => {
    expect(installedFromDpkgStatus(parseDpkgStatus(STATUS))).toEqual([
      { name: 'adduser', version: '3.134', architecture: 'all' },
      { name: 'libc6', version: '2.36-9+deb12u4', architecture: 'amd64' },
      { name: 'libc6', version: '2.36-9+deb12u4', architecture: 'i386' },
      { name: 'ed', version: '1.19-1', architecture: 'amd64' },
    ]);
  });
});
