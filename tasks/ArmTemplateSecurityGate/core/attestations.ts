/**
 * Inline attestations: written in a resource's `metadata.armgate.attestations`, they cover that
 * one resource. The attestation file, matching and expiry are the common ones
 * (tasks/common/report/attestations.ts), shared with every other check.
 */
import { readAttestationFields, type Attestation } from '../../common/report/attestations';
import { UnknownValue, type EvaluatedResource, type EvaluatedValue } from './model';

export interface InlineAttestations {
  attestations: Attestation[];
  problems: Array<{ message: string; line: number }>;
}

/** What nearly every resource has: shared, never changed (the scan only reads it). */
const NONE: InlineAttestations = { attestations: [], problems: [] };

/**
 * Inline attestations of one resource, bound to it under the name reports show (`shownName`,
 * asked only when the resource has attestations: it masks secrets, which costs a pass over the
 * name). A malformed entry is returned as a problem rather than thrown, so one bad template does
 * not stop the scan.
 */
export function inlineAttestations(resource: EvaluatedResource, file: string, shownName: (resource: EvaluatedResource) => string = (r) => r.name): InlineAttestations {
  const metadata = asObject(resource.body['metadata']);
  const armgate = metadata && asObject(metadata['armgate']);
  const list = armgate?.['attestations'];
  if (!Array.isArray(list)) return NONE;
  const out: Attestation[] = [];
  const problems: Array<{ message: string; line: number }> = [];
  const name = shownName(resource);
  list.forEach((entry, i) => {
    const line = resource.locate(['metadata', 'armgate', 'attestations', i]).line;
    const obj = asObject(entry);
    try {
      if (!obj) throw new Error('each attestation must be an object');
      const fields = readAttestationFields(obj, (p) => {
        throw new Error(p);
      });
      out.push({ ...fields, selector: {}, source: file, line, bound: { file, subject: { type: resource.type, name } } });
    } catch (err) {
      problems.push({ message: `inline attestation ${i + 1} of '${name}': ${(err as Error).message}`, line });
    }
  });
  return { attestations: out, problems };
}

function asObject(value: EvaluatedValue | undefined): { [key: string]: EvaluatedValue } | undefined {
  return value !== null && value !== undefined && typeof value === 'object' && !Array.isArray(value) && !(value instanceof UnknownValue) ? value : undefined;
}
