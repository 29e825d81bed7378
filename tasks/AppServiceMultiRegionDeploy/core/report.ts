/** What v2 publishes: output variables per target and a Markdown table for the build summary. */
import type { TargetOutcome } from './model';

export interface OutputVariable {
  name: string;
  value: string;
}

/** `rg/app/slot` as a variable-name part: letters, digits and `_`. */
export function variableKey(label: string): string {
  return label.replace(/[^A-Za-z0-9]+/g, '_');
}

export function outputVariables(outcomes: TargetOutcome[]): OutputVariable[] {
  const out: OutputVariable[] = [
    { name: 'deployedTargets', value: outcomes.filter((o) => o.deployed).map((o) => o.target.label).join(',') },
    { name: 'failedTargets', value: outcomes.filter((o) => o.result !== 'Succeeded').map((o) => o.target.label).join(',') },
    {
      name: 'deploymentResults',
      value: JSON.stringify(
        outcomes.map((o) => ({
          target: o.target.label,
          resourceGroup: o.target.resourceGroup,
          app: o.target.app,
          slot: o.target.slot ?? 'production',
          region: o.region ?? null,
          result: o.result,
          durationSeconds: Math.round(o.durationMs / 100) / 10,
          url: o.url ?? null,
        })),
      ),
    },
  ];
  for (const o of outcomes) {
    const key = variableKey(o.target.label);
    out.push({ name: `${key}_result`, value: o.result });
    if (o.url) out.push({ name: `${key}_url`, value: o.url });
  }
  return out;
}

/** A table cell: no pipes or line breaks from names or messages can break the table. */
function cell(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/\|/g, '\\|').replace(/</g, '&lt;');
}

export function summaryMarkdown(outcomes: TargetOutcome[]): string {
  const lines = [
    '### App Service multi-region deployment',
    '',
    '| Region | Resource group | App | Slot | Result | Duration | URL |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const o of outcomes) {
    const result = o.message && o.result !== 'Succeeded' ? `${o.result}: ${o.message}` : o.result + (o.swappedIntoProduction ? ' (swapped into production)' : '');
    lines.push(`| ${cell(o.region ?? '—')} | ${cell(o.target.resourceGroup)} | ${cell(o.target.app)} | ${cell(o.target.slot ?? 'production')} | ${cell(result)} | ${(o.durationMs / 1000).toFixed(1)} s | ${o.url ? cell(o.url) : '—'} |`);
  }
  return `${lines.join('\n')}\n`;
}
