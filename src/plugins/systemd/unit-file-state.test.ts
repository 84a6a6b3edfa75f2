import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveUnitFile } from './resolve-unit-file.js';
import {
  DEFAULT_SYSTEM_UNIT_PATH,
  deriveUnitFileStates,
  isDerivationTestedOn,
  listUnitFiles,
  systemdMajorVersion,
} from './unit-file-state.js';
import type { TreeEntryKind, TreeNode, UnitTree } from './unit-tree.js';

type TreeSpec = Record<string, string | { link: string }>;

/** A UnitTree from file contents and symlinks; directories are implied, search directories always exist. */
function treeOf(spec: TreeSpec): UnitTree {
  const nodes = new Map<string, TreeNode>();
  const directories = new Map<string, Map<string, TreeEntryKind>>();
  const addEntry = (path: string, kind: TreeEntryKind): void => {
    const parent = posix.dirname(path);
    if (!directories.has(parent)) {
      directories.set(parent, new Map());
      if (parent !== '/') addEntry(parent, 'directory');
    }
    directories.get(parent)?.set(posix.basename(path), kind);
  };
  for (const dir of DEFAULT_SYSTEM_UNIT_PATH) {
    addEntry(dir, 'directory');
    directories.set(dir, directories.get(dir) ?? new Map());
  }
  for (const [path, value] of Object.entries(spec)) {
    addEntry(path, typeof value === 'string' ? 'file' : 'symlink');
    nodes.set(
      path,
      typeof value === 'string' ? { kind: 'file', content: value } : { kind: 'symlink', target: value.link },
    );
  }
  for (const [dir, entries] of directories) nodes.set(dir, { kind: 'directory', entries });
  return { searchPath: DEFAULT_SYSTEM_UNIT_PATH, nodes };
}

const VENDOR = '/lib/systemd/system';
const ETC = '/etc/systemd/system';
const RUN = '/run/systemd/system';
const STATIC = '[Unit]\nDescription=static\n[Service]\nExecStart=/bin/true\n';
const WANTED = '[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n';

function statesOf(spec: TreeSpec): Record<string, string> {
  const derived = deriveUnitFileStates(treeOf(spec));
  return {
    ...Object.fromEntries(derived.states),
    ...Object.fromEntries([...derived.unclassified].map(([n]) => [n, '?'])),
  };
}

