import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { schemasDir } from '../../scripts/paths';

let cached: ((data: unknown) => string[]) | undefined;

/** Validates a SARIF log against the committed SARIF 2.1.0 schema (scripts/schemas); returns the problems. */
export function sarifProblems(log: unknown): string[] {
  if (!cached) {
    const schema = JSON.parse(fs.readFileSync(path.join(schemasDir(), 'sarif-2.1.0.schema.json'), 'utf8')) as object;
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    cached = (data) => (validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
  }
  return cached(log);
}
