import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RootFs } from '../../machine/root-fs.js';
import { readAdminUnitFiles } from './admin-files.js';
import { DEFAULT_SYSTEM_UNIT_PATH } from './unit-file-state.js';

const ETC = '/etc/systemd/system';
let root: string;

async function put(path: string, text: string): Promise<void> {
  await mkdir(dirname(join(root, path)), { recursive: true });
  await writeFile(join(root, path), text);
}

async function link(path: string, target: string): Promise<void> {
  await mkdir(dirname(join(root, path)), { recursive: true });
  await symlink(target, join(root, path));
}

/** A root where some files fail to read, as a 0600 file does for a reader that is not root. */
class RootWithUnreadable extends RootFs {
  constructor(
    root: string,
    private readonly unreadable: ReadonlySet<string>,
  ) {
    super(root);
  }

  override async readText(path: string): Promise<string | undefined> {
    if (this.unreadable.has(path)) throw new Error(`cannot read ${path}: EACCES: permission denied`);
    return super.readText(path);
  }
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'op-dbus-admin-files-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('readAdminUnitFiles', () => {
  it('copies unit files and drop-ins, and only lists everything else kept there', async () => {
    await put(`${ETC}/app.service`, '[Service]\nEnvironment=API_TOKEN=s3cret\nExecStart=/usr/bin/app\n');
    await put(`${ETC}/app.service.d/override.conf`, '[Service]\nNice=5\n');
    await put(`${ETC}/app.service.d/README`, 'notes\n');
    await put(`${ETC}/service.d/10-all.conf`, '[Service]\nRestart=on-failure\n');
    await put(`${ETC}/myapp.env`, 'DB_URL=postgres://u:p@db/app\n');
    await put(`${ETC}/app.service~`, 'backup\n');
    await put(`${ETC}/.hidden.service`, 'hidden\n');
    await put(`${ETC}/myapp.d/secrets.conf`, 'KEY=1\n');
    await put(`${ETC}/multi-user.target.wants/stray-file`, 'x\n');
    await link(`${ETC}/multi-user.target.wants/app.service`, `${ETC}/app.service`);
    await link(`${ETC}/linked.service`, '/opt/app/linked.service');
    await link(`${ETC}/masked.service`, '/dev/null');
    await link(`${ETC}/alias.service`, 'app.service');
    await link(`${ETC}/env-link`, '/opt/app/app.env');
    await put(`${ETC}/random/deep/file.conf`, 'x\n');

    const found = await readAdminUnitFiles(new RootFs(root), DEFAULT_SYSTEM_UNIT_PATH);
    expect(Object.fromEntries(found.files)).toEqual({
      [`${ETC}/app.service`]: {
        content: '[Service]\nEnvironment=API_TOKEN=[REDACTED]\nExecStart=/usr/bin/app\n',
      },
      [`${ETC}/app.service.d/override.conf`]: { content: '[Service]\nNice=5\n' },
      [`${ETC}/service.d/10-all.conf`]: { content: '[Service]\nRestart=on-failure\n' },
      [`${ETC}/linked.service`]: { linkTo: '/opt/app/linked.service' },
    });
    expect(Object.fromEntries(found.ignored)).toEqual({
      [`${ETC}/.hidden.service`]: expect.any(String),
      [`${ETC}/app.service.d/README`]: expect.any(String),
      [`${ETC}/app.service~`]: expect.any(String),
      [`${ETC}/env-link`]: expect.any(String),
      [`${ETC}/multi-user.target.wants/stray-file`]: expect.any(String),
      [`${ETC}/myapp.d`]: expect.any(String),
      [`${ETC}/myapp.env`]: expect.any(String),
      [`${ETC}/random`]: expect.any(String),
    });
    expect(found.ignored.get(`${ETC}/myapp.env`)).toMatch(/not a unit file/);
    expect(JSON.stringify(found)).not.toContain('postgres://');
    expect(found.redactions).toEqual([
      { path: ['config', 'files', `${ETC}/app.service`], reason: 'secret-named setting API_TOKEN' },
    ]);
    expect(found.problems).toEqual([]);
  });

  it('reports a file it cannot read and still reads the others', async () => {
    await put(`${ETC}/app.service`, '[Service]\nExecStart=/usr/bin/app\n');
    await put(`${ETC}/secret.service`, '[Service]\nExecStart=/usr/bin/secret\n');
    await put(`${ETC}/app.service.d/private.conf`, '[Service]\nNice=5\n');
    const unreadable = new Set([`${ETC}/secret.service`, `${ETC}/app.service.d/private.conf`]);

    const found = await readAdminUnitFiles(
      new RootWithUnreadable(root, unreadable),
      DEFAULT_SYSTEM_UNIT_PATH,
    );
    expect([...found.files.keys()]).toEqual([`${ETC}/app.service`]);
    expect(found.problems.map((problem) => problem.path).sort()).toEqual([...unreadable].sort());
    expect(found.problems[0]).toMatchObject({
      line: null,
      text: null,
      reason: expect.stringMatching(/EACCES/),
    });
  });

  it('finds nothing, and no problem, when the directory does not exist', async () => {
    const found = await readAdminUnitFiles(new RootFs(root), DEFAULT_SYSTEM_UNIT_PATH);
    expect(found.files.size + found.ignored.size + found.problems.length).toBe(0);
  });
});
