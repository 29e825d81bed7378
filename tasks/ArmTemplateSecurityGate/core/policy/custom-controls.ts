/**
 * Custom controls without code: one YAML (or JSON) file per control in a folder, with the fields
 * every control has and an `if` condition in Azure Policy's language that a violating resource
 * matches. Parameters are declared as built-in controls declare theirs, so settings change them.
 */
import { CONTROL_PARAMETER_TYPES, parameterProblem } from '../controls/helpers/parameters';
import { DocReader, readDocument, type DocNode } from '../documents';
import type { ControlMeta, ControlParameter, ControlParameters, EvaluatedValue, ResourceControl } from '../model';
import { SEVERITIES } from '../../../common/report/model';
import { readCondition } from './conditions';
import { conditionControl, type PolicyMode } from './condition-control';

const KEYS = ['id', 'title', 'severity', 'rationale', 'remediation', 'resourceTypes', 'mode', 'since', 'parameters', 'if'] as const;
const PARAMETER_KEYS = ['type', 'default', 'doc', 'min', 'max', 'allowed'] as const;
const TYPE = /^(\*|[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)+(\/[A-Za-z0-9]+)+)$/;

export const CUSTOM_FEATURE_SET = 'Custom';

/** A custom control from its file's text; every problem is an error at file:line. */
export function readCustomControl(text: string, file: string): ResourceControl {
  const r: DocReader = new DocReader(file);
  const root = readDocument(text, file);
  const fields = r.map(root, 'a custom control', KEYS);
  const required = (key: (typeof KEYS)[number]): DocNode => fields.get(key) ?? r.fail(root, `a custom control needs '${key}'`);
  const id = r.string(required('id'), "'id'").trim();
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) r.fail(fields.get('id'), `'id' must be kebab-case (lower-case words joined by '-'), not '${id}'`);
  const typesNode = required('resourceTypes');
  const resourceTypes = r.strings(typesNode, "'resourceTypes'");
  if (resourceTypes.length === 0) r.fail(typesNode, "'resourceTypes' must list at least one type, or '*' for every type");
  resourceTypes.forEach((t, i) => {
    if (!TYPE.test(t)) r.fail(typesNode.items![i], `'${t}' is not a resource type (Microsoft.Storage/storageAccounts) or '*'`);
  });
  const parameters = readParameters(r, fields.get('parameters'));
  const declared = new Set(Object.keys(parameters).map((p) => p.toLowerCase()));
  const condition = readCondition(r, required('if'), "'if'", { parameters: declared });
  const mode: PolicyMode = fields.has('mode') ? r.oneOf(fields.get('mode'), "'mode'", ['all', 'indexed'] as const) : 'all';
  const meta: ControlMeta = {
    id,
    title: r.string(required('title'), "'title'").trim(),
    severity: r.oneOf(required('severity'), "'severity'", SEVERITIES),
    featureSet: CUSTOM_FEATURE_SET,
    resourceTypes,
    rationale: r.string(required('rationale'), "'rationale'").trim(),
    remediation: { text: r.optionalString(fields.get('remediation'), "'remediation'")?.trim() ?? 'Change the resource so that it no longer matches the condition of this control.', snippet: '' },
    references: {},
    since: fields.has('since') ? r.date(fields.get('since'), "'since'") : '',
    ...(Object.keys(parameters).length ? { parameters } : {}),
  };
  return conditionControl(meta, (values) => ({
    rule: { condition, mode, parameters: values as Readonly<Record<string, EvaluatedValue>>, subject: `Control '${id}'` },
  }));
}

function readParameters(r: DocReader, node: DocNode | undefined): ControlParameters {
  if (node === undefined || node.value === null) return {};
  const out = new Map<string, ControlParameter>();
  for (const { key, node: p } of r.entries(node, "'parameters'")) {
    const what = `parameter '${key}'`;
    if (!/^[a-z][A-Za-z0-9]*$/.test(key)) r.fail(p, `${what}: a parameter name is camelCase letters and digits`);
    const f = r.map(p, what, PARAMETER_KEYS);
    const type = r.oneOf(f.get('type') ?? r.fail(p, `${what} needs 'type'`), `'type' of ${what}`, CONTROL_PARAMETER_TYPES);
    const defaultNode = f.get('default') ?? r.fail(p, `${what} needs 'default'`);
    const doc = r.string(f.get('doc') ?? r.fail(p, `${what} needs 'doc'`), `'doc' of ${what}`).trim();
    const raw = type === 'version' && typeof defaultNode.value === 'number' && defaultNode.text ? defaultNode.text : defaultNode.value;
    const spec = { type, default: raw, doc } as ControlParameter;
    if (f.has('min') || f.has('max')) {
      if (type !== 'integer') r.fail(f.get('min') ?? f.get('max'), `${what}: min and max go with type integer`);
      for (const k of ['min', 'max'] as const) {
        const n = f.get(k);
        if (n === undefined) continue;
        if (typeof n.value !== 'number' || !Number.isInteger(n.value)) r.fail(n, `'${k}' of ${what} must be a whole number`);
        (spec as { min?: number; max?: number })[k] = n.value;
      }
    }
    if (f.has('allowed')) {
      if (type !== 'string' && type !== 'string[]') r.fail(f.get('allowed'), `${what}: 'allowed' goes with type string or string[]`);
      (spec as { allowed?: string[] }).allowed = r.strings(f.get('allowed'), `'allowed' of ${what}`);
    }
    const problem = parameterProblem(spec, spec.default);
    if (problem) r.fail(defaultNode, `'default' of ${what}: ${problem}`);
    out.set(key, spec);
  }
  return Object.fromEntries(out);
}
