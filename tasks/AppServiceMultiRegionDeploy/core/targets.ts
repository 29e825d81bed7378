import { InputError } from '../../common/errors';
import { oneLine } from '../../common/log/safe-text';
import { targetLabel, type Target } from './model';

// Naming rules of Azure: resource group names (Microsoft.Resources), site and slot names (Microsoft.Web).
const RESOURCE_GROUP = /^[-\w.()]{1,90}$/u;
const APP = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,58}[A-Za-z0-9])?$/;
const SLOT = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,58}[A-Za-z0-9])?$/;

/**
 * Target lines `resourceGroup/appName[/slot]`, one per line. The slot `production` is the app
 * itself. Errors name the input and the line; a target given twice is an error (it would be
 * deployed twice, in parallel with itself).
 */
export function parseTargets(input: string, lines: Array<{ text: string; line: number }>): Target[] {
  const seen = new Map<string, number>();
  const out: Target[] = [];
  for (const { text, line } of lines) {
    const parts = text.split('/').map((p) => p.trim());
    const form = `expected 'resourceGroup/appName' or 'resourceGroup/appName/slot', got '${oneLine(text)}'`;
    if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) throw new InputError(input, `line ${line}: ${form}`);
    const [resourceGroup, app, slotPart] = parts;
    if (!RESOURCE_GROUP.test(resourceGroup) || resourceGroup.endsWith('.')) {
      throw new InputError(input, `line ${line}: '${oneLine(resourceGroup)}' is not a resource group name (1-90 letters, digits, '-', '_', '.', '(', ')'; not ending in '.')`);
    }
    if (!APP.test(app)) throw new InputError(input, `line ${line}: '${oneLine(app)}' is not an App Service name (2-60 letters, digits and '-', not starting or ending with '-')`);
    const slot = slotPart === undefined || slotPart.toLowerCase() === 'production' ? undefined : slotPart;
    if (slot !== undefined && !SLOT.test(slot)) throw new InputError(input, `line ${line}: '${oneLine(slot)}' is not a slot name (letters, digits and '-')`);
    const target: Target = { resourceGroup, app, slot, label: targetLabel({ resourceGroup, app, slot }) };
    const key = target.label.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) throw new InputError(input, `line ${line}: ${target.label} is already given on line ${first}`);
    seen.set(key, line);
    out.push(target);
  }
  return out;
}

/** Non-empty, non-comment lines with their 1-based line numbers. */
export function numberedLines(text: string | undefined): Array<{ text: string; line: number }> {
  return (text ?? '')
    .split(/\r?\n|\r/)
    .map((raw, i) => ({ text: raw.trim(), line: i + 1 }))
    .filter((l) => l.text !== '' && !l.text.startsWith('#'));
}
