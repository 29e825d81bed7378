/**
 * Turns a fixture file into an EvaluatedTemplate the way the engine would hand it to controls:
 * - `{"$unknown": "reason"}` (optionally with "expression") becomes an UnknownValue located where it is written;
 * - `locate(path)` answers with the real line/column of the deepest node of that path in the fixture file,
 *   so tests can assert that results point at the deciding value.
 *
 * Fixture shape: { resources: [{ type, name, apiVersion?, existing?, body }], parameters?: [...], outputs?: [...] }.
 */
import * as fs from 'fs';
import { findNodeAtLocation, Node, parseTree } from 'jsonc-parser';
import {
  EvaluatedResource,
  EvaluatedTemplate,
  EvaluatedValue,
  SourceLocation,
  TemplateOutputInfo,
  TemplateParameterInfo,
  UnknownValue,
} from '../../../tasks/ArmTemplateSecurityGate/core/model';

export type Segment = string | number;

export interface LoadedFixture {
  template: EvaluatedTemplate;
  file: string;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

export function loadFixture(file: string): LoadedFixture {
  const text = fs.readFileSync(file, 'utf8');
  const root = parseTree(text);
  if (!root) throw new Error(`${file}: not JSON`);
  const starts = lineStarts(text);
  const at = (offset: number): SourceLocation => {
    let line = 0;
    while (line + 1 < starts.length && starts[line + 1]! <= offset) line++;
    return { file, line: line + 1, column: offset - starts[line]! + 1 };
  };
  /** Deepest existing node along `path` below `base`. */
  const deepest = (base: Segment[], path: readonly Segment[]): Node => {
    let node = findNodeAtLocation(root, base)!;
    for (const seg of path) {
      const next = findNodeAtLocation(node, [seg]);
      if (!next) break;
      node = next;
    }
    // Point at the property (key) rather than its value, like an editor would.
    return node.parent?.type === 'property' ? node.parent : node;
  };

  const convert = (value: unknown, path: Segment[]): EvaluatedValue => {
    if (Array.isArray(value)) return value.map((v, i) => convert(v, [...path, i]));
    if (value !== null && typeof value === 'object') {
      const obj = value as Record<string, unknown>;
      if (typeof obj['$unknown'] === 'string') {
        const node = findNodeAtLocation(root, path)!;
        return new UnknownValue(obj['$unknown'], at(node.offset), typeof obj['expression'] === 'string' ? obj['expression'] : undefined);
      }
      const out: { [key: string]: EvaluatedValue } = {};
      for (const [k, v] of Object.entries(obj)) out[k] = convert(v, [...path, k]);
      return out;
    }
    return value as EvaluatedValue;
  };

  const raw = JSON.parse(text) as {
    resources?: { type: string; name: string; apiVersion?: string; existing?: boolean; body?: Record<string, unknown> }[];
    parameters?: { name: string; type: string; hasLiteralDefault?: boolean; defaultValue?: unknown }[];
    outputs?: { name: string; type: string; value?: unknown; exposesSecret?: boolean; secretReason?: string }[];
  };

  const resources: EvaluatedResource[] = (raw.resources ?? []).map((r, i) => {
    const base: Segment[] = ['resources', i];
    const bodyBase: Segment[] = [...base, 'body'];
    return {
      type: r.type,
      name: r.name,
      apiVersion: r.apiVersion,
      existing: r.existing,
      body: (r.body ? convert(r.body, bodyBase) : {}) as { [key: string]: EvaluatedValue },
      location: at(findNodeAtLocation(root, base)!.offset),
      locate: (path: ReadonlyArray<string | number>) => at(deepest(bodyBase, path).offset),
      deploymentPath: [],
    };
  });
  const parameters: TemplateParameterInfo[] = (raw.parameters ?? []).map((p, i) => ({
    name: p.name,
    type: p.type,
    hasLiteralDefault: p.hasLiteralDefault ?? p.defaultValue !== undefined,
    ...(p.defaultValue !== undefined ? { literalDefault: convert(p.defaultValue, ['parameters', i, 'defaultValue']) } : {}),
    location: at(findNodeAtLocation(root, ['parameters', i])!.offset),
  }));
  const outputs: TemplateOutputInfo[] = (raw.outputs ?? []).map((o, i) => ({
    name: o.name,
    type: o.type,
    value: convert(o.value ?? null, ['outputs', i, 'value']),
    exposesSecret: o.exposesSecret ?? false,
    secretReason: o.secretReason,
    location: at(findNodeAtLocation(root, ['outputs', i])!.offset),
  }));
  return { file, template: { file, resources, parameters, outputs, diagnostics: [] } };
}
