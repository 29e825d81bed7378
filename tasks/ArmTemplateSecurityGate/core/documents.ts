/**
 * The files a team writes for the gate — settings, custom controls, policy definitions and their
 * parameter values — read strictly: YAML (JSON is YAML too), every node with its line, so an unknown
 * key or a wrong type is an error at file:line that names what was expected.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { FileError } from '../../common/errors';

export interface DocNode {
  kind: 'map' | 'list' | 'scalar';
  line: number;
  column: number;
  /** The plain value (objects and arrays for maps and lists). */
  value: unknown;
  /** A scalar as written (a version 1.30 reads 1.3 as a number). */
  text?: string;
  /** Map entries in order, keyed as written. */
  entries?: ReadonlyArray<{ key: string; keyNode: DocNode; node: DocNode }>;
  items?: readonly DocNode[];
}

/** Parses a YAML or JSON text; a syntax error (and a repeated key) is a FileError at its line. */
export function readDocument(text: string, file: string): DocNode | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter, keepSourceTokens: true, prettyErrors: false });
  const error = doc.errors[0];
  if (error) {
    const at = lineCounter.linePos(error.pos[0]);
    throw new FileError(file, `invalid ${/^\s*[{[]/.test(text) ? 'JSON' : 'YAML'}: ${error.message.split('\n')[0]}`, at.line, at.col);
  }
  if (doc.contents === null) return undefined;
  return toNode(doc.contents, lineCounter, file);
}

function toNode(node: unknown, lines: LineCounter, file: string): DocNode {
  const y = node as YamlNode;
  const pos = y.range ? lines.linePos(y.range[0]) : { line: 1, col: 1 };
  const base = { line: pos.line, column: pos.col };
  if (isMap(y)) {
    const entries = y.items.map((pair) => {
      const keyNode = toNode(pair.key, lines, file);
      if (keyNode.kind !== 'scalar' || (typeof keyNode.value !== 'string' && typeof keyNode.value !== 'number')) {
        throw new FileError(file, 'a key must be a plain name', keyNode.line, keyNode.column);
      }
      const value = pair.value === null ? { kind: 'scalar' as const, ...base, line: keyNode.line, value: null } : toNode(pair.value, lines, file);
      return { key: String(keyNode.value), keyNode, node: value };
    });
    // Object.fromEntries keeps a "__proto__" key as an own key, never as the prototype.
    return { kind: 'map', ...base, value: Object.fromEntries(entries.map((e) => [e.key, e.node.value])), entries };
  }
  if (isSeq(y)) {
    const items = y.items.map((i) => toNode(i, lines, file));
    return { kind: 'list', ...base, value: items.map((i) => i.value), items };
  }
  if (isScalar(y)) {
    const source = (y as { srcToken?: { source?: string } }).srcToken?.source;
    const value = y.value instanceof Date ? y.value.toISOString().slice(0, 10) : y.value;
    return { kind: 'scalar', ...base, value, ...(typeof source === 'string' ? { text: source } : {}) };
  }
  throw new FileError(file, 'aliases and tags are not supported here', base.line, base.column);
}

/** Reads nodes of one file, failing at their lines. */
export class DocReader {
  constructor(readonly file: string) {}

  fail(node: { line: number; column?: number } | undefined, problem: string): never {
    throw new FileError(this.file, problem, node?.line ?? 1, node?.column);
  }

  /**
   * The entries of a map, every key one of `known` (compared without regard to case when
   * `caseInsensitive`); an unknown key is an error naming the closest known one.
   */
  map(node: DocNode | undefined, what: string, known: readonly string[], options: { caseInsensitive?: boolean } = {}): Map<string, DocNode> {
    if (!node || node.kind !== 'map') this.fail(node, `${what} must be a mapping${known.length ? ` (of ${known.join(', ')})` : ''}`);
    const out = new Map<string, DocNode>();
    for (const e of node.entries!) {
      const name = options.caseInsensitive ? known.find((k) => k.toLowerCase() === e.key.toLowerCase()) : known.find((k) => k === e.key);
      if (name === undefined) {
        const hint = closest(e.key, known);
        this.fail(e.keyNode, `unknown key '${e.key}' in ${what}${hint ? ` (did you mean '${hint}'?)` : ''}; expected ${known.join(', ')}`);
      }
      if (out.has(name)) this.fail(e.keyNode, `'${name}' is given twice in ${what}`);
      out.set(name, e.node);
    }
    return out;
  }

  /** A map whose keys are free (names of controls, parameters, tags). */
  entries(node: DocNode | undefined, what: string): ReadonlyArray<{ key: string; keyNode: DocNode; node: DocNode }> {
    if (!node || node.kind !== 'map') this.fail(node, `${what} must be a mapping`);
    return node.entries!;
  }

  string(node: DocNode | undefined, what: string): string {
    if (!node || node.kind !== 'scalar' || typeof node.value !== 'string' || node.value.trim() === '') this.fail(node, `${what} must be a text`);
    return node.value;
  }

  optionalString(node: DocNode | undefined, what: string): string | undefined {
    return node === undefined || node.value === null ? undefined : this.string(node, what);
  }

  bool(node: DocNode | undefined, what: string): boolean {
    if (!node || typeof node.value !== 'boolean') this.fail(node, `${what} must be true or false`);
    return node.value;
  }

  oneOf<T extends string>(node: DocNode | undefined, what: string, allowed: readonly T[]): T {
    const text = this.string(node, what);
    const found = allowed.find((a) => a.toLowerCase() === text.toLowerCase());
    if (found === undefined) this.fail(node, `${what} must be one of ${allowed.join(', ')}, not '${text}'`);
    return found;
  }

  list(node: DocNode | undefined, what: string): readonly DocNode[] {
    if (!node || node.kind !== 'list') this.fail(node, `${what} must be a list`);
    return node.items!;
  }

  strings(node: DocNode | undefined, what: string): string[] {
    return this.list(node, what).map((n, i) => this.string(n, `${what}[${i}]`));
  }

  date(node: DocNode | undefined, what: string): string {
    const text = this.string(node, what).trim();
    const t = Date.parse(text);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== text) this.fail(node, `${what} must be a date YYYY-MM-DD`);
    return text;
  }
}

/** The known name a mistyped one most likely meant: the one it begins, or one a few edits away. */
export function closest(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const extending = known.filter((k) => lower.length >= 3 && k.toLowerCase().startsWith(lower));
  if (extending.length === 1) return extending[0];
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 4)) + 1;
  for (const k of known) {
    const d = distance(lower, k.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length];
}
