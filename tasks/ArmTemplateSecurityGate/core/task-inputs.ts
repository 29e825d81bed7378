/** Strict readers for task inputs, shared by the settings of every gate task version. */
import { InputError } from '../../common/errors';
import type { TaskHost } from '../../common/host/task-host';

export function readBool(host: TaskHost, name: string, fallback: boolean, raw = host.getInput(name)): boolean {
  if (raw === undefined) return fallback;
  const v = raw.trim().toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new InputError(name, `expected true or false, got '${raw}'`);
}

export function readEnum<T extends string>(host: TaskHost, name: string, allowed: readonly T[], fallback: T): T {
  const raw = host.getInput(name);
  if (raw === undefined) return fallback;
  const v = raw.trim().toLowerCase();
  const hit = allowed.find((a) => a.toLowerCase() === v);
  if (!hit) throw new InputError(name, `expected one of ${allowed.join(', ')}, got '${raw}'`);
  return hit;
}

/** Comma-, semicolon- or newline-separated values. */
export function readList(host: TaskHost, name: string, raw = host.getInput(name)): string[] {
  return (raw ?? '').split(/[,;\r\n]+/).map((v) => v.trim()).filter(Boolean);
}

/** Lines of `left => right` (or `left=right`); blank lines and # comments ignored. */
export function readPairs(host: TaskHost, name: string): Array<[string, string]> {
  return (host.getInput(name) ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((line) => {
      const m = /^(.+?)\s*(?:=>|=)\s*(.+)$/.exec(line);
      if (!m) throw new InputError(name, `expected lines of '<pattern> => <file>', got '${line}'`);
      return [m[1].trim(), m[2].trim()];
    });
}

export function readInt(host: TaskHost, name: string, fallback: number, min: number, max: number): number {
  const raw = host.getInput(name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new InputError(name, `expected a whole number from ${min} to ${max}, got '${raw}'`);
  const n = Number(raw.trim());
  if (n < min || n > max) throw new InputError(name, `expected a whole number from ${min} to ${max}, got '${raw}'`);
  return n;
}
