/** Turning rules into controls, and combining rules. */

import type { CheckContext, CheckResult, ControlMeta, ControlParameters, EvaluatedResource, ParameterValues, ResourceControl } from '../../model';
import { configurable, type ParameterSettings } from './parameters';
import { lastNameSegment, ResourceView } from './lookup';
import { fail, pass, unknown, type Rule } from './results';
import { lowerType } from '../../resource-type';


function typeMatcher(meta: ControlMeta): (type: string) => boolean {
  const types = new Set(meta.resourceTypes.map((rt) => rt.toLowerCase()));
  // The scan hands a control only resources of its types, and often several of one type in a row:
  // the last answer is kept, and a type string seen again (mostly the same string) costs no look-up.
  let lastType: string | undefined;
  let lastAnswer = false;
  return (type) => {
    if (type !== lastType) {
      lastAnswer = types.has(lowerType(type));
      lastType = type;
    }
    return lastAnswer;
  };
}

/**
 * What a control that does not apply returns: one shared empty list, never changed (the scan only
 * iterates a control's results), instead of a new array per control and resource.
 */
const NO_RESULTS: CheckResult[] = [];

/**
 * Wraps a rule into a ResourceControl: skips `existing` resources and types outside meta.resourceTypes,
 * and normalises the rule's return value to an array. A control that declares parameters passes a
 * rule factory instead, which receives their values (see parameters.ts).
 */
export function resourceControl(meta: ControlMeta & { parameters?: undefined }, rule: Rule): ResourceControl;
export function resourceControl<P extends ControlParameters>(meta: ControlMeta & { parameters: P }, rule: (values: ParameterValues<P>) => Rule): ResourceControl;
export function resourceControl(meta: ControlMeta, rule: Rule | ((values: ParameterSettings) => Rule)): ResourceControl {
  return configurable<ResourceControl>(meta, (m, values) => {
    const check = meta.parameters ? (rule as (values: ParameterSettings) => Rule)(values) : (rule as Rule);
    const typeMatches = typeMatcher(m);
    const checkMatched = (resource: EvaluatedResource, ctx: CheckContext): CheckResult[] => {
      const out = check(new ResourceView(resource), ctx);
      if (out === undefined) return NO_RESULTS;
      return Array.isArray(out) ? out : [out];
    };
    return {
      kind: 'resource',
      meta: m,
      check(resource: EvaluatedResource, ctx: CheckContext): CheckResult[] {
        if (resource.existing || !typeMatches(resource.type)) return NO_RESULTS;
        return checkMatched(resource, ctx);
      },
      checkMatched,
    };
  });
}

/** All rules must pass; the first failure (else first unknown) decides, messages of failures are joined. */
export function allOf(...rules: Rule[]): Rule {
  return (view, ctx) => {
    const results = rules.flatMap((r) => {
      const out = r(view, ctx);
      return out === undefined ? [] : Array.isArray(out) ? out : [out];
    });
    const fails = results.filter((r) => r.outcome === 'fail');
    if (fails.length) return fail(fails.map((f) => f.message).join(' '), fails[0]!.location);
    const unknowns = results.filter((r) => r.outcome === 'unknown');
    if (unknowns.length) return unknown(unknowns.map((u) => u.message).join(' '), unknowns[0]!.location);
    if (!results.length) return undefined;
    return pass(results.map((r) => r.message).join(' '), results[0]!.location);
  };
}

/** Applies a rule only when `applies` says so; otherwise the control yields no result for the resource. */
export function when(applies: (view: ResourceView) => boolean, rule: Rule): Rule {
  return (view, ctx) => (applies(view) ? rule(view, ctx) : undefined);
}

/** Last segment of the resource name equals `name` (case-insensitive), e.g. a sites/config resource named 'web'. */
export function named(name: string): (view: ResourceView) => boolean {
  return (view) => lastNameSegment(view.name).toLowerCase() === name.toLowerCase();
}

/** Compact (one-line) JSON for remediation snippets, valid JSON by construction; the docs pretty-print it. */
export function snippet(value: unknown): string {
  return JSON.stringify(value);
}
