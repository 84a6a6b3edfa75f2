// A local apt repository inside a testbed target, for package installs without a network: tiny .deb
// packages built on the host with dpkg-deb, a Packages index written here (so the host needs no dpkg-dev),
// placed at /srv/op-dbus-test-repo and named by a `[trusted=yes]` file: source. apt reads that one source
// at once, as an admin runs `apt update` after adding a repository: PackageKit refuses RefreshCache while
// the target has no default route ("Cannot refresh cache whilst offline"), and the testbed has none.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { containerRoot, execInTarget, type TestbedTarget } from '../testbed-env.js';

const run = promisify(execFile);

export const REPO_DIR = '/srv/op-dbus-test-repo';
export const SOURCE_LIST = '/etc/apt/sources.list.d/op-dbus-test.list';
/** apt names its copy of a file: index after the path, `/` turned into `_`. */
const APT_LISTS = '/var/lib/apt/lists';
const EXTENDED_STATES = '/var/lib/apt/extended_states';

export interface TestDeb {
  name: string;
  version: string;
  description: string;
  depends?: string[];
}

export interface LocalAptRepo {
  packages: readonly TestDeb[];
  /**
   * Deletes the repository, its source and what apt made for it (its index copy, lock and auxfiles in the
   * lists directory; an extended_states left empty), leaving apt as it was before.
   */
  remove(): Promise<void>;
}

function controlFields(deb: TestDeb): string[] {
  return [
    `Package: ${deb.name}`,
    `Version: ${deb.version}`,
    'Architecture: all',
    'Maintainer: op-dbus tests <op-dbus@localhost>',
    ...(deb.depends?.length ? [`Depends: ${deb.depends.join(', ')}`] : []),
    `Description: ${deb.description}`,
  ];
}

/** Builds `deb` in `workDir` and returns its Packages stanza. */
async function buildDeb(workDir: string, deb: TestDeb): Promise<{ file: string; stanza: string }> {
  const tree = join(workDir, deb.name);
  await mkdir(join(tree, 'DEBIAN'), { recursive: true });
  await mkdir(join(tree, 'usr/share/doc', deb.name), { recursive: true });
  await writeFile(join(tree, 'DEBIAN/control'), `${controlFields(deb).join('\n')}\n`);
  await writeFile(join(tree, 'usr/share/doc', deb.name, 'README'), `${deb.description}\n`);
  const file = `${deb.name}_${deb.version}_all.deb`;
  await run('dpkg-deb', ['--build', '--root-owner-group', tree, join(workDir, file)]);
  const bytes = await readFile(join(workDir, file));
  const digest = (algorithm: string) => createHash(algorithm).update(bytes).digest('hex');
  const stanza = [
    ...controlFields(deb),
    `Filename: ./${file}`,
    `Size: ${(await stat(join(workDir, file))).size}`,
    `MD5sum: ${digest('md5')}`,
    `SHA256: ${digest('sha256')}`,
  ].join('\n');
  return { file, stanza };
}

/** Puts a repository holding `debs` into the target and has apt read its index. */
export async function createLocalAptRepo(
  target: TestbedTarget,
  debs: readonly TestDeb[],
): Promise<LocalAptRepo> {
  const root = containerRoot(target);
  const listsBefore = new Set(await readdir(join(root, APT_LISTS)));
  const hadExtendedStates = existsSync(join(root, EXTENDED_STATES));
  const workDir = await mkdtemp(join(tmpdir(), 'op-dbus-apt-repo-'));
  const remove = async () => {
    await rm(join(root, REPO_DIR), { recursive: true, force: true });
    await rm(join(root, SOURCE_LIST), { force: true });
    for (const name of await readdir(join(root, APT_LISTS)))
      if (!listsBefore.has(name)) await rm(join(root, APT_LISTS, name), { recursive: true, force: true });
    const extendedStates = join(root, EXTENDED_STATES);
    // A non-empty one means packages were left installed: kept, so the test that left them shows it.
    if (!hadExtendedStates && existsSync(extendedStates) && (await stat(extendedStates)).size === 0)
      await rm(extendedStates);
  };
  try {
    const built = [];
    for (const deb of debs) built.push(await buildDeb(workDir, deb));
    await mkdir(join(root, REPO_DIR), { recursive: true });
    for (const { file } of built)
      await writeFile(join(root, REPO_DIR, file), await readFile(join(workDir, file)));
    await writeFile(join(root, REPO_DIR, 'Packages'), `${built.map((deb) => deb.stanza).join('\n\n')}\n`);
    await writeFile(join(root, SOURCE_LIST), `deb [trusted=yes] file:${REPO_DIR} ./\n`);
    await execInTarget(target, [
      'apt-get',
      'update',
      '-qq',
      `-oDir::Etc::SourceList=${SOURCE_LIST}`,
      '-oDir::Etc::SourceParts=/dev/null',
      '-oAPT::Get::List-Cleanup=false',
    ]);
  } catch (error) {
    await remove();
    throw error;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
  return { packages: debs, remove };
}
