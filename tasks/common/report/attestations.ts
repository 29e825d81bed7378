/**
 * Attestations: justified, approved and expiring deviations from a check, kept in a YAML file
 * beside what is checked (owned by a security team) or written on the subject itself (inline).
 * An attested finding stays in every report; an expired attestation fails the gate; one that
 * matches nothing is reported so stale ones get cleaned up.
 *
 * The file format (every check reads the same one):
 *   attestations:
 *     - control: storage-https-only          # check id, or an alias (an AzSK id)
 *       resource: { type: …, name: …, file: … }   # optional selector; * and ? in type and name, a glob in file
 *       justification: …
 *       approvedBy: …                        # optional
 *       expiresOn: 2027-01-31
 */
import { minimatch } from 'minimatch';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { FileError } from '../errors';
import type { AttestationNote, Subject } from './model';

export interface Attestation {
  control: string;
  /** Which subjects it covers; every subject when empty. */
  selector: { type?: string; name?: string; file?: string };
  justification: string;
  approvedBy?: string;
  /** YYYY-MM-DD; the attestation holds through that day (UTC). */
  expiresOn: string;
  /** Where it is written. */
  source: string;
  line?: number;
  /** Written on one subject (inline): it covers that subject at that place only. */
  bound?: { file: string; subject: Subject };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const KEYS = ['control', 'resource', 'justification', 'approvedBy', 'expiresOn'];
const SELECTOR_KEYS = ['type', 'name', 'file'];

/** One list entry as read, with the line it starts on. */
interface RawEntry {
  value: unknown;
  line?: number;
}

/**
 * Parses an attestation file; every problem names the file and line. YAML, of which JSON is a
 * part: a file that is valid JSON (generated ones, which can hold 100k entries) is read by a JSON
 * parser, an order of magnitude faster than a YAML one, with the same checks and line numbers.
 */
export function parseAttestationFile(text: string, displayPath: string): Attestation[] {
  const entries = jsonEntries(text, displayPath) ?? yamlEntries(text, displayPath);
  const out: Attestation[] = [];
  for (const { value, line } of entries) out.push(toAttestation(value, line, displayPath));
  return out;
}

function yamlEntries(text: string, displayPath: string): RawEntry[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const lineOf = (node: YamlNode | null | undefined): number | undefined => (node?.range ? lineCounter.linePos(node.range[0]).line : undefined);
  const firstError = doc.errors[0];
  if (firstError) throw new FileError(displayPath, `invalid YAML: ${firstError.message.split('\n')[0]}`, lineCounter.linePos(firstError.pos[0]).line);
  const root = doc.contents;
  if (root === null) return [];
  if (!isMap(root)) throw new FileError(displayPath, "expected a mapping with an 'attestations' list", lineOf(root));
  // A misspelt top-level key ('attestation:') would otherwise read as an empty file.
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? pair.key.value : pair.key;
    if (key !== 'attestations') throw new FileError(displayPath, `unknown key '${String(key)}' (expected 'attestations')`, lineOf(pair.key));
  }
  const list = root.get('attestations', true);
  if (list === undefined || list === null) return [];
  if (!isSeq(list)) throw new FileError(displayPath, "'attestations' must be a list", lineOf(list));
  return list.items.map((item) => {
    const line = lineOf(item as YamlNode);
    if (!isMap(item)) throw new FileError(displayPath, 'each attestation must be a mapping', line);
    return { value: (item as { toJSON(): unknown }).toJSON(), line };
  });
}

/** The entries of a file that is valid JSON; undefined for anything else (YAML reads it). */
function jsonEntries(text: string, displayPath: string): RawEntry[] | undefined {
  const source = text.replace(/^\uFEFF/, ' ');
  if (!/^\s*[{[]/.test(source)) return undefined;
  let doc: unknown;
  try {
    // JSON.parse keeps a "__proto__" key as the own key it is.
    doc = JSON.parse(source);
  } catch {
    return undefined;
  }
  const lineAt = lineIndex(source);
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new FileError(displayPath, "expected a mapping with an 'attestations' list", 1);
  const root = doc as Record<string, unknown>;
  for (const key of Object.keys(root)) if (key !== 'attestations') throw new FileError(displayPath, `unknown key '${key}' (expected 'attestations')`, 1);
  const list = root.attestations;
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new FileError(displayPath, "'attestations' must be a list", 1);
  const starts = elementOffsets(source);
  return list.map((value: unknown, i) => ({ value, line: starts[i] !== undefined ? lineAt(starts[i]) : undefined }));
}

/** The 1-based line of an offset, by binary search over the line starts. */
function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/**
 * Where each element of the one array value of a valid JSON object ({ "attestations": [ … ] })
 * starts: a single pass that skips strings and counts nesting.
 */
function elementOffsets(json: string): number[] {
  const out: number[] = [];
  let depth = 0;
  let expectElement = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === 34 /* " */) {
      if (expectElement) {
        out.push(i);
        expectElement = false;
      }
      for (i++; i < json.length && json.charCodeAt(i) !== 34; i++) if (json.charCodeAt(i) === 92 /* \ */) i++;
      continue;
    }
    if (c === 32 || c === 9 || c === 10 || c === 13) continue;
    if (depth === 2 && c === 44 /* , */) {
      expectElement = true;
      continue;
    }
    if (expectElement) {
      out.push(i);
      expectElement = false;
    }
    if (c === 123 /* { */ || c === 91 /* [ */) {
      depth++;
      if (depth === 2 && c === 91) expectElement = true;
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      depth--;
      expectElement = false;
    }
  }
  return out;
}

