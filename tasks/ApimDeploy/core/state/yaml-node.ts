/**
 * A YAML document read as typed values, every value knowing its file and line: a model file
 * with a wrong type, an unknown key or a missing field fails naming `file:line`, the place the
 * user has to edit, not a path in a JavaScript object.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { FileError } from '../../../common/errors';

export class YamlNode {
  constructor(
    readonly file: string,
    private readonly node: Node | null | undefined,
    private readonly lines: LineCounter,
    /** Where the key that holds this value is, for a value that is empty. */
    private readonly keyLine?: number,
    /** `apis.orders.path`, for messages. */
    readonly where = '',
  ) {}

  get line(): number | undefined {
    const offset = this.node?.range?.[0];
    return offset === undefined ? this.keyLine : this.lines.linePos(offset).line;
  }

  /** The line of the key that declares this value (an entity's line), else the value's own. */
  get declaredLine(): number | undefined {
    return this.keyLine ?? this.line;
  }

  get present(): boolean {
    return this.node !== null && this.node !== undefined && !(isScalar(this.node) && this.node.value === null);
  }

  get isScalar(): boolean {
    return isScalar(this.node);
  }

  /** A problem with this value: a scalar's own line, a mapping's or list's key line (where the reader looks for it). */
  fail(problem: string): never {
    const line = isScalar(this.node) || this.keyLine === undefined ? this.line : this.keyLine;
    throw new FileError(this.file, `${this.where ? `'${this.where}': ` : ''}${problem}`, line);
  }

  /** Entries of a mapping in file order; keys not in `allowed` fail naming the key's line. */
  entries(allowed?: readonly string[]): Array<[string, YamlNode]> {
    if (!this.present) return [];
    if (!isMap(this.node)) this.fail('expected a mapping (key: value lines)');
    const out: Array<[string, YamlNode]> = [];
    const seen = new Set<string>();
    for (const pair of this.node.items) {
      const keyNode = pair.key as Node | null;
      const key = isScalar(keyNode) ? String(keyNode.value) : '';
      const keyLine = keyNode?.range ? this.lines.linePos(keyNode.range[0]).line : this.line;
      const where = this.where ? `${this.where}.${key}` : key;
      if (!key) throw new FileError(this.file, `${this.where ? `'${this.where}': ` : ''}a key must be plain text`, keyLine);
      if (allowed && !allowed.includes(key)) throw new FileError(this.file, `unknown key '${where}' (expected one of: ${allowed.join(', ')})`, keyLine);
      if (seen.has(key.toLowerCase())) throw new FileError(this.file, `'${where}' is given twice`, keyLine);
      seen.add(key.toLowerCase());
      out.push([key, new YamlNode(this.file, pair.value as Node | null, this.lines, keyLine, where)]);
    }
    return out;
  }

  /** The mapping's values by key (keys checked against `allowed`). */
  fields(allowed: readonly string[]): Record<string, YamlNode | undefined> {
    return Object.fromEntries(this.entries(allowed));
  }

  items(): YamlNode[] {
    if (!this.present) return [];
    if (!isSeq(this.node)) this.fail('expected a list (- item lines or [a, b])');
    return this.node.items.map((n, i) => new YamlNode(this.file, n as Node, this.lines, this.line, `${this.where}[${i}]`));
  }

  private scalar(): unknown {
    if (!isScalar(this.node)) this.fail('expected a single value, not a list or mapping');
    return this.node.value;
  }

  string(): string {
    const v = this.scalar();
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    return this.fail('expected text');
  }

  bool(): boolean {
    const v = this.scalar();
    if (typeof v !== 'boolean') this.fail(`expected true or false; got '${String(v)}'`);
    return v;
  }

  int(min: number, max: number): number {
    const v = this.scalar();
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) this.fail(`expected a whole number from ${min} to ${max}; got '${String(v)}'`);
    return v;
  }

  oneOf<T extends string>(allowed: readonly T[]): T {
    const v = this.string();
    const hit = allowed.find((a) => a.toLowerCase() === v.toLowerCase());
    if (!hit) this.fail(`'${v}' is not one of: ${allowed.join(', ')}`);
    return hit;
  }

  /** A list of text values; a single value is taken as a list of one. */
  strings(): string[] {
    if (!this.present) return [];
    return isSeq(this.node) ? this.items().map((n) => n.string()) : [this.string()];
  }
}

/** Parses a YAML file; a syntax error names the file, line and column. */
export function parseYamlFile(text: string, file: string): YamlNode {
  const lines = new LineCounter();
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter: lines, uniqueKeys: false });
  const first = doc.errors[0];
  if (first) throw new FileError(file, `not valid YAML: ${first.message.split('\n')[0]}`, first.linePos?.[0]?.line, first.linePos?.[0]?.col);
  return new YamlNode(file, doc.contents, lines, 1);
}

/** Optional helpers over a possibly missing field. */
export const opt = {
  string: (n: YamlNode | undefined) => (n?.present ? n.string() : undefined),
  bool: (n: YamlNode | undefined) => (n?.present ? n.bool() : undefined),
  int: (n: YamlNode | undefined, min: number, max: number) => (n?.present ? n.int(min, max) : undefined),
};
