/**
 * Attestations: justified, approved and expiring deviations from a control, kept either in a
 * YAML file beside the templates (owned by a security team) or inline in a resource's
 * `metadata.armgate.attestations`. An attested finding stays in every report; an expired
 * attestation fails the gate; one that matches nothing is reported so stale ones get cleaned up.
 */
import { minimatch } from 'minimatch';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { FileError } from '../../common/errors';
import { UnknownValue, type Control, type EvaluatedResource, type EvaluatedValue } from './model';

export interface Attestation {
  control: string;
  resource: { type?: string; name?: string; file?: string };
  justification: string;
  approvedBy?: string;
  /** YYYY-MM-DD; the attestation holds through that day (UTC). */
  expiresOn: string;
  source: string;
  line?: number;
  /** Inline attestations apply only to the resource that carries them. */
  inline?: { file: string; resourceName: string; resourceType: string };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const KEYS = new Set(['control', 'resource', 'justification', 'approvedBy', 'expiresOn']);
const RESOURCE_KEYS = new Set(['type', 'name', 'file']);

/** Parses an attestation file; every problem names the file and line. */
export function parseAttestationFile(text: string, displayPath: string): Attestation[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const lineOf = (node: YamlNode | null | undefined): number | undefined =>
    node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    throw new FileError(displayPath, `invalid YAML: ${e.message.split('\n')[0]}`, lineCounter.linePos(e.pos[0]).line);
  }
  const root = doc.contents;
  if (root === null) return [];
  if (!isMap(root)) throw new FileError(displayPath, "expected a mapping with an 'attestations' list", lineOf(root));
  // A misspelt top-level key ('attestation:') would otherwise read as an empty file.
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? pair.key.value : pair.key;
    if (key !== 'attestations') throw new FileError(displayPath, `unknown key '${String(key)}' (expected 'attestations')`, lineOf(pair.key as YamlNode));
  }
  const list = root.get('attestations', true);
  if (list === undefined || list === null) return [];
  if (!isSeq(list)) throw new FileError(displayPath, "'attestations' must be a list", lineOf(list as YamlNode));

  return list.items.map((item) => {
    const line = lineOf(item as YamlNode);
    const fail = (problem: string): never => {
      throw new FileError(displayPath, problem, line);
    };
    if (!isMap(item)) return fail('each attestation must be a mapping');
    const raw = (item.toJSON() ?? {}) as Record<string, unknown>;
    for (const key of Object.keys(raw)) {
      if (!KEYS.has(key)) fail(`unknown key '${key}' (expected ${[...KEYS].join(', ')})`);
    }
    const resource = raw.resource ?? {};
    if (typeof resource !== 'object' || Array.isArray(resource)) fail("'resource' must be a mapping of type, name, file");
    const sel = resource as Record<string, unknown>;
    for (const key of Object.keys(sel)) {
      if (!RESOURCE_KEYS.has(key)) fail(`unknown key 'resource.${key}' (expected type, name, file)`);
      if (typeof sel[key] !== 'string' || sel[key] === '') fail(`'resource.${key}' must be a non-empty string`);
    }
    return {
      ...common(raw, fail),
      resource: { type: sel.type as string | undefined, name: sel.name as string | undefined, file: sel.file as string | undefined },
      source: displayPath,
      line,
    };
  });
}

function common(
  raw: Record<string, unknown>,
  fail: (problem: string) => never,
): Pick<Attestation, 'control' | 'justification' | 'approvedBy' | 'expiresOn'> {
  const control = raw.control;
  if (typeof control !== 'string' || control.trim() === '') fail("'control' is required (a control id)");
  const justification = raw.justification;
  if (typeof justification !== 'string' || justification.trim() === '') fail("'justification' is required");
  const approvedBy = raw.approvedBy;
  if (approvedBy !== undefined && typeof approvedBy !== 'string') fail("'approvedBy' must be a string");
  const expiresOn = toDate(raw.expiresOn);
  if (!expiresOn) fail("'expiresOn' is required, as a date YYYY-MM-DD");
  return {
    control: (control as string).trim(),
    justification: (justification as string).trim(),
    approvedBy: approvedBy as string | undefined,
    expiresOn: expiresOn as string,
  };
}

function toDate(value: unknown): string | undefined {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString().slice(0, 10);
  if (typeof value !== 'string' || !DATE.test(value.trim())) return undefined;
  const v = value.trim();
  // Date.parse takes 2027-02-31 (as 3 March); a date that does not exist is a typo.
  const t = Date.parse(v);
  return Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== v ? undefined : v;
}

/**
 * Inline attestations of one resource. A malformed entry is returned as a problem rather than
 * thrown, so one bad template does not stop the scan.
 */
export function inlineAttestations(
  resource: EvaluatedResource,
  file: string,
): { attestations: Attestation[]; problems: Array<{ message: string; line: number }> } {
  const out: Attestation[] = [];
  const problems: Array<{ message: string; line: number }> = [];
  const metadata = asObject(resource.body.metadata);
  const armgate = metadata && asObject(metadata.armgate);
  const list = armgate?.attestations;
  if (!Array.isArray(list)) return { attestations: out, problems };
  list.forEach((entry, i) => {
    const line = resource.locate(['metadata', 'armgate', 'attestations', i]).line;
    const obj = asObject(entry);
    try {
      if (!obj) throw new Error('each attestation must be an object');
      const base = common(obj as Record<string, unknown>, (p) => {
        throw new Error(p);
      });
      out.push({
        ...base,
        resource: {},
        source: file,
        line,
        inline: { file, resourceName: resource.name, resourceType: resource.type },
      });
    } catch (err) {
      problems.push({ message: `inline attestation ${i + 1} of '${resource.name}': ${(err as Error).message}`, line });
    }
  });
  return { attestations: out, problems };
}

function asObject(value: EvaluatedValue | undefined): { [key: string]: EvaluatedValue } | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof UnknownValue)
    ? value
    : undefined;
}

export function isExpired(attestation: Attestation, today: Date): boolean {
  return today.toISOString().slice(0, 10) > attestation.expiresOn;
}

/** `*` matches any run of characters (including '/', since resource names nest), `?` one. */
function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

export interface AttestationTarget {
  ruleId: string;
  file: string;
  resource: { type: string; name: string };
}

export function controlMatches(id: string, control: Control | undefined, ruleId: string): boolean {
  const want = id.toLowerCase();
  if (want === ruleId.toLowerCase()) return true;
  return (control?.meta.references.azsk ?? []).some((a) => a.toLowerCase() === want);
}

export function attestationMatches(a: Attestation, target: AttestationTarget, control: Control | undefined): boolean {
  if (!controlMatches(a.control, control, target.ruleId)) return false;
  if (a.inline) {
    return a.inline.file === target.file && a.inline.resourceName === target.resource.name && a.inline.resourceType.toLowerCase() === target.resource.type.toLowerCase();
  }
  const sel = a.resource;
  if (sel.type && !globToRegExp(sel.type).test(target.resource.type)) return false;
  if (sel.name && !globToRegExp(sel.name).test(target.resource.name)) return false;
  if (sel.file && !minimatch(target.file, sel.file, { dot: true, matchBase: !sel.file.includes('/') })) return false;
  return true;
}

export function describeSelector(a: Attestation): string {
  if (a.inline) return `${a.inline.resourceType} '${a.inline.resourceName}' in ${a.inline.file}`;
  const parts = [a.resource.type && `type ${a.resource.type}`, a.resource.name && `name ${a.resource.name}`, a.resource.file && `file ${a.resource.file}`];
  const text = parts.filter(Boolean).join(', ');
  return text || 'any resource';
}
