import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { FileError } from '../../common/errors';
import { parseUserXml } from './xml-document';

/** A policy document ready to send, with the name messages use for it (file path or input). */
export interface PolicyDocument {
  source: string;
  xml: string;
}

export interface NamedValueRef {
  name: string;
  line: number;
}

const SECTIONS = ['inbound', 'backend', 'outbound', 'on-error'];

/**
 * Checks what APIM would reject, before anything is sent: well-formed XML (line and column from
 * the parser), a single `<policies>` root, and only the four known sections under it.
 */
export function checkPolicyXml(doc: PolicyDocument, level: 'global' | 'product' | 'api' | 'operation' = 'api'): void {
  const result = XMLValidator.validate(doc.xml, { allowBooleanAttributes: true });
  if (result !== true) {
    throw new FileError(doc.source, `policy XML is not well-formed: ${result.err.msg}`, result.err.line, result.err.col);
  }
  const tree = parseOrdered(doc.xml, doc.source);
  const roots = tree.filter((n) => elementName(n) !== undefined && !elementName(n)!.startsWith('?'));
  const [root] = roots;
  if (roots.length !== 1 || !root || elementName(root) !== 'policies') {
    throw new FileError(doc.source, `the root element must be <policies> (found ${roots.map((r) => `<${elementName(r)}>`).join(', ') || 'none'})`, 1);
  }
  for (const child of children(root)) {
    const name = elementName(child);
    if (name && name !== '#comment' && !SECTIONS.includes(name)) {
      throw new FileError(doc.source, `<policies> may hold only ${SECTIONS.map((s) => `<${s}>`).join(', ')}; found <${name}>`, lineOf(doc.xml, `<${name}`));
    }
  }
  if (level === 'global' && /<base\s*\/?>/.test(doc.xml)) {
    throw new FileError(doc.source, '<base /> is not allowed in the global (All APIs) policy: there is no parent scope to inherit from', lineOf(doc.xml, '<base'));
  }
}

/** A `{{name}}` named-value reference, as APIM resolves it in policies and backend credentials. */
const NAMED_VALUE_REF = /\{\{\s*([^{}\s]+)\s*\}\}/g;

/** Names of the named values `text` references. */
export function namedValueNames(text: string): string[] {
  return [...text.matchAll(NAMED_VALUE_REF)].map((m) => m[1] ?? '');
}

/** A value made only of named-value references (`{{orders-key}}`) holds no secret itself. */
export function onlyNamedValueReferences(value: string): boolean {
  return value.replace(NAMED_VALUE_REF, '').trim() === '' && namedValueNames(value).length > 0;
}

/**
 * `{{name}}` named-value references with their lines. Liquid bodies (`<set-body template="liquid">`)
 * use the same braces for their own variables, so they are left out.
 */
export function namedValueRefs(xml: string): NamedValueRef[] {
  const blanked = xml.replace(/<set-body\b[^>]*template\s*=\s*["']liquid["'][^>]*>[\s\S]*?<\/set-body>/gi, (m) => m.replace(/[^\n]/g, ' '));
  const refs: NamedValueRef[] = [];
  // Lines are counted once, from one match to the next: counting from the start for each match
  // made a 4 MB policy take a second and a 50 MB one minutes.
  let line = 1;
  let counted = 0;
  for (const m of blanked.matchAll(NAMED_VALUE_REF)) {
    for (let nl = blanked.indexOf('\n', counted); nl !== -1 && nl < m.index; nl = blanked.indexOf('\n', nl + 1)) line++;
    counted = m.index;
    refs.push({ name: m[1] ?? '', line });
  }
  return refs;
}

/**
 * A canonical form for comparing what APIM holds with what we would send: APIM reformats stored
 * policies (indentation, quotes, self-closing tags), so text equality would report false changes.
 */
export function canonicalPolicy(xml: string): string {
  try {
    return stableStringify(parseOrdered(xml));
  } catch {
    return xml.trim();
  }
}

export function samePolicy(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  return canonicalPolicy(a) === canonicalPolicy(b);
}

type OrderedNode = Record<string, unknown>;

/** The document in order; `source` names a user's document in errors (see parseUserXml). */
function parseOrdered(xml: string, source = 'the policy'): OrderedNode[] {
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    allowBooleanAttributes: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    commentPropName: '#comment',
  });
  return parseUserXml<OrderedNode[]>(parser, xml, source, 'the policy');
}

function elementName(node: OrderedNode): string | undefined {
  return Object.keys(node).find((k) => k !== ':@');
}

function children(node: OrderedNode): OrderedNode[] {
  const value = Object.entries(node).find(([k]) => k !== ':@')?.[1];
  return Array.isArray(value) ? (value as OrderedNode[]) : [];
}

function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  return at < 0 ? 1 : text.slice(0, at).split('\n').length;
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) {
    const kept = value.filter((v) => !(v && typeof v === 'object' && '#comment' in (v as object)));
    return `[${kept.map(stableStringify).join(',')}]`;
  }
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    return `{${Object.keys(obj)
      .filter((k) => k !== '#comment')
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableStringify(obj[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
