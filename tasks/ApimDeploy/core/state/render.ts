/**
 * The plan as people read it: one line per entity in the log, a table in the build summary.
 * Ids and property names come from the user's files and the service, so the Markdown escapes them.
 */
import { oneLine } from '../../../common/log/safe-text';
import { mdCode, mdText } from '../../../common/report/markdown';
import type { Plan, PlannedChange } from './plan';

const SIGN: Record<PlannedChange['action'], string> = { create: '+', update: '~', delete: '-', unchanged: '=' };
const ORDER: Array<PlannedChange['action']> = ['create', 'update', 'delete', 'unchanged'];

function sorted(plan: Plan): PlannedChange[] {
  return [...plan.changes].sort((a, b) => ORDER.indexOf(a.action) - ORDER.indexOf(b.action) || a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id));
}

export function planCounts(plan: Plan): Record<PlannedChange['action'], number> {
  const out = { create: 0, update: 0, delete: 0, unchanged: 0 };
  for (const c of plan.changes) out[c.action]++;
  return out;
}

export function planHeadline(plan: Plan): string {
  const n = planCounts(plan);
  return `Plan: ${n.create} to create, ${n.update} to update, ${n.delete} to delete, ${n.unchanged} unchanged`;
}

/** Log lines, e.g. `~ update api 'orders': serviceUrl, policy`. */
export function planLines(plan: Plan): string[] {
  return [
    planHeadline(plan),
    ...sorted(plan).map((c) => `${SIGN[c.action]} ${c.action} ${c.kind} '${oneLine(c.id)}'${c.differs.length && c.action !== 'unchanged' ? `: ${c.differs.map(oneLine).join(', ')}` : ''}`),
  ];
}

const MAX_ROWS = 200;

export function planMarkdown(plan: Plan, o: { service: string; dryRun: boolean; outcome?: string }): string {
  const rows = sorted(plan).filter((c) => c.action !== 'unchanged');
  const unchanged = plan.changes.length - rows.length;
  const lines = [
    `## API Management ${o.dryRun ? 'plan (dry run, nothing written)' : 'deployment'}: ${mdText(o.service)}`,
    '',
    `**${mdText(planHeadline(plan))}**`,
    '',
  ];
  if (o.outcome) lines.push(mdText(o.outcome), '');
  if (rows.length) {
    lines.push('| Change | Kind | Id | What differs |', '|---|---|---|---|');
    for (const c of rows.slice(0, MAX_ROWS)) lines.push(`| ${c.action} | ${c.kind} | ${mdCode(c.id)} | ${mdText(c.differs.join(', '))} |`);
    if (rows.length > MAX_ROWS) lines.push('', `_…and ${rows.length - MAX_ROWS} more (see the task log)._`);
  } else {
    lines.push('Everything is as declared.');
  }
  if (unchanged) lines.push('', `${unchanged} entit${unchanged === 1 ? 'y' : 'ies'} unchanged.`);
  if (plan.notes.length) lines.push('', '**Kept although in the prune scope:**', '', ...plan.notes.map((n) => `- ${mdText(n)}`));
  return `${lines.join('\n')}\n`;
}
