/**
 * Test helpers: templates written as objects, evaluated by the engine alone (in memory) or scanned
 * end to end by evaluate() from a temporary folder, with every log line and report kept.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { evaluate } from '../../../tasks/ArmTemplateSecurityGate/core/evaluate';
import { loadAndEvaluate } from '../../../tasks/ArmTemplateSecurityGate/core/engine';
import { SecretTracker } from '../../../tasks/ArmTemplateSecurityGate/core/engine/secrets';
import type { EvaluatedTemplate } from '../../../tasks/ArmTemplateSecurityGate/core/model';
import { nodeGateDeps } from '../../../tasks/ArmTemplateSecurityGate/task/node-deps';
import { REPORT_FORMATS, findReporter } from '../../../tasks/ArmTemplateSecurityGate/core/reporters';
import type { EvaluateOptions, ScanResult } from '../../../tasks/ArmTemplateSecurityGate/core/scan-types';

export const SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';
export const PSCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#';

export const tpl = (o: object): object => ({ $schema: SCHEMA, contentVersion: '1.0.0.0', ...o });
export const params = (values: Record<string, unknown>): object => ({
  $schema: PSCHEMA, contentVersion: '1.0.0.0', parameters: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { value: v }])),
});

export const storage = (name: string, properties: object, extra: object = {}): object => ({
  type: 'Microsoft.Storage/storageAccounts', apiVersion: '2023-05-01', name, location: 'westeurope', kind: 'StorageV2', sku: { name: 'Standard_LRS' }, properties, ...extra,
});

const text = (v: string | object): string => (typeof v === 'string' ? v : JSON.stringify(v, null, 2));

/** The engine alone over in-memory files; `main.json` is evaluated. */
export function evaluateFiles(files: Record<string, string | object>, secrets?: SecretTracker): EvaluatedTemplate {
  const root = path.resolve('/mem');
  const m = new Map(Object.entries(files).map(([k, v]) => [path.resolve(root, k), text(v)]));
  const engineFs = {
    readFile(p: string): string {
      const t = m.get(path.resolve(p));
      if (t === undefined) throw new Error(`ENOENT ${p}`);
      return t;
    },
    exists: (p: string) => m.has(path.resolve(p)),
  };
  return loadAndEvaluate(path.resolve(root, 'main.json'), { fs: engineFs, displayPath: (p) => path.relative(root, p), secrets });
}

export interface Scanned {
  result: ScanResult;
  /** Log lines, then every report as rendered. */
  outputs: string[];
  /** Values announced as secrets (what the task registers with the agent). */
  announced: string[];
}

/** A full scan (evaluate(): engine, controls, verdict) of files written to a temporary folder. */
export function scanFiles(files: Record<string, string | object>, options: Partial<EvaluateOptions> = {}): Scanned {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'armgate-engine-'));
  try {
    for (const [name, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text(content));
    }
    const outputs: string[] = [];
    const announced: string[] = [];
    const deps = nodeGateDeps({ debug: (m) => outputs.push(m), info: (m) => outputs.push(m), warning: (m) => outputs.push(m), error: (m) => outputs.push(m) });
    deps.onSecret = (v) => announced.push(v);
    const result = evaluate({ paths: ['.'], root: dir, ...options }, deps);
    for (const format of REPORT_FORMATS) outputs.push(findReporter(format)!.render(result, { color: false, verbose: true }));
    return { result, outputs, announced };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
