// Plans, applies and undoes changes to whole files a plugin manages (unit files, networkd files, sysctl.d …):
// one shape for every plugin, so redaction, symlinks and undo behave the same everywhere.
import { posix } from 'node:path';
import { type Change, changeId, type PluginPlan, type Risk, type Unresolved } from '../../engine/change.js';
import { checkpointFiles, type FileCheckpoint, restoreFile } from '../../engine/file-checkpoint.js';
import type { Machine } from '../../machine/machine.js';
import { REDACTED } from '../../state/redact.js';
import { compareStrings } from '../../util/order.js';

/** What a managed path should hold: text, or a symlink (a mask is a symlink to /dev/null). */
export type FileSpec = { content: string } | { symlink: string };

export const MASK_TARGET = '/dev/null';

export interface PlanFilesInput {
  plugin: string;
  /** Change kind, e.g. `unit-file`. */
  kind: string;
  current: ReadonlyMap<string, FileSpec>;
  desired: ReadonlyMap<string, FileSpec>;
  /** JSON path of a file's entry in the desired document (for unresolved items). */
  jsonPathOf(path: string): string;
  /** How risky changing `path` is; low unless said otherwise. */
  riskOf?(path: string, action: Change['action']): { risk: Risk; riskNote?: string };
}

function sameSpec(a: FileSpec, b: FileSpec): boolean {
  return 'content' in a && 'content' in b
    ? a.content === b.content
    : 'symlink' in a && 'symlink' in b && a.symlink === b.symlink;
}

function describeSpec(spec: FileSpec): string {
  if ('content' in spec) return `${Buffer.byteLength(spec.content)} bytes`;
  return spec.symlink === MASK_TARGET ? 'a mask (symlink to /dev/null)' : `a symlink to ${spec.symlink}`;
}

/** Changes that make every managed path hold what `desired` says, and remove managed paths it lacks. */
export function planFileChanges(input: PlanFilesInput): PluginPlan {
  const changes: Change[] = [];
  const unresolved: Unresolved[] = [];
  const paths = [...new Set([...input.current.keys(), ...input.desired.keys()])].sort(compareStrings);
  for (const path of paths) {
    const before = input.current.get(path);
    const after = input.desired.get(path);
    if (before && after && sameSpec(before, after)) continue;
    if (after && 'content' in after && after.content.includes(REDACTED)) {
      unresolved.push({
        plugin: input.plugin,
        path: input.jsonPathOf(path),
        description: `${path} differs, and its desired content has secrets that were redacted at capture: op-dbus will not write ${REDACTED} into it (put the file in place yourself, then plan again)`,
        blocking: true,
      });
      continue;
    }
    const action: Change['action'] = !before ? 'create' : !after ? 'delete' : 'update';
    const { risk, riskNote } = input.riskOf?.(path, action) ?? { risk: 'low' as const };
    changes.push({
      id: changeId(input.plugin, input.kind, path),
      plugin: input.plugin,
      kind: input.kind,
      action,
      target: path,
      phase: 'files',
      description:
        action === 'delete'
          ? `remove ${path}`
          : `${action === 'create' ? 'create' : 'replace'} ${path} with ${describeSpec(after as FileSpec)}`,
      reason:
        action === 'create'
          ? 'the desired state has this file and the machine does not'
          : action === 'delete'
            ? 'the machine has this file and the desired state does not'
            : `the machine has ${describeSpec(before as FileSpec)} that differ from the desired file`,
      risk,
      ...(riskNote ? { riskNote } : {}),
      ...(before ? { before } : {}),
      ...(after ? { after } : {}),
    });
  }
  return { changes, unresolved };
}

/** The checkpoint of every path the file changes touch. */
export function checkpointFileChanges(changes: readonly Change[], machine: Machine): Promise<FileCheckpoint> {
  return checkpointFiles(
    machine,
    changes.map((change) => change.target),
  );
}

export async function applyFileChange(change: Change, machine: Machine): Promise<void> {
  const after = change.after as FileSpec | undefined;
  if (!after) {
    await machine.files.removeFile(change.target);
    // A unit's or link's drop-in directory (`foo.service.d` inside /etc/systemd/system) goes with its last
    // drop-in; top-level directories such as /etc/sysctl.d sit directly in /etc and always stay.
    const directory = posix.dirname(change.target);
    if (directory.endsWith('.d') && posix.dirname(directory) !== '/etc')
      await machine.files.removeEmptyDirectory(directory);
    return;
  }
  if ('symlink' in after) return machine.files.writeSymlink(change.target, after.symlink);
  // A replaced file keeps its permissions and owner (networkd files with keys are 0640 root:systemd-network).
  const existing = await machine.files.entry(change.target);
  const keep = existing.kind === 'file' ? { mode: existing.mode, uid: existing.uid, gid: existing.gid } : {};
  return machine.files.writeFile(change.target, after.content, { mode: 0o644, ...keep });
}

export function undoFileChange(change: Change, checkpoint: unknown, machine: Machine): Promise<void> {
  return restoreFile(machine, checkpoint as FileCheckpoint, change.target);
}
