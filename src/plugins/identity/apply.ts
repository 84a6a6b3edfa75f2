// Carries out and undoes identity changes through hostname1, timedate1 and locale1. Undo sets the previous
// value through the same setter, then puts back any file the service rewrote differently (timedated writes
// /etc/localtime as a relative link, localed leaves a locale file where there was none), so the machine ends
// byte for byte as it was.
import { isDeepStrictEqual } from 'node:util';
import { describeCause } from '../../dbus/errors.js';
import type { Change } from '../../engine/change.js';
import { checkpointFiles, type FileCheckpoint, restoreFile } from '../../engine/file-checkpoint.js';
import type { Machine } from '../../machine/machine.js';
import type { ApplyContext } from '../types.js';
import { localeVariablesFromList } from './parse-identity-files.js';
import {
  describeSettingValue,
  type IdentitySetting,
  SERVICE_OF_PART,
  type SettingValue,
  setterCall,
  settingOfKind,
} from './settings.js';

interface IdentityCheckpoint {
  /** Every file the planned setters may write, as it was. */
  files: FileCheckpoint;
  /**
   * The locale localed worked from before (locale1's Locale property): without a locale file that is its
   * inherited environment, which the file alone cannot give back to the service manager's environment.
   */
  heldLocale?: Record<string, string>;
}

async function readHeldLocale(machine: Machine): Promise<Record<string, string>> {
  const service = SERVICE_OF_PART.locale;
  const bus = await machine.bus();
  const list = await bus.getProperty(service, `/${service.replaceAll('.', '/')}`, service, 'Locale');
  return localeVariablesFromList(Array.isArray(list) ? list.map(String) : []);
}

export async function checkpointIdentity(
  changes: readonly Change[],
  machine: Machine,
): Promise<IdentityCheckpoint> {
  const settings = changes.map((change) => settingOfKind(change.kind));
  const files = await checkpointFiles(
    machine,
    settings.flatMap((setting) => setting.files),
  );
  if (!settings.some((setting) => setting.kind === 'locale')) return { files };
  return { files, heldLocale: await readHeldLocale(machine) };
}

async function callSetter(
  machine: Machine,
  setting: IdentitySetting,
  value: SettingValue,
  timeoutMs: number,
) {
  const call = setterCall(setting, value);
  if (!call) return;
  const bus = await machine.bus();
  try {
    await bus.call(call.service, call.path, call.iface, call.member, {
      signature: call.signature,
      args: call.args,
      timeoutMs,
    });
  } catch (error) {
    throw new Error(
      `cannot set the ${setting.label} to ${describeSettingValue(value)}: ${describeCause(error)}`,
      { cause: error },
    );
  }
}

/** Restores each of `paths` that differs from the checkpoint; an identical file is left alone (and its mtime). */
async function restoreChangedFiles(machine: Machine, saved: FileCheckpoint, paths: readonly string[]) {
  const now = await checkpointFiles(machine, paths);
  for (const path of paths) {
    if (!isDeepStrictEqual(now[path], saved[path])) await restoreFile(machine, saved, path);
  }
}

export async function applyIdentityChange(
  change: Change,
  machine: Machine,
  context: ApplyContext,
): Promise<void> {
  const value = (change.after ?? null) as SettingValue;
  await callSetter(machine, settingOfKind(change.kind), value, context.changeTimeoutMs);
}

export async function undoIdentityChange(
  change: Change,
  checkpoint: unknown,
  machine: Machine,
  context: ApplyContext,
): Promise<void> {
  const setting = settingOfKind(change.kind);
  const saved = checkpoint as IdentityCheckpoint;
  const previous = (setting.kind === 'locale' ? (saved.heldLocale ?? change.before) : change.before) ?? null;
  let failure: unknown;
  try {
    // The service first: it updates what it holds in memory (the kernel hostname, the manager's environment).
    await callSetter(machine, setting, previous as SettingValue, context.changeTimeoutMs);
  } catch (error) {
    failure = error;
  }
  await restoreChangedFiles(machine, saved.files, setting.files);
  if (failure) throw failure;
}
