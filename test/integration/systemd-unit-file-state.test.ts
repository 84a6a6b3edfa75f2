// Proves that the unit-file states the systemd plugin derives from the unit directories are the manager's
// own answer (Manager.ListUnitFiles) on a real systemd: on the target as booted, and after planting one
// unit file of every state (and a few systemd calls "bad"), which the plugin then leaves to ListUnitFiles.
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Machine } from '../../src/machine/machine.js';
import { systemdPlugin } from '../../src/plugins/systemd/index.js';
import {
  getManagerProperties,
  listLoadedUnits,
  listUnitFileStates,
} from '../../src/plugins/systemd/manager.js';
import { assignedValues, parseUnitFile } from '../../src/plugins/systemd/parse-unit-file.js';
import { readUnitTree } from '../../src/plugins/systemd/read-unit-tree.js';
import { deriveUnitFileStates } from '../../src/plugins/systemd/unit-file-state.js';
import { containerRoot, execInTarget, machineFor, type TestbedTarget, target } from './testbed-env.js';

const ETC = '/etc/systemd/system';
const RUN = '/run/systemd/system';
const LOCAL = '/usr/local/lib/systemd/system';
const OPT = '/opt/opdbus-test';
const SECRET = 'opdbus-unit-file-secret-41c7';
const ENV_SECRET = 'opdbus-env-file-secret-93d1';
const STATIC = '[Unit]\nDescription=op-dbus test\n[Service]\nExecStart=/bin/true\n';
const WANTED = `${STATIC}[Install]\nWantedBy=multi-user.target\n`;
const TEMPLATE = `${STATIC}[Install]\nWantedBy=multi-user.target\nDefaultInstance=a\n`;

type Plant = string | { link: string };

