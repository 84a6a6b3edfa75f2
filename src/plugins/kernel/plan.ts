// Pure planning for the kernel: the admin files (sysctl.d, modules-load.d, modprobe.d and the legacy files),
// the configured command line, and the restarts of systemd-sysctl and systemd-modules-load that apply changed
// files to the running kernel. The merged values are never acted on: they must follow from the files.
import { type Change, changeId, PHASES, type PluginPlan, type Unresolved } from '../../engine/change.js';
import { canonicalJson } from '../../state/canonical.js';
import { type PathSegment, toDisplayPath } from '../../state/json-path.js';
import { compareStrings } from '../../util/order.js';
import { type FileSpec, MASK_TARGET, planFileChanges } from '../shared/file-changes.js';
import type { CurrentSection } from '../types.js';
import { type AdminFileFamily, adminFileSetOf } from './admin-paths.js';
import { mergeAdminFiles } from './merge-admin-files.js';
import { planCommandLine } from './plan-command-line.js';
import { redactMergedValues } from './redact-kernel.js';
import type { KernelAdminFile, KernelConfig, KernelFacts } from './schema.js';

const PLUGIN = 'kernel';
const configPath = (...keys: PathSegment[]) => toDisplayPath(['sections', PLUGIN, 'config', ...keys]);

const FILE_CHANGE_KINDS: Record<AdminFileFamily, string> = {
  sysctl: 'sysctl-file',
  'modules-load': 'modules-load-file',
  modprobe: 'modprobe-file',
};
export const RESTART_KIND = 'restart';

interface Restart {
  family: AdminFileFamily;
  unit: string;
  description: string;
  risk: Change['risk'];
  riskNote?: string;
}

// modprobe.d needs none: kmod reads it whenever a module is loaded next.
const RESTARTS: readonly Restart[] = [
  {
    family: 'sysctl',
    unit: 'systemd-sysctl.service',
    description: 'apply the sysctl settings to the running kernel (restart systemd-sysctl.service)',
    risk: 'medium',
    riskNote:
      'writes every sysctl.d setting to the running kernel at once (network, memory and security settings change now); a key only removed settings set keeps its live value until the next boot, on undo too',
  },
  {
    family: 'modules-load',
    unit: 'systemd-modules-load.service',
    description: 'load the modules listed for boot now (restart systemd-modules-load.service)',
    risk: 'low',
  },
];

function fileSpec(file: KernelAdminFile): FileSpec {
  if ('content' in file) return { content: file.content };
  return { symlink: 'masked' in file ? MASK_TARGET : file.linkTo };
}

function specsOf(files: KernelConfig['files'], family: AdminFileFamily): Map<string, FileSpec> {
  return new Map(
    Object.entries(files)
      .filter(([path]) => adminFileSetOf(path)?.family === family)
      .map(([path, file]) => [path, fileSpec(file)]),
  );
}

/** modprobe.d `install`/`remove` lines are commands run as root whenever the module is loaded or removed. */
function fileRisk(desired: KernelConfig, path: string): Pick<Change, 'risk' | 'riskNote'> {
  const file = desired.files[path];
  if (adminFileSetOf(path)?.family !== 'modprobe' || !file || !('content' in file)) return { risk: 'low' };
  if (!/^\s*(install|remove)\s/m.test(file.content)) return { risk: 'low' };
  return {
    risk: 'medium',
    riskNote: 'its install/remove lines run commands as root whenever the module is loaded or removed',
  };
}

function planFiles(current: KernelConfig, desired: KernelConfig): PluginPlan {
  const plan: PluginPlan = { changes: [], unresolved: [] };
  for (const family of Object.keys(FILE_CHANGE_KINDS) as AdminFileFamily[]) {
    const planned = planFileChanges({
      plugin: PLUGIN,
      kind: FILE_CHANGE_KINDS[family],
      current: specsOf(current.files, family),
      desired: specsOf(desired.files, family),
      jsonPathOf: (path) => configPath('files', path),
      riskOf: (path) => fileRisk(desired, path),
    });
    plan.changes.push(...planned.changes);
    plan.unresolved.push(...planned.unresolved);
  }
  for (const restart of RESTARTS) {
    const kind = FILE_CHANGE_KINDS[restart.family];
    const files = plan.changes.filter((change) => change.kind === kind);
    if (files.length === 0) continue;
    plan.changes.push({
      id: changeId(PLUGIN, RESTART_KIND, restart.unit),
      plugin: PLUGIN,
      kind: RESTART_KIND,
      action: 'update',
      target: restart.unit,
      phase: 'reload',
      description: restart.description,
      reason: `${files.map((change) => change.target).join(', ')} change${files.length === 1 ? 's' : ''}`,
      risk: restart.risk,
      ...(restart.riskNote ? { riskNote: restart.riskNote } : {}),
      dependsOn: files.map((change) => change.id),
      undoLast: true,
    });
  }
  return plan;
}

/**
 * The merged values the document states must be the ones its files give (both redacted as a capture is):
 * otherwise applying the files would leave the machine unlike the document, so the plan is refused.
 */
function mergedValuesUnresolved(desired: KernelConfig): Unresolved[] {
  const implied = redactMergedValues(mergeAdminFiles(desired.files));
  const stated = redactMergedValues(desired);
  const found: Unresolved[] = [];
  const compare = (path: PathSegment[], fromFiles: unknown, inDocument: unknown) => {
    if (canonicalJson(fromFiles ?? null) === canonicalJson(inDocument ?? null)) return;
    found.push({
      plugin: PLUGIN,
      path: configPath(...path),
      description:
        'this merged value does not follow from the admin files of the document (config.files); op-dbus writes only the files, so the machine would not match it: correct the files or the merged value',
      ...(fromFiles === undefined ? {} : { expected: fromFiles }),
      ...(inDocument === undefined ? {} : { actual: inDocument }),
      blocking: true,
    });
  };
  compare(['modulesLoad'], implied.modulesLoad, stated.modulesLoad);
  for (const field of Object.keys(implied.modprobe) as (keyof typeof implied.modprobe)[])
    compare(['modprobe', field], implied.modprobe[field], stated.modprobe[field]);
  const keys = new Set([...Object.keys(implied.sysctl), ...Object.keys(stated.sysctl)]);
  for (const key of [...keys].sort(compareStrings))
    compare(['sysctl', key], implied.sysctl[key], stated.sysctl[key]);
  return found;
}

function byPhaseThenId(a: Change, b: Change): number {
  return PHASES.indexOf(a.phase) - PHASES.indexOf(b.phase) || compareStrings(a.id, b.id);
}

export function planKernelChanges(
  current: CurrentSection<KernelConfig, KernelFacts>,
  desired: KernelConfig,
): PluginPlan {
  const files = planFiles(current.config, desired);
  const commandLine = planCommandLine(current, desired);
  return {
    changes: [...files.changes, ...commandLine.changes].sort(byPhaseThenId),
    unresolved: [...mergedValuesUnresolved(desired), ...files.unresolved, ...commandLine.unresolved].sort(
      (a, b) => compareStrings(a.path, b.path),
    ),
  };
}
