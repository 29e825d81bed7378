import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { validationError } from './errors';

export type PolicyScope = 'global' | 'product' | 'api' | 'operation';

export interface PolicyReferences {
  /** Named values are referenced by their displayName, as in the real service. */
  namedValueExists(displayName: string): boolean;
  backendExists(id: string): boolean;
  /** `<include-fragment fragment-id="…"/>` must name a policy fragment of the service. */
  fragmentExists?(id: string): boolean;
}

const SECTIONS = new Set(['inbound', 'backend', 'outbound', 'on-error']);

/**
 * `rawxml` lets policy expressions (`@(...)`, `@{...}`) hold characters XML forbids (quotes in
 * attributes, `<`, `&&`); the service escapes them before parsing. Returns the `xml` form.
 */
export function escapeExpressions(raw: string): string {
  return transformExpressions(raw, 'raw', (expr) => expr.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'));
}

/** The inverse, for GET ?format=rawxml. */
export function unescapeExpressions(xml: string): string {
  return transformExpressions(xml, 'escaped', (expr) => expr.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
}

function transformExpressions(text: string, mode: 'raw' | 'escaped', map: (expr: string) => string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i);
      const stop = end < 0 ? text.length : end + 3;
      out += text.slice(i, stop);
      i = stop;
      continue;
    }
    if (text[i] === '@' && (text[i + 1] === '(' || text[i + 1] === '{')) {
      const end = matchExpression(text, i + 1, mode);
      if (end > 0) {
        out += map(text.slice(i, end + 1));
        i = end + 1;
        continue;
      }
    }
    out += text[i];
    i++;
  }
  return out;
}

/** Index of the bracket closing the one at `start`, skipping C# string and char literals; -1 if unbalanced. */
function matchExpression(text: string, start: number, mode: 'raw' | 'escaped'): number {
  let depth = 0;
  let inString = false;
  let verbatim = false;
  for (let j = start; j < text.length; j++) {
    const ch = text[j];
    const quote = ch === '"' ? 1 : mode === 'escaped' && text.startsWith('&quot;', j) ? 6 : 0;
    if (inString) {
      if (mode === 'raw' && ch === '\\' && !verbatim) {
        j++;
      } else if (quote) {
        if (verbatim && text.startsWith(text.slice(j, j + quote), j + quote)) {
          j += 2 * quote - 1;
          continue;
        }
        inString = false;
        j += quote - 1;
      }
      continue;
    }
    if (quote) {
      inString = true;
      verbatim = text[j - 1] === '@';
      j += quote - 1;
    } else if (mode === 'raw' && ch === "'") {
      const close = text.indexOf("'", j + (text[j + 1] === '\\' ? 3 : 2));
      if (close > 0 && close - j <= 8) {
        j = close;
      }
    } else if (ch === '(' || ch === '{') {
      depth++;
    } else if (ch === ')' || ch === '}') {
      depth--;
      if (depth === 0) {
        return j;
      }
    } else if (ch === '<' && text[j + 1] === '/' && mode === 'raw' && depth > 0 && /^<\/[A-Za-z]/.test(text.slice(j, j + 3))) {
      // A closing tag inside an unbalanced expression: give up and let the XML check report it.
      return -1;
    }
  }
  return -1;
}

/**
 * Validates a policy document the way the service does before storing it and returns its `xml`
 * form. Throws the ValidationError the service would answer.
 */
export function validatePolicy(value: string, format: 'xml' | 'rawxml', scope: PolicyScope, refs: PolicyReferences): string {
  const xml = format === 'rawxml' ? escapeExpressions(value) : value;
  const strict = strictXmlProblem(xml);
  if (strict) {
    throw validationError({ target: 'representation', message: `${strict.msg} Line ${strict.line}, position ${strict.col}.` });
  }
  const check = XMLValidator.validate(xml);
  if (check !== true) {
    throw validationError({ target: 'representation', message: `${check.err.msg} Line ${check.err.line}, position ${check.err.col}.` });
  }
  const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, commentPropName: '#comment' });
  const nodes = parser.parse(xml) as Record<string, unknown>[];
  const roots = nodes.filter((n) => !('#comment' in n) && !('?xml' in n) && !('#text' in n));
  const rootName = roots.length === 1 ? Object.keys(roots[0]).find((k) => k !== ':@') : undefined;
  if (rootName !== 'policies') {
    const at = position(xml, xml.search(/<[A-Za-z]/));
    throw validationError({ target: rootName ?? 'representation', message: `Error in element '${rootName ?? ''}' on line ${at.line}, column ${at.column}: The root element of a policy must be 'policies'.` });
  }
  const children = (roots[0].policies as Record<string, unknown>[]) ?? [];
  for (const child of children) {
    const name = Object.keys(child).find((k) => k !== ':@');
    if (!name || name === '#comment' || (name === '#text' && String(child['#text']).trim() === '')) {
      continue;
    }
    if (!SECTIONS.has(name)) {
      const at = position(xml, xml.search(new RegExp(`<${escapeRegex(name)}[\\s/>]`)));
      throw validationError({ target: name, message: `Error in element '${name}' on line ${at.line}, column ${at.column}: Element '${name}' is not allowed under 'policies'. Allowed sections: inbound, backend, outbound, on-error.` });
    }
  }
  if (scope === 'global') {
    const idx = xml.search(/<base[\s/>]/);
    if (idx >= 0) {
      const at = position(xml, idx);
      throw validationError({ target: 'base', message: `Error in element 'base' on line ${at.line}, column ${at.column}: The 'base' policy is not allowed at the global (All APIs) scope; there is no parent scope to inherit from.` });
    }
  }
  const problems: { target: string; message: string }[] = [];
  for (const m of xml.matchAll(/\{\{\s*([^{}]+?)\s*\}\}/g)) {
    if (!refs.namedValueExists(m[1])) {
      const el = enclosingElement(xml, m.index ?? 0);
      problems.push({ target: el.name, message: `Error in element '${el.name}' on line ${el.line}, column ${el.column}: Cannot find a property '${m[1]}'` });
    }
  }
  for (const m of xml.matchAll(/<set-backend-service\b[^>]*?\bbackend-id\s*=\s*"([^"]*)"/g)) {
    const id = m[1];
    if (!id.includes('{{') && !id.startsWith('@') && !refs.backendExists(id)) {
      const at = position(xml, m.index ?? 0);
      problems.push({ target: 'set-backend-service', message: `Error in element 'set-backend-service' on line ${at.line}, column ${at.column}: Backend with id '${id}' could not be found.` });
    }
  }
  for (const m of xml.matchAll(/<include-fragment\b[^>]*?\bfragment-id\s*=\s*"([^"]*)"/g)) {
    const id = m[1];
    if (refs.fragmentExists && !refs.fragmentExists(id)) {
      const at = position(xml, m.index ?? 0);
      problems.push({ target: 'include-fragment', message: `Error in element 'include-fragment' on line ${at.line}, column ${at.column}: Policy fragment with id '${id}' could not be found.` });
    }
  }
  if (problems.length) {
    throw validationError(...problems);
  }
  return xml;
}

