/** Fakes that behave like the real engine, catalogue and file system, for scan and reporter tests. */
import * as path from 'node:path';
import {
  TemplateError,
  UnknownValue,
  type Control,
  type EvaluatedResource,
  type EvaluatedTemplate,
  type EvaluatedValue,
  type ResourceControl,
  type TemplateControl,
} from '../../tasks/ArmTemplateSecurityGate/core/model';
import type { GateDeps, GateEngine, GateFs } from '../../tasks/ArmTemplateSecurityGate/core/scan-types';
import { MemoryFileSystem } from '../helpers/memory-file-system';
import { silentLogger } from '../../tasks/common/log/logger';

export const ROOT = path.resolve('/repo');

/** The common in-memory file system, rooted at ROOT as the scan tests' paths are. */
export class MemoryFs extends MemoryFileSystem {
  constructor(files: Record<string, string> = {}) {
    super(files, ROOT);
  }
}

export function resource(
  file: string,
  type: string,
  name: string,
  body: { [key: string]: EvaluatedValue },
  line = 10,
  extra: Partial<EvaluatedResource> = {},
): EvaluatedResource {
  return {
    type,
    name,
    body,
    location: { file, line, column: 5 },
    locate: (p) => ({ file, line: line + p.length, column: 7 }),
    deploymentPath: [],
    ...extra,
  };
}

const meta = (id: string, severity: 'high' | 'medium' | 'low', types: string[], since = '2026-11-01') => ({
  id,
  title: `Title of ${id}`,
  severity,
  featureSet: 'Storage',
  resourceTypes: types,
  rationale: `Why ${id} matters.`,
  remediation: { text: `Fix ${id}.`, snippet: '{ "properties": { "x": true } }' },
  references: { azsk: [`Azure_${id}`], checkov: ['CKV_AZURE_1'] },
  since,
});

/** Passes when properties.secure === true, unknown for an UnknownValue, fails otherwise. */
export function boolControl(id: string, severity: 'high' | 'medium' | 'low', types: string[], since?: string): ResourceControl {
  return {
    kind: 'resource',
    meta: meta(id, severity, types, since),
    check(r) {
      const props = r.body.properties as { [k: string]: EvaluatedValue } | undefined;
      const v = props?.secure;
      const location = r.locate(['properties', 'secure']);
      if (v instanceof UnknownValue) return [{ outcome: 'unknown', message: `secure ${v.reason}`, location }];
      return v === true ? [{ outcome: 'pass', message: 'secure is on', location }] : [{ outcome: 'fail', message: 'secure is off', location }];
    },
  };
}

export function secureParamControl(): TemplateControl {
  return {
    kind: 'template',
    meta: { ...meta('secure-params', 'high', []), featureSet: 'Template' },
    check: (t) =>
      t.parameters
        .filter((p) => /password/i.test(p.name))
        .map((p) => ({
          outcome: p.type.toLowerCase() === 'securestring' ? ('pass' as const) : ('fail' as const),
          message: `parameter '${p.name}' is ${p.type}`,
          location: p.location,
          resource: { type: 'parameter', name: p.name },
        })),
  };
}

export function throwingControl(): ResourceControl {
  return { kind: 'resource', meta: meta('broken', 'low', ['Microsoft.Storage/storageAccounts']), check: () => { throw new Error('boom'); } };
}

export type TemplateSpec = (file: string, parametersFile?: string) => EvaluatedTemplate;

/** Any file whose text has "$schema" with deploymentTemplate is a template; the template itself comes from `specs`. */
export function fakeEngine(fs: MemoryFs, specs: Record<string, TemplateSpec>, controls: Control[]): GateEngine & { calls: Array<{ file: string; parametersFile?: string }> } {
  const calls: Array<{ file: string; parametersFile?: string }> = [];
  return {
    calls,
    controls,
    classify: (_file, text) => (/deploymentTemplate/.test(text) ? 'template' : /deploymentParameters/.test(text) ? 'parameters' : 'other'),
    findParameterFile: (t) => {
      const p = t.replace(/\.json$/, '.parameters.json');
      return fs.exists(p) ? p : undefined;
    },
    loadAndEvaluate(file, options) {
      const parametersFile = options.parametersFile ?? undefined;
      calls.push({ file, parametersFile });
      const shown = options.displayPath(file);
      if (/"broken"/.test(fs.readText(file))) throw new TemplateError("unknown function 'concatt'", { file: shown, line: 7, column: 12 });
      const spec = specs[shown];
      if (!spec) return { file: shown, resources: [], parameters: [], outputs: [], diagnostics: [] };
      return spec(shown, parametersFile);
    },
  };
}

export const TEMPLATE_TEXT = '{ "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#" }';
export const PARAMS_TEXT = '{ "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#" }';

export function deps(fs: GateFs, today = '2026-11-23T10:00:00Z'): GateDeps & { warnings: string[] } {
  const warnings: string[] = [];
  return { fs, clock: { now: () => new Date(today) }, logger: { ...silentLogger, warning: (m) => warnings.push(m) }, warnings };
}

export function template(file: string, resources: EvaluatedResource[], extra: Partial<EvaluatedTemplate> = {}): EvaluatedTemplate {
  return { file, resources, parameters: [], outputs: [], diagnostics: [], ...extra };
}