/** One unit file (or link) per state systemd knows, keyed by path in the target. */
const SCENARIO: Record<string, Plant> = {
  [`${ETC}/opdbus-t-static.service`]: STATIC,
  [`${ETC}/opdbus-t-disabled.service`]: `${WANTED}Environment=API_TOKEN=${SECRET}\n`,
  [`${ETC}/opdbus-t-enabled.service`]: WANTED,
  [`${ETC}/multi-user.target.wants/opdbus-t-enabled.service`]: { link: `${ETC}/opdbus-t-enabled.service` },
  [`${ETC}/opdbus-t-required.service`]: WANTED,
  [`${ETC}/multi-user.target.requires/opdbus-t-required.service`]: {
    link: `${ETC}/opdbus-t-required.service`,
  },
  [`${ETC}/opdbus-t-runtime.service`]: WANTED,
  [`${RUN}/multi-user.target.wants/opdbus-t-runtime.service`]: { link: `${ETC}/opdbus-t-runtime.service` },
  [`${ETC}/opdbus-t-masked.service`]: { link: '/dev/null' },
  [`${LOCAL}/opdbus-t-runmask.service`]: WANTED,
  [`${RUN}/opdbus-t-runmask.service`]: { link: '/dev/null' },
  [`${ETC}/opdbus-t-empty.service`]: '',
  [`${OPT}/opdbus-t-linked.service`]: WANTED,
  [`${ETC}/opdbus-t-linked.service`]: { link: `${OPT}/opdbus-t-linked.service` },
  [`${OPT}/opdbus-t-rlinked.service`]: WANTED,
  [`${RUN}/opdbus-t-rlinked.service`]: { link: `${OPT}/opdbus-t-rlinked.service` },
  [`${OPT}/opdbus-t-linked-on.service`]: WANTED,
  [`${ETC}/opdbus-t-linked-on.service`]: { link: `${OPT}/opdbus-t-linked-on.service` },
  [`${ETC}/multi-user.target.wants/opdbus-t-linked-on.service`]: {
    link: `${OPT}/opdbus-t-linked-on.service`,
  },
  [`${OPT}/opdbus-t-other-name.service`]: WANTED,
  [`${ETC}/opdbus-t-renamed.service`]: { link: `${OPT}/opdbus-t-other-name.service` },
  [`${ETC}/opdbus-t-aliased.service`]: `${STATIC}[Install]\nAlias=opdbus-t-alias.service\n`,
  [`${ETC}/opdbus-t-alias.service`]: { link: 'opdbus-t-aliased.service' },
  [`${LOCAL}/opdbus-t-aliasee.service`]: WANTED,
  [`${ETC}/opdbus-t-manual-alias.service`]: { link: `${LOCAL}/opdbus-t-aliasee.service` },
  [`${ETC}/opdbus-t-also.socket`]:
    '[Socket]\nListenStream=/run/opdbus-t.sock\n[Install]\nAlso=opdbus-t-static.service\n',
  [`${ETC}/opdbus-t-tmpl@.service`]: TEMPLATE,
  [`${ETC}/multi-user.target.wants/opdbus-t-tmpl@a.service`]: { link: `${ETC}/opdbus-t-tmpl@.service` },
  [`${ETC}/opdbus-t-other@.service`]: TEMPLATE,
  [`${ETC}/multi-user.target.wants/opdbus-t-other@b.service`]: { link: `${ETC}/opdbus-t-other@.service` },
  [`${LOCAL}/opdbus-t-vendor@.service`]: STATIC,
  [`${LOCAL}/opdbus-t-vendor@x.service`]: { link: 'opdbus-t-vendor@.service' },
  [`${LOCAL}/multi-user.target.wants/opdbus-t-vendor@x.service`]: { link: '../opdbus-t-vendor@x.service' },
  [`${ETC}/opdbus-t-inst@y.service`]: { link: `${LOCAL}/opdbus-t-vendor@.service` },
  [`${LOCAL}/opdbus-t-dropin.service`]: STATIC,
  [`${ETC}/opdbus-t-dropin.service.d/install.conf`]: '[Install]\nWantedBy=multi-user.target\n',
  [`${LOCAL}/opdbus-t-reset.service`]: WANTED,
  [`${ETC}/opdbus-t-reset.service.d/reset.conf`]: '# no longer wanted\n[Install]\nWantedBy=\n',
  [`${ETC}/opdbus-t-cont.service`]: `${STATIC}[Install]\nWantedBy=multi-user.target \\\n# between\n  graphical.target\n`,
  [`${ETC}/opdbus-t-differs.service`]: WANTED,
  [`${ETC}/multi-user.target.wants/opdbus-t-elsewhere.service`]: { link: `${ETC}/opdbus-t-differs.service` },
  [`${RUN}/opdbus-t-run.service`]: WANTED,
  '/run/systemd/generator/opdbus-t-gen.service': STATIC,
  // systemd 252 calls these bad, or its answer depends on its version: the derivation must leave them to it.
  [`${LOCAL}/opdbus-t-self.service`]: WANTED,
  [`${ETC}/opdbus-t-self.service`]: { link: `${LOCAL}/opdbus-t-self.service` },
  [`${ETC}/opdbus-t-dangling.service`]: { link: `${LOCAL}/opdbus-t-gone.service` },
  [`${ETC}/opdbus-t-broken.service`]: '[Unit\nDescription=broken\n',
  [`${ETC}/opdbus-t-upheld.service`]: `${STATIC}[Install]\nUpheldBy=multi-user.target\n`,
  [`${ETC}/opdbus-t-held.service`]: WANTED,
  // Not a unit file: an env file kept next to the units, which must never be copied.
  [`${ETC}/opdbus-t-app.env`]: `APP_MODE=${ENV_SECRET}\n`,
  [`${ETC}/multi-user.target.upholds/opdbus-t-held.service`]: { link: `${ETC}/opdbus-t-held.service` },
};

const LEFT_TO_SYSTEMD = [
  'opdbus-t-broken.service',
  'opdbus-t-dangling.service',
  'opdbus-t-held.service',
  'opdbus-t-self.service',
  'opdbus-t-upheld.service',
];

