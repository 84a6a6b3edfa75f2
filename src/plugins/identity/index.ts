// The identity plugin: who the machine is (hostname, machine-info), its clock settings and its locale,
// asked of hostnamed, timedated and localed over D-Bus, with each part read from files when its service
// cannot answer.
import type { Machine } from '../../machine/machine.js';
import { redactConfigText, type SectionRedaction } from '../../state/redact.js';
import type { Availability, Discovered, Plugin } from '../types.js';
import { applyIdentityChange, checkpointIdentity, undoIdentityChange } from './apply.js';
import { hostnameFromBus, localeFromBus, timeFromBus } from './from-bus.js';
import type { Properties } from './from-dbus-properties.js';
import { planIdentityChanges } from './plan.js';
import {
  type FilePart,
  readHostnameFromFiles,
  readLocaleFromFiles,
  readTimeFromFiles,
} from './read-files.js';
import {
  type IdentityConfig,
  type IdentityFacts,
  type IdentityProblem,
  identityConfigSchema,
  identityFactsSchema,
} from './schema.js';
import { identityToAnsible } from './to-ansible.js';
import { identityToNix } from './to-nix.js';

export type { IdentityConfig, IdentityFacts } from './schema.js';

const HOSTNAME1 = 'org.freedesktop.hostname1';
const TIMEDATE1 = 'org.freedesktop.timedate1';
const LOCALE1 = 'org.freedesktop.locale1';

// Files the fallback readers use; any one of them is enough to say something about the machine.
const IDENTITY_FILES = [
  '/etc/hostname',
  '/etc/machine-info',
  '/etc/os-release',
  '/etc/localtime',
  '/etc/timezone',
  '/etc/locale.conf',
  '/etc/default/locale',
  '/etc/vconsole.conf',
  '/etc/default/keyboard',
];

interface ReadPart<Part> {
  part: Part;
  source: 'dbus' | 'files';
  fallbackReason?: string;
  problems: IdentityProblem[];
}

/** GetAll on the service's object; the bus starts the service on demand, within the machine's call timeout. */
async function allProperties(machine: Machine, service: string): Promise<Properties> {
  const bus = await machine.bus();
  return bus.getAllProperties(service, `/${service.replaceAll('.', '/')}`, service);
}

async function readPart<Part>(
  machine: Machine,
  service: string,
  fromBus: (properties: Properties, machine: Machine) => Promise<FilePart<Part>>,
  fromFiles: (machine: Machine) => Promise<FilePart<Part>>,
): Promise<ReadPart<Part>> {
  let properties: Properties;
  try {
    properties = await allProperties(machine, service);
  } catch (error) {
    const { part, problems } = await fromFiles(machine);
    return { part, source: 'files', fallbackReason: (error as Error).message, problems };
  }
  return { ...(await fromBus(properties, machine)), source: 'dbus' };
}

/** Problems quote the lines they could not use: a line may hold a secret, redacted like file content. */
function redactProblems(problems: readonly IdentityProblem[]): {
  problems: IdentityProblem[];
  redactions: SectionRedaction[];
} {
  const redactions: SectionRedaction[] = [];
  const redacted = problems.map((problem, index) => {
    if (problem.text === null) return problem;
    const { text, reasons } = redactConfigText(problem.text);
    for (const reason of reasons) redactions.push({ path: ['facts', 'problems', index, 'text'], reason });
    return { ...problem, text };
  });
  return { problems: redacted, redactions };
}

async function identityAvailable(machine: Machine): Promise<Availability> {
  const found = await Promise.all(
    IDENTITY_FILES.map((path) => machine.files.exists(path).catch(() => false)),
  );
  if (found.some(Boolean)) return { ok: true };
  const bus = await machine.busStatus();
  if (bus.ok) return { ok: true };
  return {
    ok: false,
    reason: `no identity files under ${machine.root} (${IDENTITY_FILES.join(', ')}) and ${bus.reason}`,
  };
}

async function discoverIdentity(machine: Machine): Promise<Discovered<IdentityConfig, IdentityFacts>> {
  const [hostname, time, locale] = await Promise.all([
    readPart(machine, HOSTNAME1, hostnameFromBus, readHostnameFromFiles),
    readPart(machine, TIMEDATE1, timeFromBus, readTimeFromFiles),
    readPart(machine, LOCALE1, localeFromBus, readLocaleFromFiles),
  ]);
  const { problems, redactions } = redactProblems([
    ...hostname.problems,
    ...time.problems,
    ...locale.problems,
  ]);
  const fallbackReasons: IdentityFacts['fallbackReasons'] = {};
  if (hostname.fallbackReason) fallbackReasons.hostname = hostname.fallbackReason;
  if (time.fallbackReason) fallbackReasons.time = time.fallbackReason;
  if (locale.fallbackReason) fallbackReasons.locale = locale.fallbackReason;
  return {
    config: { hostname: hostname.part.config, time: time.part.config, locale: locale.part.config },
    facts: {
      sources: { hostname: hostname.source, time: time.source, locale: locale.source },
      fallbackReasons,
      hostname: hostname.part.facts,
      time: time.part.facts,
      locale: locale.part.facts,
      problems,
    },
    redactions,
  };
}

export const identityPlugin: Plugin<IdentityConfig, IdentityFacts> = {
  name: 'identity',
  summary:
    'hostname and machine-info, time zone and clock, locale and keyboard (hostname1, timedate1, locale1)',
  managedBusNames: [HOSTNAME1, TIMEDATE1, LOCALE1],
  configSchema: identityConfigSchema,
  factsSchema: identityFactsSchema,
  available: identityAvailable,
  discover: discoverIdentity,
  summarize: (config, facts) =>
    [
      `hostname ${config.hostname.staticHostname ?? '(unset)'}`,
      `time zone ${config.time.timezone ?? '(unset)'}`,
      `locale ${config.locale.variables.LANG ?? '(unset)'}`,
      `from ${[...new Set(Object.values(facts.sources))].join('+')}`,
    ].join(', '),
  writer: {
    plan: (current, desired) => planIdentityChanges(current, desired),
    checkpoint: checkpointIdentity,
    apply: applyIdentityChange,
    undo: undoIdentityChange,
  },
  toNix: identityToNix,
  toAnsible: identityToAnsible,
};
