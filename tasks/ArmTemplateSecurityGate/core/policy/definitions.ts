/**
 * Azure Policy definitions as controls: the standard definition JSON (as exported from Azure or
 * kept in Azure/azure-policy), its parameters with their defaults, values from an assignment
 * parameter file, and the settings file. The result's ruleId is the definition's name, its title
 * the displayName; effect deny fails, audit warns, disabled leaves the control out, and effects
 * that act after deployment are listed as not evaluated.
 */
import * as path from 'node:path';
import { FileError } from '../../../common/errors';
import { parameterProblem } from '../controls/helpers/parameters';
import { DocReader, readDocument, type DocNode } from '../documents';
import type { ControlMeta, ControlParameter, EvaluatedValue, ParameterValue, ResourceControl, Severity } from '../model';
import { checkExpressions, readCondition, type Condition } from './conditions';
import { conditionControl } from './condition-control';
import { evaluatePolicyValue, isExpression } from './expressions';

export const POLICY_FEATURE_SET = 'Policy';

const TOP_KEYS = ['name', 'id', 'type', 'properties', 'systemData'] as const;
const PROPERTY_KEYS = [
  'displayName', 'policyType', 'mode', 'description', 'metadata', 'version', 'versions', 'parameters', 'policyRule', 'externalEvaluationEnforcementSettings',
] as const;
const PARAMETER_KEYS = ['type', 'metadata', 'defaultValue', 'allowedValues', 'schema'] as const;
const PARAMETER_TYPES = ['String', 'Array', 'Object', 'Boolean', 'Integer', 'Float', 'DateTime'] as const;
type PolicyParameterType = (typeof PARAMETER_TYPES)[number];

/** Effects judged before deployment, and what they mean here. */
const JUDGED: Record<string, { severity: Severity }> = { deny: { severity: 'high' }, audit: { severity: 'medium' } };
/** Effects that act on or after deployment: a template shows nothing they judge. */
const AFTER_DEPLOYMENT: Record<string, string> = {
  auditifnotexists: 'auditIfNotExists judges related resources after deployment',
  deployifnotexists: 'deployIfNotExists deploys related resources after deployment',
  modify: 'modify changes the resource as it is deployed',
  append: 'append adds properties as the resource is deployed',
  denyaction: 'denyAction blocks delete operations, not deployments',
  manual: 'manual compliance is attested in Azure',
  mutate: 'mutate changes Kubernetes objects in the cluster',
};

export interface AssignmentValues {
  text: string;
  /** As shown in messages. */
  file: string;
}

/** The parameter file beside a definition: `<name>.parameters.json` for `<name>.json`. */
export function assignmentFileFor(definitionFile: string): string {
  return definitionFile.replace(/\.(json|jsonc|ya?ml)$/i, '') + '.parameters.json';
}

/**
 * A control from a policy definition. `settingsGive(parameter)` says whether the settings file
 * gives the parameter a value, so one with neither default nor assignment value is not an error
 * when the settings will set it.
 */