/** Directories the scenario may create; removed afterwards unless they were there before. */
const SCENARIO_DIRS = [
  '/usr/local/lib/systemd',
  LOCAL,
  OPT,
  `${ETC}/multi-user.target.requires`,
  `${ETC}/multi-user.target.upholds`,
  `${RUN}/multi-user.target.wants`,
  `${LOCAL}/multi-user.target.wants`,
  `${ETC}/opdbus-t-dropin.service.d`,
  `${ETC}/opdbus-t-reset.service.d`,
];

function plant(root: string): () => void {
  const createdDirs = SCENARIO_DIRS.filter((dir) => !existsSync(join(root, dir)));
  for (const [path, what] of Object.entries(SCENARIO)) {
    const hostPath = join(root, path);
    mkdirSync(dirname(hostPath), { recursive: true });
    if (typeof what === 'string') writeFileSync(hostPath, what);
    else symlinkSync(what.link, hostPath);
  }
  return () => {
    for (const path of Object.keys(SCENARIO)) rmSync(join(root, path), { force: true });
    for (const dir of createdDirs.reverse()) rmSync(join(root, dir), { recursive: true, force: true });
  };
}

async function bothAnswers(machine: Machine) {
  const bus = await machine.bus();
  const { unitPath } = await getManagerProperties(bus);
  const [tree, listed] = await Promise.all([readUnitTree(machine.files, unitPath), listUnitFileStates(bus)]);
  return { derived: deriveUnitFileStates(tree), listed: Object.fromEntries(listed.states) };
}

