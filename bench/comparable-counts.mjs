// How much each side of the benchmark gathered, as the same few numbers (units, unit files, services,
// packages, bus names, introspected objects, network links), so the timing comparison is honest.
// A count a side does not gather is null.
import { taskOfModule } from './ansible-report.mjs';

export const COUNT_LABELS = {
  units: 'loaded units (list-units --all)',
  unitFiles: 'unit files (list-unit-files)',
  services: 'services (loaded ∪ unit files)',
  packages: 'packages',
  busNames: 'well-known bus names',
  runningBusNames: '… of them running',
  busObjects: 'bus objects introspected',
  links: 'network links',
};

const emptyCounts = () => Object.fromEntries(Object.keys(COUNT_LABELS).map((key) => [key, null]));

function serviceNames(...nameLists) {
  return new Set(nameLists.flat().filter((name) => name.endsWith('.service'))).size;
}

function objectCount(objects) {
  if (Array.isArray(objects)) return objects.length;
  return objects && typeof objects === 'object' ? Object.keys(objects).length : 0;
}

/** Counts from an `op-dbus discover --export` document; sections a plugin did not deliver stay null. */
export function opDbusCounts(state) {
  const counts = emptyCounts();
  const sections = state?.sections ?? {};
  const systemd = sections.systemd;
  if (systemd) {
    const units = Object.keys(systemd.facts.units ?? {});
    const unitFiles = Object.keys(systemd.config.unitFiles ?? {});
    Object.assign(counts, {
      units: units.length,
      unitFiles: unitFiles.length,
      services: serviceNames(units, unitFiles),
    });
  }
  if (sections.packages) counts.packages = Object.keys(sections.packages.config.packages ?? {}).length;
  const services = sections['dbus-services']?.facts.services;
  if (services) {
    const all = Object.values(services);
    counts.busNames = all.length;
    counts.runningBusNames = all.filter((service) => service.running).length;
    counts.busObjects = all.reduce(
      (sum, service) => sum + (service.objectsVisited ?? objectCount(service.objects)),
      0,
    );
  }
  if (sections.network) counts.links = sections.network.facts.links?.length ?? null;
  return counts;
}

const firstField = (line) => line.trim().split(/\s+/)[0];
const nonEmpty = (lines = []) => lines.filter((line) => line.trim() !== '');

function parseJsonArray(lines) {
  try {
    const value = JSON.parse(lines.join('\n'));
    return Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

/** Counts from the parsed shell-baseline output (see baseline-output.mjs). */
export function baselineCounts({ sections }) {
  const counts = emptyCounts();
  const units = nonEmpty(sections.units).map(firstField);
  const unitFiles = nonEmpty(sections['unit-files']).map(firstField);
  Object.assign(counts, {
    units: units.length,
    unitFiles: unitFiles.length,
    services: serviceNames(units, unitFiles),
    packages: nonEmpty(sections.packages).length,
  });
  // busctl list: NAME PID PROCESS USER CONNECTION UNIT SESSION DESCRIPTION; PID is "-" until activated.
  const wellKnown = nonEmpty(sections['bus-names'])
    .map((line) => line.trim().split(/\s+/))
    .filter(([name]) => !name.startsWith(':'));
  counts.busNames = wellKnown.length;
  counts.runningBusNames = wellKnown.filter(([, pid]) => /^\d+$/.test(pid ?? '')).length;
  counts.busObjects = (sections['bus-objects'] ?? []).filter((line) => line.startsWith('-- /')).length;
  counts.links = parseJsonArray(sections.links ?? [])?.length ?? null;
  return counts;
}

/** Counts from the Ansible tasks (see ansible-report.mjs); failed tasks count as not gathered. */
export function ansibleCounts(tasks) {
  const counts = emptyCounts();
  const ok = (module) => {
    const task = taskOfModule(tasks, module);
    return task?.status === 'ok' ? task.counts : undefined;
  };
  counts.services = ok('service_facts')?.services ?? null;
  counts.packages = ok('package_facts')?.packages ?? null;
  counts.links = ok('gather_facts')?.interfaces ?? null;
  return counts;
}