export function readPolicyDefinition(text: string, file: string, assignment: AssignmentValues | undefined, settingsGive: (name: string, parameter: string) => boolean): ResourceControl {
  const r: DocReader = new DocReader(file);
  const root = readDocument(text, file);
  if (!root || root.kind !== 'map') r.fail(root, 'a policy definition must be a JSON object with properties.policyRule');
  const bare = root.entries!.some((e) => e.key.toLowerCase() === 'policyrule');
  const top = bare ? new Map<string, DocNode>() : r.map(root, 'the policy definition', TOP_KEYS, { caseInsensitive: true });
  const propsNode = bare ? root : (top.get('properties') ?? r.fail(root, "a policy definition needs 'properties' (with policyRule)"));
  const props = r.map(propsNode, "'properties'", PROPERTY_KEYS, { caseInsensitive: true });
  const name = top.has('name') ? r.string(top.get('name'), "'name'").trim() : path.basename(file).replace(/\.(json|jsonc|ya?ml)$/i, '');
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) r.fail(top.get('name') ?? root, `the definition name '${name}' is not a control id (letters, digits, '.', '_', '-')`);
  const displayName = props.has('displayName') ? r.string(props.get('displayName'), "'displayName'").trim() : name;
  const description = props.has('description') ? r.optionalString(props.get('description'), "'description'") : undefined;
  const modeText = props.has('mode') ? r.string(props.get('mode'), "'mode'").trim() : 'Indexed';

  const declared = readParameters(r, props.get('parameters'));
  const names = new Set(Object.keys(declared).map((n) => n.toLowerCase()));
  const ruleNode = props.get('policyRule') ?? r.fail(propsNode, "a policy definition needs 'policyRule'");
  const rule = r.map(ruleNode, "'policyRule'", ['if', 'then'], { caseInsensitive: true });
  const condition: Condition = readCondition(r, rule.get('if') ?? r.fail(ruleNode, "'policyRule' needs 'if'"), "policyRule.if", { parameters: names });
  const then = r.map(rule.get('then') ?? r.fail(ruleNode, "'policyRule' needs 'then'"), "policyRule.then", ['effect', 'details'], { caseInsensitive: true });
  const effectNode = then.get('effect') ?? r.fail(rule.get('then'), "'then' needs 'effect'");
  const effectRaw = r.string(effectNode, "'effect'");
  checkExpressions(r, { parameters: names }, effectNode);

  const values = assignment ? readAssignment(assignment, declared) : new Map<string, ParameterValue>();
  const parameters = new Map<string, ControlParameter>();
  for (const [p, d] of Object.entries(declared)) {
    const value = values.has(p) ? values.get(p)! : d.defaultValue;
    if (value === undefined && !settingsGive(name, p)) {
      r.fail(d.node, `parameter '${p}' has no defaultValue and no value${assignment ? ` in ${assignment.file}` : ` (give one in ${path.basename(assignmentFileFor(file))} beside the definition, or in the settings file)`}`);
    }
    parameters.set(p, { type: 'json', default: value ?? MISSING, doc: d.doc, shape: SHAPES[d.type], ...(d.allowed ? { allowed: d.allowed } : {}) });
  }

  const meta: ControlMeta = {
    id: name,
    title: displayName,
    severity: 'high',
    featureSet: POLICY_FEATURE_SET,
    resourceTypes: ['*'],
    rationale: description?.trim() || `Azure Policy definition '${displayName}'.`,
    remediation: { text: `Change the resource so that the policy '${displayName}' no longer matches it.`, snippet: '' },
    references: {},
    since: '',
    ...(parameters.size ? { parameters: Object.fromEntries(parameters) } : {}),
  };
  const mode = modeText.toLowerCase();
  return conditionControl(meta, (settings) => {
    const params = settings as Readonly<Record<string, EvaluatedValue>>;
    const unset = Object.keys(settings).filter((p) => settings[p] === MISSING);
    if (unset.length) {
      return { meta: { notEvaluated: `parameter ${unset.join(', ')} has no value` }, rule: { condition, mode: 'all', parameters: params, subject: displayName } };
    }
    const effect = resolveEffect(effectRaw, params, file, effectNode);
    const judged = Object.hasOwn(JUDGED, effect) ? JUDGED[effect] : undefined;
    const afterDeployment = Object.hasOwn(AFTER_DEPLOYMENT, effect) ? AFTER_DEPLOYMENT[effect] : undefined;
    const notJudged = mode !== 'all' && mode !== 'indexed' ? `mode ${modeText} judges objects inside the service, not the resources a template deploys` : afterDeployment;
    return {
      meta: {
        effect,
        ...(notJudged && effect !== 'disabled' ? { notEvaluated: notJudged } : {}),
        severity: judged?.severity ?? 'medium',
        resourceTypes: typesOf(condition, params),
      },
      rule: { condition, mode: mode === 'all' ? 'all' : 'indexed', parameters: params, subject: `Policy '${displayName}' (${effect})` },
    };
  });
}

interface DeclaredParameter {
  type: PolicyParameterType;
  defaultValue?: ParameterValue;
  allowed?: ParameterValue[];
  doc: string;
  node: DocNode;
}

const SHAPES: Record<PolicyParameterType, 'string' | 'array' | 'object' | 'boolean' | 'integer' | 'number'> = {
  String: 'string', DateTime: 'string', Array: 'array', Object: 'object', Boolean: 'boolean', Integer: 'integer', Float: 'number',
};

/** Stands for a value the settings file gives (checked above), until it is applied. */
const MISSING: ParameterValue = Object.freeze({ missing: 'given by the settings file' });