describe('deriveUnitFileStates', () => {
  it('calls a unit without [Install] static and one with install rules but no links disabled', () => {
    expect(statesOf({ [`${VENDOR}/a.service`]: STATIC, [`${VENDOR}/b.service`]: WANTED })).toEqual({
      'a.service': 'static',
      'b.service': 'disabled',
    });
  });

  it('finds enablement in .wants/.requires of /etc (enabled) and /run (enabled-runtime)', () => {
    expect(
      statesOf({
        [`${VENDOR}/a.service`]: WANTED,
        [`${ETC}/multi-user.target.wants/a.service`]: { link: `${VENDOR}/a.service` },
        [`${VENDOR}/b.service`]: WANTED,
        [`${ETC}/multi-user.target.requires/b.service`]: { link: `${VENDOR}/b.service` },
        [`${VENDOR}/c.service`]: WANTED,
        [`${RUN}/multi-user.target.wants/c.service`]: { link: `${VENDOR}/c.service` },
      }),
    ).toEqual({ 'a.service': 'enabled', 'b.service': 'enabled', 'c.service': 'enabled-runtime' });
  });

  it('counts only the name of a .wants link, not where it points', () => {
    expect(
      statesOf({
        [`${VENDOR}/a.service`]: WANTED,
        [`${ETC}/multi-user.target.wants/other.service`]: { link: `${VENDOR}/a.service` },
      }),
    ).toEqual({ 'a.service': 'disabled' });
  });

  it('reports aliases as alias and a unit enabled through its Alias= link as enabled', () => {
    const unit = '[Service]\nExecStart=/bin/true\n[Install]\nAlias=dbus-org.example.service\n';
    expect(
      statesOf({
        [`${VENDOR}/a.service`]: unit,
        [`${ETC}/dbus-org.example.service`]: { link: `${VENDOR}/a.service` },
        [`${VENDOR}/ctrl-alt-del.target`]: { link: 'reboot.target' },
        [`${VENDOR}/reboot.target`]: STATIC,
      }),
    ).toEqual({
      'a.service': 'enabled',
      'dbus-org.example.service': 'alias',
      'ctrl-alt-del.target': 'alias',
      'reboot.target': 'static',
    });
  });

  it('calls a unit linked under an unknown name indirect', () => {
    expect(
      statesOf({
        [`${VENDOR}/a.service`]: WANTED,
        [`${ETC}/manual-alias.service`]: { link: `${VENDOR}/a.service` },
      }),
    ).toMatchObject({ 'a.service': 'indirect', 'manual-alias.service': 'alias' });
  });

  it('reports masks by symlink to /dev/null or empty file, in /etc and /run', () => {
    expect(
      statesOf({
        [`${VENDOR}/a.service`]: WANTED,
        [`${ETC}/a.service`]: { link: '/dev/null' },
        [`${VENDOR}/b.service`]: WANTED,
        [`${RUN}/b.service`]: { link: '/dev/null' },
        [`${ETC}/c.service`]: '',
      }),
    ).toEqual({ 'a.service': 'masked', 'b.service': 'masked-runtime', 'c.service': 'masked' });
  });

  it('reports generated and transient units by their directory', () => {
    expect(
      statesOf({
        '/run/systemd/generator/data.mount': STATIC,
        '/run/systemd/transient/run-u1.service': STATIC,
      }),
    ).toEqual({ 'data.mount': 'generated', 'run-u1.service': 'transient' });
  });

  it('reports a vendor unit pulled in by a generator as enabled-runtime', () => {
    expect(
      statesOf({
        [`${VENDOR}/console-getty.service`]:
          '[Service]\nExecStart=/sbin/agetty\n[Install]\nWantedBy=getty.target\n',
        '/run/systemd/generator/getty.target.wants/console-getty.service': {
          link: `${VENDOR}/console-getty.service`,
        },
      }),
    ).toEqual({ 'console-getty.service': 'enabled-runtime' });
  });

  it('reports unit files linked from outside the search path as linked, linked-runtime or enabled', () => {
    expect(
      statesOf({
        '/opt/app/a.service': WANTED,
        [`${ETC}/a.service`]: { link: '/opt/app/a.service' },
        '/opt/app/b.service': WANTED,
        [`${RUN}/b.service`]: { link: '/opt/app/b.service' },
        '/opt/app/c.service': WANTED,
        [`${ETC}/c.service`]: { link: '/opt/app/c.service' },
        [`${ETC}/multi-user.target.wants/c.service`]: { link: '/opt/app/c.service' },
        '/opt/app/other-name.service': WANTED,
        [`${ETC}/renamed.service`]: { link: '../../../opt/app/other-name.service' },
      }),
    ).toEqual({
      'a.service': 'linked',
      'b.service': 'linked-runtime',
      'c.service': 'enabled',
      'renamed.service': 'alias',
    });
  });

  it('handles templates: enabled by their default instance, indirect by another instance', () => {
    const template =
      '[Service]\nExecStart=/sbin/agetty %I\n[Install]\nWantedBy=getty.target\nDefaultInstance=tty1\n';
    expect(
      statesOf({
        [`${VENDOR}/getty@.service`]: template,
        [`${ETC}/getty.target.wants/getty@tty1.service`]: { link: `${VENDOR}/getty@.service` },
        [`${VENDOR}/other@.service`]: template,
        [`${ETC}/getty.target.wants/other@tty3.service`]: { link: `${VENDOR}/other@.service` },
        [`${VENDOR}/serial@.service`]: WANTED,
      }),
    ).toEqual({ 'getty@.service': 'enabled', 'other@.service': 'indirect', 'serial@.service': 'disabled' });
  });

  it('calls an instance a vendor directory pulls in static (its template indirect), an instance link in /etc enabled', () => {
    expect(
      statesOf({
        [`${VENDOR}/x@.service`]: STATIC,
        [`${VENDOR}/x@a.service`]: { link: 'x@.service' },
        [`${VENDOR}/multi-user.target.wants/x@a.service`]: { link: '../x@a.service' },
        [`${ETC}/x@b.service`]: { link: `${VENDOR}/x@.service` },
      }),
    ).toEqual({ 'x@.service': 'indirect', 'x@a.service': 'static', 'x@b.service': 'enabled' });
  });

  it('calls a unit with only Also= indirect', () => {
    expect(
      statesOf({ [`${VENDOR}/a.socket`]: '[Install]\nAlso=a.service\n', [`${VENDOR}/a.service`]: STATIC }),
    ).toEqual({
      'a.socket': 'indirect',
      'a.service': 'static',
    });
  });

  it('reads [Install] from drop-ins too, in file-name order, higher directories shadowing lower ones', () => {
    expect(
      statesOf({
        [`${VENDOR}/a.service`]: STATIC,
        [`${ETC}/a.service.d/install.conf`]: '[Install]\nWantedBy=multi-user.target\n',
        [`${VENDOR}/b.service`]: WANTED,
        [`${VENDOR}/b.service.d/10-keep.conf`]: '',
        [`${ETC}/b.service.d/20-reset.conf`]: '[Install]\nWantedBy=\n',
        [`${VENDOR}/c.service`]: STATIC,
        [`${VENDOR}/c.service.d/x.conf`]: '[Install]\nWantedBy=multi-user.target\n',
        [`${ETC}/c.service.d/x.conf`]: { link: '/dev/null' },
      }),
    ).toEqual({ 'a.service': 'disabled', 'b.service': 'static', 'c.service': 'static' });
  });

  it('uses the file of the highest-priority directory', () => {
    expect(statesOf({ [`${VENDOR}/a.service`]: WANTED, [`${ETC}/a.service`]: STATIC })).toEqual({
      'a.service': 'static',
    });
  });

  it('leaves to systemd what it would call bad or what depends on its version', () => {
    const derived = deriveUnitFileStates(
      treeOf({
        [`${VENDOR}/self.service`]: WANTED,
        [`${ETC}/self.service`]: { link: `${VENDOR}/self.service` },
        [`${ETC}/dangling.service`]: { link: `${VENDOR}/gone.service` },
        [`${ETC}/broken.service`]: '[Unit\nDescription=x\n',
        [`${ETC}/mismatch.service`]: { link: `${VENDOR}/self.socket` },
        [`${VENDOR}/self.socket`]: STATIC,
        [`${ETC}/upheld.service`]: '[Install]\nUpheldBy=multi-user.target\n',
        [`${ETC}/held.service`]: WANTED,
        [`${ETC}/multi-user.target.upholds/held.service`]: { link: `${ETC}/held.service` },
        [`${ETC}/loop-a.service`]: { link: 'loop-b.service' },
        [`${ETC}/loop-b.service`]: { link: 'loop-a.service' },
      }),
    );
    // Like systemd, a link that points at a unit under another name makes it indirect, even a broken one.
    expect(Object.fromEntries(derived.states)).toEqual({ 'self.socket': 'indirect' });
    expect([...derived.unclassified.keys()].sort()).toEqual([
      'broken.service',
      'dangling.service',
      'held.service',
      'loop-a.service',
      'loop-b.service',
      'mismatch.service',
      'self.service',
      'upheld.service',
    ]);
    expect(derived.unclassified.get('dangling.service')).toContain('gone.service');
  });
});