/**
 * A policy fragment's value: well-formed XML whose root is `<fragment>`, its `{{named values}}`
 * existing, as the service checks before storing it.
 */
export function validateFragment(value: string, refs: PolicyReferences): void {
  const strict = strictXmlProblem(value);
  if (strict) {
    throw validationError({ target: 'value', message: `${strict.msg} Line ${strict.line}, position ${strict.col}.` });
  }
  const check = XMLValidator.validate(value);
  if (check !== true) {
    throw validationError({ target: 'value', message: `${check.err.msg} Line ${check.err.line}, position ${check.err.col}.` });
  }
  if (!/^\s*(<\?xml[^>]*\?>\s*)?(<!--[\s\S]*?-->\s*)*<fragment[\s>]/.test(value)) {
    throw validationError({ target: 'value', message: `The root element of a policy fragment must be 'fragment'.` });
  }
  for (const m of value.matchAll(/\{\{\s*([^{}]+?)\s*\}\}/g)) {
    if (!refs.namedValueExists(m[1])) {
      throw validationError({ target: 'value', message: `Cannot find a property '${m[1]}'` });
    }
  }
}

/**
 * What fast-xml-parser's validator lets through but an XML parser (and the service) rejects: a bare
 * `&` and a `<` inside an attribute value. Messages follow .NET's XmlReader, which the service uses.
 */
function strictXmlProblem(xml: string): { msg: string; line: number; col: number } | undefined {
  let inTag = false;
  let quote = '';
  for (let i = 0; i < xml.length; i++) {
    const ch = xml[i];
    if (!inTag && !quote) {
      for (const [open, close] of [['<!--', '-->'], ['<![CDATA[', ']]>'], ['<?', '?>']]) {
        if (xml.startsWith(open, i)) {
          const end = xml.indexOf(close, i + open.length);
          i = end < 0 ? xml.length : end + close.length - 1;
          break;
        }
      }
      if (i >= xml.length || xml[i] !== ch) {
        continue;
      }
    }
    if (ch === '&' && !/^&(?:[A-Za-z_][\w.-]*|#\d+|#x[0-9A-Fa-f]+);/.test(xml.slice(i, i + 40))) {
      const at = position(xml, i + 1);
      return { msg: 'An error occurred while parsing EntityName.', line: at.line, col: at.column };
    }
    if (quote) {
      if (ch === quote) {
        quote = '';
      } else if (ch === '<') {
        const at = position(xml, i);
        return { msg: "'<', hexadecimal value 0x3C, is an invalid attribute character.", line: at.line, col: at.column };
      }
    } else if (inTag) {
      if (ch === '"' || ch === "'") {
        quote = ch;
      } else if (ch === '>') {
        inTag = false;
      }
    } else if (ch === '<' && /[A-Za-z_]/.test(xml[i + 1] ?? '')) {
      inTag = true;
    }
  }
  return undefined;
}

export function isPolicyFormat(f: string): f is 'xml' | 'rawxml' | 'xml-link' | 'rawxml-link' {
  return ['xml', 'rawxml', 'xml-link', 'rawxml-link'].includes(f);
}

function enclosingElement(xml: string, index: number): { name: string; line: number; column: number } {
  let last: RegExpExecArray | undefined;
  const re = /<([A-Za-z][\w:.-]*)/g;
  for (let m = re.exec(xml); m && m.index < index; m = re.exec(xml)) {
    last = m;
  }
  const at = position(xml, last?.index ?? 0);
  return { name: last?.[1] ?? 'policies', ...at };
}

function position(text: string, index: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, index));
  const line = before.split('\n').length;
  return { line, column: index - before.lastIndexOf('\n') };
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
