// Reads the identity settings straight from files under the machine root, for when hostnamed, timedated
// or localed cannot be asked: the files are where those services keep the same settings.
import type { Machine } from '../../machine/machine.js';
import type { RootFs } from '../../machine/root-fs.js';
import { parseEnvFile } from '../shared/parse-env-file.js';
import type { HostnamePart, LocalePart, TimePart } from './from-dbus-properties.js';
import {
  emptyToNull,
  keyboardFromFiles,
  parseAdjtime,
  parseEtcHostname,
  parseEtcTimezone,
  pickLocaleVariables,
  timezoneFromLocaltimeTarget,
} from './parse-identity-files.js';
import type { IdentityProblem } from './schema.js';

export interface FilePart<Part> {
  part: Part;
  problems: IdentityProblem[];
}

/** File text, or undefined when missing; an unreadable file becomes a problem instead of an error. */
async function readOptional(
  files: RootFs,
  path: string,
  problems: IdentityProblem[],
): Promise<string | undefined> {
  try {
    return await files.readText(path);
  } catch (error) {
    problems.push({ path, line: null, text: null, reason: (error as Error).message });
    return undefined;
  }
}

export const MACHINE_INFO = '/etc/machine-info';
/** The files localed keeps the system locale in: systemd's own, then Debian's. */
export const LOCALE_FILES = ['/etc/locale.conf', '/etc/default/locale'] as const;

export async function readEnv(
  files: RootFs,
  path: string,
  problems: IdentityProblem[],
): Promise<Record<string, string> | undefined> {
  const text = await readOptional(files, path, problems);
  if (text === undefined) return undefined;
  const parsed = parseEnvFile(text);
  for (const problem of parsed.problems) problems.push({ path, ...problem });
  return parsed.values;
}

async function readLine(files: RootFs, path: string, problems: IdentityProblem[]): Promise<string | null> {
  return emptyToNull((await readOptional(files, path, problems))?.trim());
}

export async function readHostnameFromFiles(machine: Machine): Promise<FilePart<HostnamePart>> {
  const files = machine.files;
  const problems: IdentityProblem[] = [];
  const [
    hostnameText,
    machineInfo,
    etcOsRelease,
    usrOsRelease,
    transient,
    kernelName,
    kernelRelease,
    kernelVersion,
    vendor,
    model,
  ] = await Promise.all([
    readOptional(files, '/etc/hostname', problems),
    readEnv(files, MACHINE_INFO, problems),
    readEnv(files, '/etc/os-release', problems),
    readEnv(files, '/usr/lib/os-release', problems),
    // The kernel answers /proc/sys/kernel/hostname for the reader's UTS namespace, not the root's owner,
    // so it is only the machine's own hostname when the machine is this host.
    machine.root === '/' ? readLine(files, '/proc/sys/kernel/hostname', problems) : Promise.resolve(null),
    readLine(files, '/proc/sys/kernel/ostype', problems),
    readLine(files, '/proc/sys/kernel/osrelease', problems),
    readLine(files, '/proc/sys/kernel/version', problems),
    readLine(files, '/sys/class/dmi/id/sys_vendor', problems),
    readLine(files, '/sys/class/dmi/id/product_name', problems),
  ]);
  const etcHostname = hostnameText === undefined ? { hostname: null } : parseEtcHostname(hostnameText);
  if (etcHostname.problem)
    problems.push({ path: '/etc/hostname', line: null, text: null, reason: etcHostname.problem });
  const info = machineInfo ?? {};
  return {
    part: {
      config: {
        staticHostname: etcHostname.hostname,
        prettyHostname: emptyToNull(info.PRETTY_HOSTNAME),
        chassis: emptyToNull(info.CHASSIS),
        deployment: emptyToNull(info.DEPLOYMENT),
        location: emptyToNull(info.LOCATION),
        iconName: emptyToNull(info.ICON_NAME),
      },
      facts: {
        transientHostname: transient,
        operatingSystem: emptyToNull((etcOsRelease ?? usrOsRelease)?.PRETTY_NAME),
        kernelName,
        kernelRelease,
        kernelVersion,
        hardwareVendor: vendor,
        hardwareModel: model,
        // Only hostnamed detects a chassis (from DMI, the virtualization, the ACPI profile).
        detectedChassis: null,
        detectedIconName: null,
      },
    },
    problems,
  };
}

async function readTimezone(files: RootFs, problems: IdentityProblem[]): Promise<string | null> {
  const [link, present, etcTimezone] = await Promise.all([
    files.readLink('/etc/localtime').catch(() => undefined),
    files.exists('/etc/localtime').catch(() => true),
    readOptional(files, '/etc/timezone', problems),
  ]);
  const fromLink = link === undefined ? null : timezoneFromLocaltimeTarget(link);
  if (fromLink) return fromLink;
  // Without /etc/localtime glibc and systemd use UTC; a copied zone file has no name, Debian's /etc/timezone may.
  if (!present && link === undefined) return 'UTC';
  return etcTimezone === undefined ? null : parseEtcTimezone(etcTimezone);
}

export async function readTimeFromFiles(machine: Machine): Promise<FilePart<TimePart>> {
  const problems: IdentityProblem[] = [];
  const [timezone, adjtime] = await Promise.all([
    readTimezone(machine.files, problems),
    readOptional(machine.files, '/etc/adjtime', problems),
  ]);
  return {
    part: {
      // Whether NTP is enabled depends on which time service runs; only timedated can say, so it stays unknown.
      config: { timezone, ntp: null, localRtc: adjtime === undefined ? false : parseAdjtime(adjtime) },
      facts: { ntpSynchronized: null, canNtp: null },
    },
    problems,
  };
}

export async function readLocaleFromFiles(machine: Machine): Promise<FilePart<LocalePart>> {
  const files = machine.files;
  const problems: IdentityProblem[] = [];
  const [localeConf, debianLocale, vconsole, debianKeyboard] = await Promise.all([
    ...LOCALE_FILES.map((path) => readEnv(files, path, problems)),
    readEnv(files, '/etc/vconsole.conf', problems),
    readEnv(files, '/etc/default/keyboard', problems),
  ]);
  return {
    part: {
      config: {
        variables: pickLocaleVariables(localeConf ?? debianLocale ?? {}),
        ...keyboardFromFiles(vconsole ?? {}, debianKeyboard ?? {}),
      },
      facts: { reportedVariables: null },
    },
    problems,
  };
}