function readParameters(r: DocReader, node: DocNode | undefined): Record<string, DeclaredParameter> {
  const out = new Map<string, DeclaredParameter>();
  if (node === undefined || node.value === null) return {};
  for (const { key, keyNode, node: p } of r.entries(node, "'parameters'")) {
    const what = `parameter '${key}'`;
    const f = r.map(p, what, PARAMETER_KEYS, { caseInsensitive: true });
    const type = r.oneOf(f.get('type') ?? r.fail(p, `${what} needs 'type'`), `'type' of ${what}`, PARAMETER_TYPES);
    const metadata = f.get('metadata');
    const md = metadata?.kind === 'map' ? (metadata.value as Record<string, unknown>) : {};
    const doc = [md.description, md.displayName].find((d): d is string => typeof d === 'string' && d.trim() !== '') ?? `Parameter '${key}' of the policy definition.`;
    const d: DeclaredParameter = { type, doc, node: keyNode };
    const allowed = f.get('allowedValues');
    if (allowed !== undefined) d.allowed = r.list(allowed, `'allowedValues' of ${what}`).map((n) => n.value as ParameterValue);
    const def = f.get('defaultValue');
    if (def !== undefined) {
      const problem = parameterProblem({ type: 'json', default: null, doc, shape: SHAPES[type], ...(d.allowed ? { allowed: d.allowed } : {}) }, def.value);
      if (problem) r.fail(def, `'defaultValue' of ${what}: ${problem}`);
      d.defaultValue = def.value as ParameterValue;
    }
    out.set(key, d);
  }
  return Object.fromEntries(out);
}

/** Assignment parameter values: { "name": { "value": … } }, optionally inside { "parameters": … } as ARM parameter files write them. */
function readAssignment(assignment: AssignmentValues, declared: Record<string, DeclaredParameter>): Map<string, ParameterValue> {
  const r: DocReader = new DocReader(assignment.file);
  const root = readDocument(assignment.text, assignment.file);
  const out = new Map<string, ParameterValue>();
  if (!root) return out;
  const wrapped = root.kind === 'map' && root.entries!.some((e) => e.key === 'parameters');
  const holder = wrapped ? r.map(root, 'the parameter file', ['$schema', 'contentVersion', 'parameters']).get('parameters') : root;
  for (const { key, keyNode, node } of r.entries(holder, 'the parameter values')) {
    const d = Object.hasOwn(declared, key) ? declared[key] : undefined;
    if (!d) r.fail(keyNode, `the definition declares no parameter '${key}'${Object.keys(declared).length ? ` (it declares ${Object.keys(declared).join(', ')})` : ''}`);
    const value = r.map(node, `the value of '${key}'`, ['value']).get('value') ?? r.fail(node, `'${key}' needs { "value": … }`);
    const problem = parameterProblem({ type: 'json', default: null, doc: d.doc, shape: SHAPES[d.type], ...(d.allowed ? { allowed: d.allowed } : {}) }, value.value);
    if (problem) r.fail(value, `parameter '${key}': ${problem}`);
    out.set(key, value.value as ParameterValue);
  }
  return out;
}

function resolveEffect(raw: string, parameters: Readonly<Record<string, EvaluatedValue>>, file: string, node: DocNode): string {
  const v = isExpression(raw)
    ? evaluatePolicyValue(raw, { parameters, field: () => null, current: () => null })
    : raw;
  if (typeof v !== 'string') throw new FileError(file, `the effect ${raw} does not give an effect name`, node.line);
  const effect = v.trim().toLowerCase();
  if (!Object.hasOwn(JUDGED, effect) && !Object.hasOwn(AFTER_DEPLOYMENT, effect) && effect !== 'disabled') {
    throw new FileError(file, `unknown effect '${v}' (expected deny, audit, disabled, or one of ${Object.keys(AFTER_DEPLOYMENT).join(', ')})`, node.line);
  }
  return effect;
}

/**
 * The resource types a rule can match, read from `type` conditions every match needs (at the top,
 * or directly under a top-level allOf): equals or in, with literal or parameter values. Anything
 * else may match any type.
 */
function typesOf(condition: Condition, parameters: Readonly<Record<string, EvaluatedValue>>): string[] {
  const parts = condition.kind === 'allOf' ? condition.items : [condition];
  for (const c of parts) {
    if (c.kind !== 'leaf' || c.operand.kind !== 'field' || c.operand.field.toLowerCase() !== 'type') continue;
    if (c.operator !== 'equals' && c.operator !== 'in') continue;
    let v: EvaluatedValue;
    try {
      v = evaluatePolicyValue(c.expected, { parameters, field: () => null, current: () => null });
    } catch {
      continue;
    }
    const list = Array.isArray(v) ? v : [v];
    if (list.length && list.every((t) => typeof t === 'string' && t.includes('/'))) return list as string[];
  }
  return ['*'];
}
