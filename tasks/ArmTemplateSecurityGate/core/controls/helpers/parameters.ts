/**
 * Control parameters: a control declares its thresholds in meta.parameters and receives their values
 * in its rule factory — `resourceControl({ ...meta, parameters: { minimumVersion: { type: 'version',
 * default: '1.2', doc: '…' } } }, ({ minimumVersion }) => expectMinVersion(path, minimumVersion, …))` —
 * so settings can change a threshold without touching the control. Texts of the meta (title,
 * rationale, remediation) write a parameter as {minimumVersion} and read the value in force.
 */
import type { ControlMeta, ControlParameter, ControlParameters, ParameterValue } from '../../model';
import { parseVersion } from './expectations';

export type ParameterSettings = Readonly<Record<string, ParameterValue>>;

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*)\}/g;

export function defaultValues(specs: ControlParameters): ParameterSettings {
  return Object.freeze(Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, spec.default])));
}

/** A value as prose shows it: a list of texts reads "a, b". */
export function showParameter(value: ParameterValue): string {
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(', ');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** {name} placeholders replaced by the values in force; in JSON text (a snippet) the value is escaped for a string. */
export function fillText(text: string, values: ParameterSettings, json = false): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    if (value === undefined) return whole;
    const shown = showParameter(value);
    return json ? JSON.stringify(shown).slice(1, -1) : shown;
  });
}

/** The names a text refers to as {name}. */
export function placeholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** The meta with its texts reading `values`. */
export function metaWith(meta: ControlMeta, values: ParameterSettings): ControlMeta {
  return {
    ...meta,
    title: fillText(meta.title, values),
    rationale: fillText(meta.rationale, values),
    remediation: { text: fillText(meta.remediation.text, values), snippet: fillText(meta.remediation.snippet, values, true) },
  };
}

/**
 * Why `value` cannot be the value of a parameter so declared (undefined when it can). Values come
 * from settings files as YAML gives them: numbers, strings, lists.
 */
export function parameterProblem(spec: ControlParameter, value: unknown): string | undefined {
  switch (spec.type) {
    case 'version':
      if (typeof value === 'number') value = String(value);
      if (typeof value !== 'string' || !parseVersion(value)) return `expected a version such as '${spec.default}', got ${describe(value)}`;
      return undefined;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return `expected a whole number, got ${describe(value)}`;
      if (spec.min !== undefined && value < spec.min) return `expected at least ${spec.min}, got ${value}`;
      if (spec.max !== undefined && value > spec.max) return `expected at most ${spec.max}, got ${value}`;
      return undefined;
    case 'string':
      if (typeof value !== 'string' || value.trim() === '') return `expected a text, got ${describe(value)}`;
      return notAllowed(spec.allowed, [value]);
    case 'string[]':
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v.trim() === '')) return `expected a list of texts, got ${describe(value)}`;
      return notAllowed(spec.allowed, value as string[]);
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `expected true or false, got ${describe(value)}`;
    case 'json':
      if (value === undefined) return 'expected a value';
      if (spec.shape && shapeOf(value) !== spec.shape && !(spec.shape === 'number' && shapeOf(value) === 'integer')) return `expected ${spec.shape === 'array' ? 'a list' : spec.shape === 'object' ? 'a mapping' : `a value of type ${spec.shape}`}, got ${describe(value)}`;
      if (spec.allowed && !spec.allowed.some((a) => JSON.stringify(a).toLowerCase() === JSON.stringify(value).toLowerCase())) {
        return `${JSON.stringify(value)} is not one of ${spec.allowed.map((a) => JSON.stringify(a)).join(', ')}`;
      }
      return undefined;
  }
}

/** A valid settings value in the form the control reads (a version written as a YAML number is text). */
export function parameterValue(spec: ControlParameter, value: unknown): ParameterValue {
  if (spec.type === 'version' && typeof value === 'number') return String(value);
  if (spec.type === 'string[]') return Object.freeze([...(value as string[])]);
  return value as ParameterValue;
}

function shapeOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function notAllowed(allowed: readonly string[] | undefined, values: readonly string[]): string | undefined {
  if (!allowed) return undefined;
  const bad = values.find((v) => !allowed.some((a) => a.toLowerCase() === v.toLowerCase()));
  return bad === undefined ? undefined : `'${bad}' is not one of ${allowed.map((a) => `'${a}'`).join(', ')}`;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/**
 * A control made once per set of values: `make(meta, values)` builds it, and its `configure()` builds
 * it again with some values changed. Controls without parameters are made once, as they are.
 */
export function configurable<C extends { meta: ControlMeta; parameterValues?: ParameterSettings; configure?(values: ParameterSettings): C }>(
  meta: ControlMeta,
  make: (meta: ControlMeta, values: ParameterSettings) => C,
): C {
  const specs = meta.parameters;
  if (!specs) return make(meta, {});
  const build = (values: ParameterSettings): C => {
    const control = make(metaWith(meta, values), values);
    control.parameterValues = values;
    control.configure = (changed) => build(Object.freeze({ ...values, ...changed }));
    return control;
  };
  return build(defaultValues(specs));
}

/** The parameter types a custom control may declare. */
export const CONTROL_PARAMETER_TYPES = ['version', 'integer', 'string', 'string[]', 'boolean'] as const;
