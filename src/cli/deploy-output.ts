// How deploy results look: one summary line per step, the version table of `list`, and `status`.
import type { SwitchOutcome } from '../deploy/activate.js';
import type { Manifest } from '../deploy/manifest.js';
import { formatBytes } from './deploy-progress.js';

export interface VersionRow {
  name: string;
  active: boolean;
  manifest: Manifest;
}

function shortTime(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')}Z`;
}

export function renderVersionTable(rows: readonly VersionRow[]): string {
  if (rows.length === 0) return 'no versions\n';
  const header = ['', 'NAME', 'CREATED', 'PARENT', 'FILES', 'SIZE', 'HOST'];
  const lines = rows.map((row) => [
    row.active ? '*' : '',
    row.name,
    shortTime(row.manifest.created),
    row.manifest.parent ?? '-',
    String(row.manifest.sizes.files),
    formatBytes(row.manifest.sizes.bytes),
    row.manifest.sourceHost ?? '-',
  ]);
  const table = [header, ...lines];
  const widths = header.map((_, column) => Math.max(...table.map((line) => (line[column] as string).length)));
  return `${table
    .map((line) =>
      line
        .map((cell, column) => cell.padEnd(widths[column] as number))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}

export function describeManifest(manifest: Manifest): string {
  const { files, bytes } = manifest.sizes;
  return `${files} files, ${formatBytes(bytes)}${manifest.parent ? `, parent ${manifest.parent}` : ''}`;
}

export function describeSwitch(verb: string, outcome: SwitchOutcome): string {
  if (!outcome.switched) return `${outcome.version} is already active; nothing to do\n`;
  const from = outcome.previous ? ` (was ${outcome.previous})` : '';
  const units = outcome.units.length > 0 ? `; restarted ${outcome.units.join(', ')}` : '';
  return `✓ ${verb} ${outcome.version}${from}${units}\n`;
}

export interface StatusView {
  store: string;
  root: string;
  active: string | null;
  rollbackTarget: string | null;
  history: string[];
  versions: number;
  problems: string[];
  restartUnits: string[];
  healthCommand: string[] | null;
}

export function renderStatus(status: StatusView): string {
  const lines = [
    `store:     ${status.store}${status.root === '/' ? '' : ` (under ${status.root})`}`,
    `active:    ${status.active ?? 'none'}`,
    `rollback:  ${status.rollbackTarget ?? 'none'}`,
    `versions:  ${status.versions}`,
    `restarts:  ${status.restartUnits.length > 0 ? status.restartUnits.join(', ') : 'none'}`,
    `health:    ${status.healthCommand ? JSON.stringify(status.healthCommand) : 'units active'}`,
  ];
  for (const problem of status.problems) lines.push(`problem:   ${problem}`);
  return `${lines.join('\n')}\n`;
}
