// Reads a part of the identity section when its service answers over D-Bus: the service's properties, plus
// the files that tell what of its answer is configured rather than detected or inherited.
import type { Machine } from '../../machine/machine.js';
import {
  type HostnamePart,
  hostnameFromProperties,
  type LocalePart,
  localeFromProperties,
  type Properties,
  type TimePart,
  timeFromProperties,
} from './from-dbus-properties.js';
import { type FilePart, LOCALE_FILES, MACHINE_INFO, readEnv } from './read-files.js';
import type { IdentityProblem } from './schema.js';

export async function hostnameFromBus(
  properties: Properties,
  machine: Machine,
): Promise<FilePart<HostnamePart>> {
  const problems: IdentityProblem[] = [];
  const machineInfo = await readEnv(machine.files, MACHINE_INFO, problems);
  return { part: hostnameFromProperties(properties, machineInfo ?? {}), problems };
}

export async function timeFromBus(properties: Properties): Promise<FilePart<TimePart>> {
  return { part: timeFromProperties(properties), problems: [] };
}

export async function localeFromBus(properties: Properties, machine: Machine): Promise<FilePart<LocalePart>> {
  const problems: IdentityProblem[] = [];
  const present = await Promise.all(
    LOCALE_FILES.map((path) =>
      machine.files.exists(path).catch((error: unknown) => {
        problems.push({ path, line: null, text: null, reason: (error as Error).message });
        // A file that may exist may set the locale: leave locale1's answer in config.
        return true;
      }),
    ),
  );
  return { part: localeFromProperties(properties, present.some(Boolean)), problems };
}
