import { describe, expect, it } from 'vitest';
import {
  assignedValues,
  listValue,
  mergeUnitFiles,
  parseUnitFile,
  splitUnitWords,
} from './parse-unit-file.js';

// Debian 12's /lib/systemd/system/getty@.service, shortened.
const GETTY_TEMPLATE = `#  SPDX-License-Identifier: LGPL-2.1-or-later
#
#  This file is part of systemd.

[Unit]
Description=Getty on %I
Documentation=man:agetty(8) man:systemd-getty-generator(8)
Documentation=https://0pointer.de/blog/projects/serial-console.html
After=systemd-user-sessions.service plymouth-quit-wait.service getty-pre.target
After=rc-local.service

# If additional gettys are spawned during boot then we should make
# sure that this is synchronized before getty.target.
Before=getty.target
IgnoreOnIsolate=yes

[Service]
# the VT is cleared by TTYVTDisallocate
ExecStart=-/sbin/agetty -o '-p -- \\\\u' --noclear - $TERM
Type=idle
UnsetEnvironment=LANG LANGUAGE LC_CTYPE

[Install]
WantedBy=getty.target
DefaultInstance=tty1
`;

// Debian 12's /lib/systemd/system/systemd-timesyncd.service, shortened.
const TIMESYNCD = `[Unit]
Description=Network Time Synchronization
ConditionVirtualization=!container

[Service]
Environment=SYSTEMD_NSS_RESOLVE_VALIDATE=0
ExecStart=!!/lib/systemd/systemd-timesyncd
SystemCallFilter=@system-service @clock

[Install]
WantedBy=sysinit.target
Alias=dbus-org.freedesktop.timesync1.service
`;

describe('parseUnitFile', () => {
  it('reads sections and assignments in order, skipping comments and blank lines', () => {
    const parsed = parseUnitFile(GETTY_TEMPLATE);
    expect(parsed.problems).toEqual([]);
    expect(parsed.sections.map((section) => section.name)).toEqual(['Unit', 'Service', 'Install']);
    expect(parsed.sections[0]?.line).toBe(5);
    expect(assignedValues(parsed, 'Unit', 'After')).toEqual([
      'systemd-user-sessions.service plymouth-quit-wait.service getty-pre.target',
      'rc-local.service',
    ]);
    expect(assignedValues(parsed, 'Service', 'ExecStart')).toEqual([
      "-/sbin/agetty -o '-p -- \\\\u' --noclear - $TERM",
    ]);
    expect(assignedValues(parsed, 'Install', 'DefaultInstance')).toEqual(['tty1']);
    expect(assignedValues(parsed, 'Install', 'Alias')).toEqual([]);
  });

  it('keeps the line each assignment starts on', () => {
    const install = parseUnitFile(TIMESYNCD).sections.find((section) => section.name === 'Install');
    expect(install?.assignments).toEqual([
      { key: 'WantedBy', value: 'sysinit.target', line: 11 },
      { key: 'Alias', value: 'dbus-org.freedesktop.timesync1.service', line: 12 },
    ]);
  });

  it('treats ; as a comment and trims whitespace around keys and values', () => {
    const parsed = parseUnitFile(
      '[Service]\n; old setting\n  \tExecStart =  /bin/true  \n\t# indented comment\n',
    );
    expect(parsed.sections[0]?.assignments).toEqual([{ key: 'ExecStart', value: '/bin/true', line: 3 }]);
  });

  it('joins lines ending in a backslash, dropping comment lines inside the continuation', () => {
    const parsed = parseUnitFile(
      '[Install]\nWantedBy=multi-user.target \\\n# a comment in between\n  graphical.target\nAlias=x.service\n',
    );
    expect(parsed.sections[0]?.assignments).toEqual([
      { key: 'WantedBy', value: 'multi-user.target    graphical.target', line: 2 },
      { key: 'Alias', value: 'x.service', line: 5 },
    ]);
  });

  it('does not continue a line whose backslash is itself escaped', () => {
    const parsed = parseUnitFile('[Service]\nExecStart=/bin/echo a\\\\\nType=oneshot\n');
    expect(parsed.sections[0]?.assignments.map((a) => a.key)).toEqual(['ExecStart', 'Type']);
  });

  it('ends a continuation at the end of the file', () => {
    expect(assignedValues(parseUnitFile('[Install]\nWantedBy=a.target \\'), 'Install', 'WantedBy')).toEqual([
      'a.target',
    ]);
  });

  it('handles CRLF and CR line ends and a byte order mark', () => {
    const parsed = parseUnitFile('\uFEFF[Unit]\r\nDescription=x\r\n[Install]\rWantedBy=a.target\r');
    expect(parsed.sections.map((section) => section.name)).toEqual(['Unit', 'Install']);
    expect(assignedValues(parsed, 'Install', 'WantedBy')).toEqual(['a.target']);
  });

  it('keeps an = inside the value', () => {
    expect(
      assignedValues(parseUnitFile('[Service]\nEnvironment=A=1 B=2\n'), 'Service', 'Environment'),
    ).toEqual(['A=1 B=2']);
  });

  it('reports malformed lines as systemd does: a broken section header is fatal, the rest are ignored', () => {
    const parsed = parseUnitFile('Orphan=1\n[Unit\n[Service]\nno equals sign\n=value\nExecStart=/bin/true\n');
    expect(parsed.problems).toEqual([
      { line: 1, message: 'assignment outside of any section, ignored', fatal: false },
      { line: 2, message: 'invalid section header "[Unit"', fatal: true },
      { line: 4, message: 'missing \'=\' in "no equals sign", ignored', fatal: false },
      { line: 5, message: "missing key name before '=', ignored", fatal: false },
    ]);
    expect(assignedValues(parsed, 'Service', 'ExecStart')).toEqual(['/bin/true']);
  });

  it('parses empty input and comment-only input to nothing', () => {
    expect(parseUnitFile('')).toEqual({ sections: [], problems: [] });
    expect(parseUnitFile('# only\n; comments\n\n')).toEqual({ sections: [], problems: [] });
  });

  it('keeps a repeated section as two sections, as drop-ins do', () => {
    const parsed = parseUnitFile('[Install]\nWantedBy=a.target\n[Unit]\n[Install]\nWantedBy=b.target\n');
    expect(listValue(parsed, 'Install', 'WantedBy')).toEqual(['a.target', 'b.target']);
  });
});

describe('list settings', () => {
  it('adds the words of each assignment and resets the list on an empty assignment', () => {
    const main = parseUnitFile('[Install]\nWantedBy=multi-user.target graphical.target\n');
    const dropIn = parseUnitFile('[Install]\nWantedBy=\nWantedBy=rescue.target\n');
    expect(listValue(main, 'Install', 'WantedBy')).toEqual(['multi-user.target', 'graphical.target']);
    expect(listValue(mergeUnitFiles([main, dropIn]), 'Install', 'WantedBy')).toEqual(['rescue.target']);
    expect(listValue(mergeUnitFiles([main]), 'Install', 'RequiredBy')).toEqual([]);
  });

  it('splits words at whitespace, removing quotes and keeping escapes', () => {
    expect(splitUnitWords('  a.target\tb.target  ')).toEqual(['a.target', 'b.target']);
    expect(splitUnitWords('"with space" \'single\' mid"dle"x')).toEqual(['with space', 'single', 'middlex']);
    expect(splitUnitWords('a\\ b c')).toEqual(['a\\ b', 'c']);
    expect(splitUnitWords('""')).toEqual(['']);
    expect(splitUnitWords('')).toEqual([]);
  });
});