describe('unit-file states derived from the unit directories, on a real systemd', () => {
  let t: TestbedTarget;
  let root: string;
  let machine: Machine;

  beforeAll(() => {
    t = target(1);
    root = containerRoot(t);
    machine = machineFor(t, root);
  });
  afterAll(() => machine.close());

  it('equal ListUnitFiles for every unit file of the target as booted', async () => {
    const { derived, listed } = await bothAnswers(machine);
    expect(Object.fromEntries(derived.unclassified)).toEqual({});
    expect(Object.fromEntries(derived.states)).toEqual(listed);
  });

  it('let the plugin report the same states and default target as systemctl, without asking ListUnitFiles', async () => {
    const found = await systemdPlugin.discover(machine, { managedBusNames: new Map() });
    const { listed } = await bothAnswers(machine);
    expect(found.facts.unitFileStatesFrom).toBe('unit-directories');
    expect(found.config.unitFiles).toEqual(listed);
    expect(found.config.defaultTarget).toBe((await execInTarget(t, ['systemctl', 'get-default'])).trim());
  });

  it("leave the states to ListUnitFiles when the root does not show the machine's /run", async () => {
    const onDisk = machineFor(t, t.root);
    try {
      const found = await systemdPlugin.discover(onDisk, { managedBusNames: new Map() });
      expect(found.facts.unitFileStatesFrom).toBe('ListUnitFiles');
      expect(found.facts.whyListUnitFiles).toContain('/run/systemd/system');
      expect(found.config.unitFiles).toEqual((await bothAnswers(machine)).listed);
    } finally {
      await onDisk.close();
    }
  });

  it('keep the run state of D-Bus-activated services out of config, in facts only', async () => {
    const bus = await machine.bus();
    // What the identity plugin does: hostnamed starts on demand.
    await bus.getAllProperties(
      'org.freedesktop.hostname1',
      '/org/freedesktop/hostname1',
      'org.freedesktop.hostname1',
    );
    const found = await systemdPlugin.discover(machine, { managedBusNames: new Map() });
    expect(found.facts.units['systemd-hostnamed.service']?.active).toBe('active');
    expect(found.config.unitFiles['systemd-hostnamed.service']).toBe('static');
    expect(found.config.activeState).not.toHaveProperty(['systemd-hostnamed.service']);
    expect(found.config.activeState['systemd-networkd.service']).toBe('active');
  });

  it('parse every vendor unit file of the target, reading the Description the manager shows', async () => {
    const units = await listLoadedUnits(await machine.bus());
    let compared = 0;
    for (const name of (await machine.files.readDir('/lib/systemd/system'))
      .filter((e) => e.kind === 'file')
      .map((e) => e.name)) {
      const parsed = parseUnitFile((await machine.files.readText(`/lib/systemd/system/${name}`)) ?? '');
      expect(
        parsed.problems.filter((problem) => problem.fatal),
        name,
      ).toEqual([]);
      const description = assignedValues(parsed, 'Unit', 'Description').at(-1);
      const loaded = units.find((unit) => unit.name === name);
      if (loaded?.load !== 'loaded' || !description || description.includes('%')) continue;
      if (await machine.files.exists(`/lib/systemd/system/${name}.d`)) continue;
      expect(loaded.description, name).toBe(description);
      compared++;
    }
    expect(compared).toBeGreaterThan(20);
  });

  describe('after planting a unit file of every state', () => {
    let unplant: () => void;
    const transient = 'opdbus-t-transient.service';

    beforeAll(async () => {
      unplant = plant(root);
      await execInTarget(t, ['systemd-run', `--unit=${transient}`, '--quiet', 'sleep', '600']);
    });
    afterAll(async () => {
      await execInTarget(t, ['systemctl', 'stop', transient]);
      unplant();
    });

    it('covers every state systemd reports', async () => {
      const { listed } = await bothAnswers(machine);
      const planted = Object.entries(listed).filter(([name]) => name.startsWith('opdbus-t-'));
      expect(new Set(planted.map(([, state]) => state))).toEqual(
        new Set([
          'enabled',
          'enabled-runtime',
          'linked',
          'linked-runtime',
          'alias',
          'masked',
          'masked-runtime',
          'static',
          'disabled',
          'indirect',
          'generated',
          'transient',
          'bad',
        ]),
      );
    });

    it('equal ListUnitFiles for every unit file, except those left to systemd', async () => {
      const { derived, listed } = await bothAnswers(machine);
      expect([...derived.unclassified.keys()].sort()).toEqual(LEFT_TO_SYSTEMD);
      const decided = Object.fromEntries(
        Object.entries(listed).filter(([name]) => !derived.unclassified.has(name)),
      );
      expect(Object.fromEntries(derived.states)).toEqual(decided);
    });

    it('make the plugin take ListUnitFiles as the authority and capture the admin files, secrets redacted', async () => {
      const found = await systemdPlugin.discover(machine, { managedBusNames: new Map() });
      const { listed } = await bothAnswers(machine);
      expect(found.facts.unitFileStatesFrom).toBe('ListUnitFiles');
      expect(Object.keys(found.facts.unclassifiedUnitFiles)).toEqual(LEFT_TO_SYSTEMD);
      expect(found.config.unitFiles).toEqual(listed);
      expect(found.config.files[`${ETC}/opdbus-t-linked.service`]).toEqual({
        linkTo: `${OPT}/opdbus-t-linked.service`,
      });
      expect(found.config.files[`${ETC}/opdbus-t-reset.service.d/reset.conf`]).toEqual({
        content: SCENARIO[`${ETC}/opdbus-t-reset.service.d/reset.conf`],
      });
      expect(found.config.files[`${ETC}/opdbus-t-masked.service`]).toBeUndefined();
      expect(found.config.files[`${ETC}/opdbus-t-alias.service`]).toBeUndefined();
      expect(JSON.stringify(found.config)).not.toContain(SECRET);
      expect(JSON.stringify(found)).not.toContain(ENV_SECRET);
      expect(found.facts.ignoredFiles[`${ETC}/opdbus-t-app.env`]).toMatch(/not a unit file/);
      expect(found.facts.problems).toEqual([]);
      expect(found.redactions).toContainEqual({
        path: ['config', 'files', `${ETC}/opdbus-t-disabled.service`],
        reason: 'secret-named setting API_TOKEN',
      });
    });
  });
});
