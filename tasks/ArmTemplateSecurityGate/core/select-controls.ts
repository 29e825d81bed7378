/**
 * Which controls a scan runs: the baseline's, minus the ones skipped, indexed by resource type.
 */
import { InputError } from '../../common/errors';
import { idMatches } from '../../common/report/attestations';
import { baselineNames, resolveBaseline, type ResolvedBaseline } from './baselines';
import type { Control, ResourceControl, TemplateControl } from './model';

export interface ControlSelection {
  baseline: ResolvedBaseline;
  /** The controls in play, in catalogue order. */
  controls: Control[];
  /** Resource controls by lower-cased resource type. */
  byType: ReadonlyMap<string, readonly ResourceControl[]>;
  /** Resource controls for every type ('*'): they check every resource, but a type only they check is still listed as not covered. */
  anyType: readonly ResourceControl[];
  templateControls: readonly TemplateControl[];
}

/** Other ids a finding of `ruleId` answers to: the AzSK control ids of the control. */
export function aliasesOf(control: Control | undefined): readonly string[] {
  return control?.meta.references.azsk ?? [];
}

export function selectControls(catalogue: readonly Control[], baselineName: string | undefined, skip: readonly string[]): ControlSelection {
  const baseline = resolveBaseline(baselineName, catalogue);
  if (!baseline) {
    throw new InputError('baseline', `unknown baseline '${baselineName}' (expected ${baselineNames().join(', ')} or a date YYYY-MM-DD)`);
  }
  const skipIds = skip.map((s) => s.trim()).filter(Boolean);
  const controls = baseline.controls.filter((c) => !skipIds.some((id) => idMatches(id, c.meta.id, aliasesOf(c))));
  const byType = new Map<string, ResourceControl[]>();
  const templateControls: TemplateControl[] = [];
  const anyType: ResourceControl[] = [];
  for (const c of controls) {
    if (c.kind === 'template') {
      templateControls.push(c);
      continue;
    }
    if (c.meta.resourceTypes.includes('*')) {
      anyType.push(c);
      continue;
    }
    for (const t of c.meta.resourceTypes) {
      // A type added to a control after the baseline's date is not checked under that baseline.
      const since = c.meta.typesSince;
      const added = since && Object.hasOwn(since, t) ? since[t] : undefined;
      if (added && baseline.date && added > baseline.date) continue;
      const key = t.toLowerCase();
      const list = byType.get(key);
      if (list) list.push(c);
      else byType.set(key, [c]);
    }
  }
  return { baseline, controls, byType, anyType, templateControls };
}