function toAttestation(raw: unknown, line: number | undefined, displayPath: string): Attestation {
  const fail = (problem: string): never => {
    throw new FileError(displayPath, problem, line);
  };
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return fail('each attestation must be a mapping');
  const entry = raw as Record<string, unknown>;
  for (const key of Object.keys(entry)) {
    if (!KEYS.includes(key)) fail(`unknown key '${key}' (expected ${KEYS.join(', ')})`);
  }
  const resource = Object.hasOwn(entry, 'resource') ? entry.resource : {};
  if (resource === null || typeof resource !== 'object' || Array.isArray(resource)) fail("'resource' must be a mapping of type, name, file");
  const sel = resource as Record<string, unknown>;
  const selector: Attestation['selector'] = {};
  for (const key of Object.keys(sel)) {
    if (!SELECTOR_KEYS.includes(key)) fail(`unknown key 'resource.${key}' (expected type, name, file)`);
    const v = sel[key];
    if (typeof v !== 'string' || v === '') fail(`'resource.${key}' must be a non-empty string`);
    selector[key as keyof Attestation['selector']] = v as string;
  }
  return { ...readAttestationFields(entry, fail), selector, source: displayPath, line };
}

/** The fields every attestation has, file or inline; `fail` says what is wrong. */
export function readAttestationFields(
  raw: Record<string, unknown>,
  fail: (problem: string) => never,
): Pick<Attestation, 'control' | 'justification' | 'approvedBy' | 'expiresOn'> {
  const own = (key: string): unknown => (Object.hasOwn(raw, key) ? raw[key] : undefined);
  const control = own('control');
  if (typeof control !== 'string' || control.trim() === '') fail("'control' is required (a control id)");
  const justification = own('justification');
  if (typeof justification !== 'string' || justification.trim() === '') fail("'justification' is required");
  const approvedBy = own('approvedBy');
  if (approvedBy !== undefined && typeof approvedBy !== 'string') fail("'approvedBy' must be a string");
  const expiresOn = toDate(own('expiresOn'));
  if (!expiresOn) fail("'expiresOn' is required, as a date YYYY-MM-DD");
  return {
    control: control.trim(),
    justification: justification.trim(),
    ...(approvedBy !== undefined ? { approvedBy } : {}),
    expiresOn,
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

export function isExpired(attestation: Attestation, today: Date): boolean {
  return today.toISOString().slice(0, 10) > attestation.expiresOn;
}

/**
 * `*` matches any run of characters (including '/', since resource names nest), `?` exactly one;
 * case-insensitive. Linear in the text for a given pattern: the parts between stars are found
 * left to right, each as early as it occurs (a regular expression with several `.*` backtracks
 * cubically on a long name).
 */
export function wildcardMatch(pattern: string, text: string): boolean {
  const p = pattern.toLowerCase();
  const t = text.toLowerCase();
  const parts = p.split('*');
  if (parts.length === 1) return sameLength(p, t) && matchAt(p, t, 0);
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (first.length + last.length > t.length) return false;
  if (!matchAt(first, t, 0) || !matchAt(last, t, t.length - last.length)) return false;
  let at = first.length;
  const end = t.length - last.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const part = parts[i]!;
    const found = findFrom(part, t, at, end);
    if (found < 0) return false;
    at = found + part.length;
  }
  return true;
}

function sameLength(a: string, b: string): boolean {
  return a.length === b.length;
}

/** Whether `part` (with `?` for any one character) matches `t` at `at`. */
function matchAt(part: string, t: string, at: number): boolean {
  if (at < 0 || at + part.length > t.length) return false;
  for (let i = 0; i < part.length; i++) {
    const c = part.charCodeAt(i);
    if (c !== 63 /* ? */ && c !== t.charCodeAt(at + i)) return false;
  }
  return true;
}

/** First position in [from, end - part.length] where `part` matches. */
function findFrom(part: string, t: string, from: number, end: number): number {
  if (part.length === 0) return from;
  if (!part.includes('?')) {
    const i = t.indexOf(part, from);
    return i >= 0 && i + part.length <= end ? i : -1;
  }
  for (let i = from; i + part.length <= end; i++) if (matchAt(part, t, i)) return i;
  return -1;
}

/** A finding as attestations see it. */
export interface AttestationTarget {
  ruleId: string;
  /** Other ids of the same check (AzSK control ids): an attestation or skip may name any of them. */
  aliases: readonly string[];
  /** The file (or URL) of the finding. */
  file: string;
  subject: Subject;
}

/** Whether `id` names the check `ruleId` or one of its aliases (case-insensitively). */
export function idMatches(id: string, ruleId: string, aliases: readonly string[]): boolean {
  const want = id.toLowerCase();
  return want === ruleId.toLowerCase() || aliases.some((a) => a.toLowerCase() === want);
}

export function attestationMatches(a: Attestation, target: AttestationTarget): boolean {
  if (!idMatches(a.control, target.ruleId, target.aliases)) return false;
  return coversSubject(a, target);
}

function coversSubject(a: Attestation, target: AttestationTarget): boolean {
  if (a.bound) {
    return a.bound.file === target.file && a.bound.subject.name === target.subject.name && a.bound.subject.type.toLowerCase() === target.subject.type.toLowerCase();
  }
  const sel = a.selector;
  if (sel.type !== undefined && !wildcardMatch(sel.type, target.subject.type)) return false;
  if (sel.name !== undefined && !wildcardMatch(sel.name, target.subject.name)) return false;
  if (sel.file !== undefined && !minimatch(target.file, sel.file, { dot: true, matchBase: !sel.file.includes('/') })) return false;
  return true;
}

export function describeSelector(a: Attestation): string {
  if (a.bound) return `${a.bound.subject.type} '${a.bound.subject.name}' in ${a.bound.file}`;
  const s = a.selector;
  const parts = [s.type && `type ${s.type}`, s.name && `name ${s.name}`, s.file && `file ${s.file}`];
  return parts.filter(Boolean).join(', ') || 'any resource';
}

export function attestationNote(a: Attestation): AttestationNote {
  return { control: a.control, source: a.source, line: a.line, expiresOn: a.expiresOn, justification: a.justification, selector: describeSelector(a) };
}

/**
 * Attestations by the check id they name and, when they name one subject exactly, by that name:
 * a finding is compared only with the attestations for its own check and name (plus the few
 * written with wildcards), so applying them is linear in findings plus attestations, not their
 * product (attestation files with 100k entries exist).
 */
export class AttestationIndex {
  private readonly byControl = new Map<string, { exact: Map<string, Attestation[]>; wild: Attestation[] }>();
  private readonly position = new Map<Attestation, number>();

  constructor(readonly all: readonly Attestation[]) {
    all.forEach((a, i) => {
      this.position.set(a, i);
      const key = a.control.toLowerCase();
      let entry = this.byControl.get(key);
      if (!entry) {
        entry = { exact: new Map(), wild: [] };
        this.byControl.set(key, entry);
      }
      const name = a.bound ? a.bound.subject.name : a.selector.name;
      if (name === undefined || /[*?]/.test(name)) {
        entry.wild.push(a);
        return;
      }
      const k = name.toLowerCase();
      const list = entry.exact.get(k);
      if (list) list.push(a);
      else entry.exact.set(k, [a]);
    });
  }

  /** The attestations that cover the target, in the order they were written. */
  matching(target: AttestationTarget): Attestation[] {
    const out: Attestation[] = [];
    const name = target.subject.name.toLowerCase();
    for (const id of new Set([target.ruleId, ...target.aliases].map((x) => x.toLowerCase()))) {
      const entry = this.byControl.get(id);
      if (!entry) continue;
      for (const a of entry.exact.get(name) ?? []) if (coversSubject(a, target)) out.push(a);
      for (const a of entry.wild) if (coversSubject(a, target)) out.push(a);
    }
    return out.length > 1 ? out.sort((x, y) => this.position.get(x)! - this.position.get(y)!) : out;
  }
}

/** What an attestation does to a finding. */
export interface Attestable {
  outcome: 'pass' | 'fail' | 'unknown' | 'attested' | 'error';
  message: string;
  attestedOutcome?: 'fail' | 'unknown';
  attestation?: { source: string; line?: number; justification: string; approvedBy?: string; expiresOn: string; expired: boolean };
}

/**
 * Applies the attestations to every failed or unknown finding: a valid one makes it 'attested'
 * (the outcome it had is kept), an expired one stays on the finding and says so. A valid
 * attestation wins over an expired one for the same finding (a renewal written beside the old one).
 * Returns the attestations that matched at least one finding.
 */
export function applyAttestations<T extends Attestable>(findings: readonly T[], index: AttestationIndex, today: Date, targetOf: (f: T) => AttestationTarget): Set<Attestation> {
  const used = new Set<Attestation>();
  if (index.all.length === 0) return used;
  for (const f of findings) {
    if (f.outcome !== 'fail' && f.outcome !== 'unknown') continue;
    const candidates = index.matching(targetOf(f));
    const a = candidates.find((c) => !isExpired(c, today)) ?? candidates[0];
    if (!a) continue;
    used.add(a);
    const expired = isExpired(a, today);
    f.attestation = { source: a.source, line: a.line, justification: a.justification, approvedBy: a.approvedBy, expiresOn: a.expiresOn, expired };
    if (expired) {
      f.message += ` — attestation expired on ${a.expiresOn} (${a.source}${a.line ? `:${a.line}` : ''}); renew or fix`;
    } else {
      f.attestedOutcome = f.outcome;
      f.outcome = 'attested';
    }
  }
  return used;
}
