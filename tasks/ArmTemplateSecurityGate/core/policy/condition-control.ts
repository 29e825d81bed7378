/**
 * A control whose rule is a condition in Azure Policy's language (custom controls, policy
 * definitions): a resource that matches the condition violates the control, one that does not
 * complies, and one whose match depends on a value known only at deployment is unknown.
 */
import type { CheckResult, ControlMeta, EvaluatedResource, EvaluatedValue, ResourceControl } from '../model';
import { prop } from '../controls/helpers/lookup';
import { configurable, type ParameterSettings } from '../controls/helpers/parameters';
import { evaluateCondition, type Condition } from './conditions';
import { PolicyExpressionError } from './expressions';

export type PolicyMode = 'all' | 'indexed';

export interface ConditionRule {
  condition: Condition;
  mode: PolicyMode;
  /** Parameter values as expressions read them. */
  parameters: Readonly<Record<string, EvaluatedValue>>;
  /** What a failure says before the details: "Policy 'Allowed locations' (deny)". */
  subject: string;
}

/** Every resource type, or those of the list (case-insensitive). */
export function appliesToType(resourceTypes: readonly string[], type: string): boolean {
  const t = type.toLowerCase();
  return resourceTypes.some((rt) => rt === '*' || rt.toLowerCase() === t);
}

/**
 * Indexed mode judges resource types that hold tags and a location; before deployment that reads as
 * a resource whose template declares either (child resources such as sites/config do not).
 */
function indexed(resource: EvaluatedResource): boolean {
  return prop(resource.body, 'location') !== undefined || prop(resource.body, 'tags') !== undefined;
}

export function conditionControl(meta: ControlMeta, build: (values: ParameterSettings) => { meta?: Partial<ControlMeta>; rule: ConditionRule }): ResourceControl {
  return configurable<ResourceControl>(meta, (m, values) => {
    const built = build(values);
    const own = { ...m, ...built.meta };
    const { rule } = built;
    return {
      kind: 'resource',
      meta: own,
      check(resource): CheckResult[] {
        if (resource.existing || !appliesToType(own.resourceTypes, resource.type)) return [];
        if (rule.mode === 'indexed' && !indexed(resource)) return [];
        let truth;
        try {
          truth = evaluateCondition(rule.condition, { resource, parameters: rule.parameters });
        } catch (e) {
          if (e instanceof PolicyExpressionError) throw new Error(`an expression could not be evaluated: ${e.message}`, { cause: e });
          throw e;
        }
        const location = truth.at && truth.at.length ? resource.locate(truth.at) : resource.location;
        const detail = truth.detail ? `: ${truth.detail}` : '';
        if (truth.state === true) return [{ outcome: 'fail', message: `${rule.subject}: the resource matches the rule${detail}.`, location }];
        if (truth.state === 'unknown') return [{ outcome: 'unknown', message: `${rule.subject}: cannot decide before deployment${detail}.`, location }];
        return [{ outcome: 'pass', message: `${rule.subject}: the resource does not match the rule.`, location }];
      },
    };
  });
}
