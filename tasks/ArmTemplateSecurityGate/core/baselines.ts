/**
 * A baseline is a named, dated set of controls: every control whose `since` is on or before the
 * baseline's date. A pipeline pinned to a baseline keeps its verdicts when new controls ship;
 * names are never reused with another date.
 */
import type { Control } from './model';

export interface Baseline {
  name: string;
  /** Inclusive cut-off (YYYY-MM-DD) on control `since`. */
  date: string;
  description: string;
}

export const baselines: readonly Baseline[] = [
  {
    name: '2026-11',
    date: '2026-11-30',
    description: 'First catalogue: the AzSK ARM Checker feature sets and the secure-parameter controls.',
  },
];

export const LATEST = 'latest';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface ResolvedBaseline {
  name: string;
  date?: string;
  controls: Control[];
}

/** Undefined name means 'latest'. Returns undefined for a name that is neither known nor a date. */
export function resolveBaseline(name: string | undefined, controls: readonly Control[]): ResolvedBaseline | undefined {
  const wanted = (name ?? LATEST).trim();
  if (wanted === '' || wanted.toLowerCase() === LATEST) return { name: LATEST, controls: [...controls] };
  const known = baselines.find((b) => b.name.toLowerCase() === wanted.toLowerCase());
  const date = known?.date ?? (DATE.test(wanted) && !Number.isNaN(Date.parse(wanted)) ? wanted : undefined);
  if (!date) return undefined;
  return { name: known?.name ?? wanted, date, controls: controls.filter((c) => c.meta.since === '' || c.meta.since.slice(0, 10) <= date) };
}

export function baselineNames(): string[] {
  return [LATEST, ...baselines.map((b) => b.name)];
}
