// `op-dbus diff A B` / `op-dbus diff --live A`: two captures (or a capture and the live machine) compared
// section by section and item by item.
import { Command } from '@commander-js/extra-typings';
import pc from 'picocolors';
import { diffStates, type ItemDiff, type SectionDiff } from '../engine/diff.js';
import { discoverMachine } from '../engine/discover.js';
import { plugins } from '../plugins/registry.js';
import { UsageError } from './errors.js';
import { loadStateDocument } from './load-document.js';
import {
  busAddressOption,
  machineFromFlags,
  ovsdbOption,
  rootOption,
  timeoutOption,
} from './machine-options.js';
import { toJsonText } from './output.js';
import { collectRepeatable, selectPlugins } from './select-plugins.js';

const LABEL: Record<ItemDiff['status'], string> = {
  identical: 'identical',
  different: 'different',
  'only-in-a': 'only in A',
  'only-in-b': 'only in B',
};

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? '';
  return text.length > 70 ? `${text.slice(0, 67)}…` : text;
}

export function renderDiff(sections: SectionDiff[], names: { a: string; b: string }, color: boolean): string {
  const bold = color ? pc.bold : (text: string) => text;
  const out = [`A: ${names.a}`, `B: ${names.b}`, ''];
  for (const section of sections) {
    const differing = section.items.filter((item) => item.status !== 'identical');
    out.push(
      `${bold(section.section)}: ${LABEL[section.status]}${differing.length ? ` (${differing.length} of ${section.items.length} items)` : ''}`,
    );
    for (const item of differing) {
      out.push(`  ${LABEL[item.status].padEnd(9)} ${item.item}`);
      if (item.status === 'different')
        out.push(`            A: ${show(item.a)}`, `            B: ${show(item.b)}`);
    }
  }
  const same = sections.every((section) => section.status === 'identical');
  out.push('', same ? 'Identical config.' : 'The configs differ.');
  return `${out.join('\n')}\n`;
}

export function diffCommand() {
  return new Command('diff')
    .description('compare the config of two captures, or of a capture and the live machine (--live)')
    .argument('<a>', 'first MachineState document')
    .argument('[b]', 'second MachineState document (omit with --live)')
    .option('--live', 'compare <a> with the live machine (B)')
    .option('--json', 'print the comparison as JSON')
    .option('--plugin <name>', 'only this section (repeatable, or comma-separated)', collectRepeatable)
    .addOption(busAddressOption())
    .addOption(rootOption())
    .addOption(timeoutOption())
    .addOption(ovsdbOption())
    .addHelpText('after', '\nExit status: 0 identical, 2 different, 1 error.')
    .action(async (fileA, fileB, options) => {
      if (options.live === (fileB !== undefined))
        throw new UsageError('give two documents, or one document and --live');
      const selected = selectPlugins(options.plugin);
      const a = await loadStateDocument(fileA);
      let b: typeof a;
      let nameB = fileB ?? 'live machine';
      if (fileB !== undefined) {
        b = await loadStateDocument(fileB);
      } else {
        const machine = machineFromFlags(options);
        try {
          const wanted = selected.filter((plugin) => a.sections[plugin.name]);
          b = (await discoverMachine(machine, { plugins: wanted, registry: plugins })).state;
          nameB = `live machine (root ${machine.root})`;
        } finally {
          await machine.close();
        }
      }
      const keep = new Set(selected.map((plugin) => plugin.name));
      const sections = diffStates(a, b).filter((section) => keep.has(section.section));
      process.stdout.write(
        options.json
          ? toJsonText({ identical: sections.every((s) => s.status === 'identical'), sections })
          : renderDiff(sections, { a: fileA, b: nameB }, Boolean(process.stdout.isTTY)),
      );
      if (sections.some((section) => section.status !== 'identical')) process.exitCode = 2;
    });
}
