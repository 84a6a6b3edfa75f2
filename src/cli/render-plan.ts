// Terraform-style listings of plans and drift: `+` create, `~` change, `-` remove, grouped by section, with
// why and how risky; unresolved differences listed apart.
import pc from 'picocolors';
import { ACTION_SYMBOL, type Change, type Unresolved } from '../engine/change.js';
import type { MachinePlan } from '../engine/plan.js';

export interface RenderOptions {
  color: boolean;
}

type Paint = (text: string) => string;

function painter(color: boolean) {
  const keep: Paint = (text) => text;
  return {
    create: color ? pc.green : keep,
    update: color ? pc.yellow : keep,
    delete: color ? pc.red : keep,
    dim: color ? pc.dim : keep,
    bold: color ? pc.bold : keep,
    warn: color ? pc.magenta : keep,
  };
}

function short(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (text === undefined) return '(none)';
  const oneLine = text.replaceAll('\n', '⏎');
  return oneLine.length > 60 ? `${oneLine.slice(0, 57)}…` : oneLine;
}

export function renderChange(change: Change, options: RenderOptions): string {
  const paint = painter(options.color);
  const symbol = paint[change.action](ACTION_SYMBOL[change.action]);
  const lines = [
    `  ${symbol} ${change.description}${change.pendingReboot ? paint.warn(' (after reboot)') : ''}`,
  ];
  lines.push(paint.dim(`      why: ${change.reason}`));
  if (change.risk !== 'low')
    lines.push(paint.warn(`      risk: ${change.risk}${change.riskNote ? ` — ${change.riskNote}` : ''}`));
  return lines.join('\n');
}

export function renderUnresolved(items: readonly Unresolved[], options: RenderOptions): string[] {
  const paint = painter(options.color);
  return items.map((item) => {
    const values =
      item.expected !== undefined || item.actual !== undefined
        ? ` (expected ${short(item.expected)}, actual ${short(item.actual)})`
        : '';
    const tag = item.blocking ? paint.delete(' [blocks apply]') : '';
    return `  ! ${item.path}: ${item.description}${values}${tag}`;
  });
}

export function planSummary(plan: MachinePlan): string {
  const count = (action: Change['action']) =>
    plan.changes.filter((change) => change.action === action).length;
  const blocking = plan.unresolved.filter((item) => item.blocking).length;
  const unresolved = plan.unresolved.length
    ? ` ${plan.unresolved.length} unresolved${blocking ? ` (${blocking} blocking)` : ''}.`
    : '';
  return `Plan: ${count('create')} to create, ${count('update')} to change, ${count('delete')} to remove.${unresolved}`;
}

export function renderPlan(plan: MachinePlan, options: RenderOptions): string {
  const paint = painter(options.color);
  const out: string[] = [];
  const sections = [...new Set(plan.changes.map((change) => change.plugin))];
  for (const section of sections) {
    out.push(paint.bold(section));
    for (const change of plan.changes.filter((candidate) => candidate.plugin === section))
      out.push(renderChange(change, options));
  }
  if (plan.changes.length === 0) out.push('No changes: the machine matches the desired state.');
  if (plan.unresolved.length > 0) {
    out.push(
      '',
      paint.bold('Differences apply does not change:'),
      ...renderUnresolved(plan.unresolved, options),
    );
  }
  for (const { plugin, reason } of plan.skipped) out.push(paint.dim(`  (${plugin}: ${reason})`));
  out.push('', planSummary(plan));
  return `${out.join('\n')}\n`;
}

export function planJson(plan: MachinePlan) {
  return {
    hash: plan.hash,
    changes: plan.changes,
    unresolved: plan.unresolved,
    skipped: plan.skipped,
    sections: plan.planned,
    summary: planSummary(plan),
  };
}
