// Pure planning for systemd: admin unit files and drop-ins, then enablement and masks, one daemon-reload,
// then the run state of units an admin starts or stops — and restarts of running units whose files changed.
import { type Change, changeId, type PluginPlan, type Unresolved } from '../../engine/change.js';
import { toDisplayPath } from '../../state/json-path.js';
import { compareStrings } from '../../util/order.js';
import { type FileSpec, planFileChanges } from '../shared/file-changes.js';
import type { CurrentSection } from '../types.js';
import { ADMIN_UNIT_DIR } from './admin-files.js';
import { criticalUnitNote } from './critical-units.js';
import type { AdminFile, SystemdConfig, SystemdFacts } from './schema.js';
import type { UnitFileState } from './unit-file-state.js';

const PLUGIN = 'systemd';

/** Unit-file states an admin sets with enable, disable or mask; the others come with the unit file itself. */
export const SETTABLE_UNIT_FILE_STATES: ReadonlySet<UnitFileState> = new Set([
  'enabled',
  'enabled-runtime',
  'disabled',
  'masked',
  'masked-runtime',
]);
const MASKED: ReadonlySet<string> = new Set(['masked', 'masked-runtime']);
const RUNNING: ReadonlySet<string> = new Set(['active', 'activating', 'reloading', 'refreshing']);

const configPath = (...keys: string[]) => toDisplayPath(['sections', PLUGIN, 'config', ...keys]);

function fileSpecs(files: SystemdConfig['files']): Map<string, FileSpec> {
  return new Map(
    Object.entries(files).map(([path, file]: [string, AdminFile]) => [
      path,
      'content' in file ? { content: file.content } : { symlink: file.linkTo },
    ]),
  );
}

/**
 * The unit an admin file configures: `foo.service` for the unit file and for `foo.service.d/*.conf`;
 * undefined for type-wide (`service.d`) and prefix (`foo-.service.d`) drop-ins, which touch many units.
 */
export function unitOfAdminFile(path: string): string | undefined {
  const relative = path.slice(ADMIN_UNIT_DIR.length + 1);
  const [first, second] = relative.split('/');
  if (second === undefined) return first;
  const unit = first?.slice(0, -'.d'.length);
  if (!unit?.includes('.') || /-\.[a-z]+$/.test(unit)) return undefined;
  return unit;
}

function missingUnit(unit: string, wanted: string): Unresolved {
  return {
    plugin: PLUGIN,
    path: configPath('unitFiles', unit),
    description: `${unit} (${wanted} in the desired state) has no unit file here; it comes with a package or an admin file`,
    expected: wanted,
    blocking: false,
  };
}

function currentRunState(unit: string, current: CurrentSection<SystemdConfig, SystemdFacts>): string {
  return (
    current.config.activeState[unit] ??
    (RUNNING.has(current.facts.units[unit]?.active ?? '') ? 'active' : 'inactive')
  );
}

function enablementChange(unit: string, before: string | undefined, after: string, phase: Change['phase']) {
  const verb = MASKED.has(after)
    ? 'mask'
    : after.startsWith('enabled')
      ? 'enable'
      : after === 'disabled'
        ? 'disable'
        : 'unmask';
  return {
    id: changeId(PLUGIN, phase === 'retire' ? 'retire-enablement' : 'enablement', unit),
    plugin: PLUGIN,
    kind: 'enablement',
    action: 'update',
    target: unit,
    phase,
    description: `${verb} ${unit}${after.endsWith('-runtime') ? ' until the next boot' : ''}`,
    reason:
      phase === 'retire'
        ? `its unit file is removed, and it is ${before}`
        : `it is ${before ?? 'not installed yet'} here and ${after} in the desired state`,
    risk: 'low',
    ...(before ? { before } : {}),
    after,
  } satisfies Change;
}

function runStateChange(
  unit: string,
  kind: 'start' | 'stop' | 'restart',
  reason: string,
  phase: Change['phase'],
): Change {
  const note = kind === 'start' ? undefined : criticalUnitNote(unit);
  return {
    id: changeId(PLUGIN, phase === 'retire' ? 'retire-run-state' : 'run-state', unit),
    plugin: PLUGIN,
    kind: 'run-state',
    action: 'update',
    target: unit,
    phase,
    description: `${kind} ${unit}`,
    reason,
    risk: note ? 'high' : kind === 'start' ? 'low' : 'medium',
    ...(note ? { riskNote: note } : {}),
    before: kind === 'start' ? 'inactive' : 'active',
    after: kind === 'stop' ? 'inactive' : 'active',
    undoLast: true,
  };
}