describe('listUnitFiles', () => {
  it('lists files and symlinks with valid unit names once, from the first directory that has them', () => {
    const listed = listUnitFiles(
      treeOf({
        [`${ETC}/a.service`]: STATIC,
        [`${VENDOR}/a.service`]: STATIC,
        [`${VENDOR}/.hidden.service`]: STATIC,
        [`${VENDOR}/README`]: 'text',
        [`${VENDOR}/b.service.d/x.conf`]: '[Service]\n',
        [`${VENDOR}/multi-user.target.wants/b.service`]: { link: '../b.service' },
        [`${VENDOR}/b.service`]: STATIC,
      }),
    );
    expect(Object.fromEntries(listed)).toEqual({
      'a.service': `${ETC}/a.service`,
      'b.service': `${VENDOR}/b.service`,
    });
  });
});

describe('resolveUnitFile', () => {
  it('follows default.target to the target it names', () => {
    const tree = treeOf({
      [`${VENDOR}/default.target`]: { link: 'graphical.target' },
      [`${VENDOR}/graphical.target`]: STATIC,
      [`${ETC}/default.target`]: { link: `${VENDOR}/multi-user.target` },
      [`${VENDOR}/multi-user.target`]: STATIC,
    });
    expect(resolveUnitFile(tree, 'default.target')).toMatchObject({
      kind: 'regular',
      name: 'multi-user.target',
    });
  });

  it('finds an instance through its template file', () => {
    const tree = treeOf({ [`${VENDOR}/getty@.service`]: '[Install]\nWantedBy=getty.target\n' });
    expect(resolveUnitFile(tree, 'getty@tty1.service')).toMatchObject({
      kind: 'regular',
      name: 'getty@tty1.service',
      path: `${VENDOR}/getty@.service`,
    });
  });

  it('answers unclassified for names it cannot find', () => {
    expect(resolveUnitFile(treeOf({}), 'nothing.service')).toMatchObject({ kind: 'unclassified' });
  });
});

describe('isDerivationTestedOn', () => {
  it('accepts the systemd releases the derivation was checked against, whatever the distribution suffix', () => {
    expect(systemdMajorVersion('252.39-1~deb12u2')).toBe(252);
    expect(isDerivationTestedOn('252.39-1~deb12u2')).toBe(true);
    expect(isDerivationTestedOn('252')).toBe(true);
  });

  it('refuses other releases and managers that do not say', () => {
    expect(isDerivationTestedOn('255.4-1ubuntu8')).toBe(false);
    expect(isDerivationTestedOn('2520')).toBe(false);
    expect(isDerivationTestedOn('v252')).toBe(false);
    expect(isDerivationTestedOn(null)).toBe(false);
  });
});
