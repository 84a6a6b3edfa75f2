// Carries out and undoes network changes: networkd files written through the Machine root (checkpointed for
// undo), and network1's Reload, which makes networkd read them — again on undo, once the old files are back.
import { describeCause } from '../../dbus/errors.js';
import type { Change } from '../../engine/change.js';
import type { FileCheckpoint } from '../../engine/file-checkpoint.js';
import type { Machine } from '../../machine/machine.js';
import {
  applyFileChange,
  checkpointFileChanges,
  type FileSpec,
  undoFileChange,
} from '../shared/file-changes.js';
import type { ApplyContext } from '../types.js';
import { NETWORKD_BUS_NAME, NETWORKD_MANAGER_IFACE, NETWORKD_PATH } from './links.js';
import { NETWORKD_FILE_KIND } from './plan.js';
import { redactNetworkdFile } from './redact-networkd-file.js';

interface NetworkCheckpoint {
  files: FileCheckpoint;
}

/** The group networkd reads its keys as, from the machine's /etc/group; undefined when it has none. */
async function systemdNetworkGid(machine: Machine): Promise<number | undefined> {
  const groups = (await machine.files.readText('/etc/group')) ?? '';
  const line = groups.split('\n').find((entry) => entry.startsWith('systemd-network:'));
  const gid = Number(line?.split(':')[2]);
  return line && Number.isInteger(gid) ? gid : undefined;
}

/**
 * A new file holding a key (a hand-written WireGuard .netdev) is created 0640 root:systemd-network, as
 * networkd's documentation asks, never world-readable; replaced files keep their mode and owner.
 */
async function writeNetworkdFile(change: Change, machine: Machine): Promise<void> {
  const after = change.after as FileSpec | undefined;
  if (!after || !('content' in after) || redactNetworkdFile(after.content).reasons.length === 0)
    return applyFileChange(change, machine);
  if ((await machine.files.entry(change.target)).kind === 'file') return applyFileChange(change, machine);
  const gid = await systemdNetworkGid(machine);
  const owner = gid === undefined ? { mode: 0o600 } : { mode: 0o640, uid: 0, gid };
  return machine.files.writeFile(change.target, after.content, owner);
}

async function reloadNetworkd(machine: Machine, timeoutMs: number): Promise<void> {
  const bus = await machine.bus();
  try {
    await bus.call(NETWORKD_BUS_NAME, NETWORKD_PATH, NETWORKD_MANAGER_IFACE, 'Reload', { timeoutMs });
  } catch (error) {
    throw new Error(`cannot reload systemd-networkd: ${describeCause(error)}`, { cause: error });
  }
}

export async function checkpointNetwork(
  changes: readonly Change[],
  machine: Machine,
): Promise<NetworkCheckpoint> {
  return {
    files: await checkpointFileChanges(
      changes.filter((change) => change.kind === NETWORKD_FILE_KIND),
      machine,
    ),
  };
}

export async function applyNetworkChange(
  change: Change,
  machine: Machine,
  context: ApplyContext,
): Promise<void> {
  if (change.kind === NETWORKD_FILE_KIND) return writeNetworkdFile(change, machine);
  if (change.kind === 'reload') return reloadNetworkd(machine, context.changeTimeoutMs);
  throw new Error(`network cannot apply a change of kind ${change.kind}`);
}

export async function undoNetworkChange(
  change: Change,
  checkpoint: unknown,
  machine: Machine,
  context: ApplyContext,
): Promise<void> {
  if (change.kind === NETWORKD_FILE_KIND)
    return undoFileChange(change, (checkpoint as NetworkCheckpoint).files, machine);
  // Undone after every file is back: networkd then reapplies the old configuration.
  if (change.kind === 'reload') return reloadNetworkd(machine, context.changeTimeoutMs);
  throw new Error(`network cannot undo a change of kind ${change.kind}`);
}