export function planSystemdChanges(
  current: CurrentSection<SystemdConfig, SystemdFacts>,
  desired: SystemdConfig,
): PluginPlan {
  const files = planFileChanges({
    plugin: PLUGIN,
    kind: 'unit-file',
    current: fileSpecs(current.config.files),
    desired: fileSpecs(desired.files),
    jsonPathOf: (path) => configPath('files', path),
    riskOf: (path) => {
      const unit = unitOfAdminFile(path);
      const note = unit && criticalUnitNote(unit);
      return note
        ? { risk: 'high', riskNote: `${note}; a change to its unit file takes effect on restart` }
        : { risk: 'low' };
    },
  });
  const changes: Change[] = [...files.changes];
  const unresolved: Unresolved[] = [...files.unresolved];
  const changedUnits = new Set(files.changes.map((change) => unitOfAdminFile(change.target)));
  const currentStates = current.config.unitFiles as Record<string, string>;
  const desiredStates = desired.unitFiles as Record<string, string>;

  // Units whose unit file leaves with this plan and that nothing desires: stop and disable them first.
  for (const change of files.changes) {
    const unit = unitOfAdminFile(change.target);
    if (change.action !== 'delete' || !unit || unit in desiredStates || change.target.includes('.d/'))
      continue;
    const state = currentStates[unit];
    if (currentRunState(unit, current) === 'active')
      changes.push(runStateChange(unit, 'stop', 'its unit file is removed and it is running', 'retire'));
    if (state && state !== 'disabled' && SETTABLE_UNIT_FILE_STATES.has(state as UnitFileState))
      changes.push(enablementChange(unit, state, 'disabled', 'retire'));
  }

  if (desired.defaultTarget !== current.config.defaultTarget) {
    if (desired.defaultTarget === null) {
      unresolved.push({
        plugin: PLUGIN,
        path: configPath('defaultTarget'),
        description: 'the desired state has no default target; op-dbus leaves the one this machine has',
        expected: null,
        actual: current.config.defaultTarget,
        blocking: false,
      });
    } else {
      changes.push({
        id: changeId(PLUGIN, 'default-target', 'default.target'),
        plugin: PLUGIN,
        kind: 'default-target',
        action: 'update',
        target: 'default.target',
        phase: 'settings',
        description: `boot into ${desired.defaultTarget}`,
        reason: `the default target is ${current.config.defaultTarget ?? 'unset'} here`,
        risk: 'medium',
        riskNote: 'decides what the machine starts at the next boot',
        ...(current.config.defaultTarget ? { before: current.config.defaultTarget } : {}),
        after: desired.defaultTarget,
      });
    }
  }

  const units = [...new Set([...Object.keys(currentStates), ...Object.keys(desiredStates)])].sort(
    compareStrings,
  );
  for (const unit of units) {
    const before = currentStates[unit];
    const after = desiredStates[unit];
    // Transient units (login sessions, systemd-run) exist only while they run: never configuration.
    if (before === after || before === 'transient' || after === 'transient') continue;
    if (after === undefined) {
      if (changedUnits.has(unit)) continue; // its admin file is removed: retired above
      unresolved.push({
        plugin: PLUGIN,
        path: configPath('unitFiles', unit),
        description: `${unit} (${before}) is only on this machine; op-dbus does not remove vendor units (its package does)`,
        actual: before,
        blocking: false,
      });
    } else if (SETTABLE_UNIT_FILE_STATES.has(after as UnitFileState) || (before && MASKED.has(before))) {
      // A missing unit that should be disabled needs no enable call: its unit file arrives with this plan or not at all.
      if (before === undefined && !after.startsWith('enabled') && !MASKED.has(after)) {
        if (!changedUnits.has(unit)) unresolved.push(missingUnit(unit, after));
        continue;
      }
      changes.push(enablementChange(unit, before, after, 'enablement'));
    } else if (before === undefined && !changedUnits.has(unit)) {
      unresolved.push(missingUnit(unit, after));
    } else if (before !== undefined) {
      unresolved.push({
        plugin: PLUGIN,
        path: configPath('unitFiles', unit),
        description: `${unit} is ${before} here and ${after} in the desired state; that state comes with the unit file (its package), not with enable or disable`,
        expected: after,
        actual: before,
        blocking: false,
      });
    }
  }

  for (const [unit, wanted] of Object.entries(desired.activeState).sort(([a], [b]) => compareStrings(a, b))) {
    if (MASKED.has(desiredStates[unit] ?? '')) continue;
    const now = currentRunState(unit, current);
    if (now !== wanted) {
      changes.push(
        runStateChange(
          unit,
          wanted === 'active' ? 'start' : 'stop',
          `it is ${now} here and ${wanted} in the desired state`,
          'runtime',
        ),
      );
    } else if (wanted === 'active' && changedUnits.has(unit)) {
      changes.push(
        runStateChange(unit, 'restart', 'it is running and its unit file or drop-in changes', 'runtime'),
      );
    }
  }

  if (changes.some((change) => change.kind === 'unit-file' || change.kind === 'enablement')) {
    changes.push({
      id: changeId(PLUGIN, 'daemon-reload', 'manager'),
      plugin: PLUGIN,
      kind: 'daemon-reload',
      action: 'update',
      target: 'manager',
      phase: 'reload',
      description: 'reload the service manager (systemctl daemon-reload)',
      reason: 'unit files or enablement links changed',
      risk: 'low',
      undoLast: true,
    });
  }
  if (changes.length > 0 && current.facts.source === 'files') {
    unresolved.push({
      plugin: PLUGIN,
      path: toDisplayPath(['sections', PLUGIN]),
      description: `the service manager could not be asked (${current.facts.busUnavailableReason ?? 'no bus'}); op-dbus changes units only through it`,
      blocking: true,
    });
  }
  return { changes, unresolved };
}
