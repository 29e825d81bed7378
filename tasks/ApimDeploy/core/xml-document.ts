import type { XMLParser } from 'fast-xml-parser';
import { FileError } from '../../common/errors';

/** `<!ENTITY name SYSTEM "…">` or `PUBLIC "…" "…"` (parameter entities too): a reference to something outside the document. */
const EXTERNAL_ENTITY = /<!ENTITY\s+(?:%\s*)?[^\s>]+\s+(?:SYSTEM|PUBLIC)\b/i;

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * Parses a document the user gave (a policy, a WSDL). An external entity would make a parser read
 * a file or URL of the agent (XXE), so it is refused, naming the file and the line of the
 * declaration; any other failure of the parser names the file too, never "Unexpected error".
 */
export function parseUserXml<T>(parser: XMLParser, text: string, source: string, what: string): T {
  const external = EXTERNAL_ENTITY.exec(text);
  if (external) {
    throw new FileError(source, `${what} declares an external entity (${external[0].replace(/\s+/g, ' ')} …), which could read files or URLs of the agent; remove the DOCTYPE`, lineAt(text, external.index));
  }
  try {
    return parser.parse(text) as T;
  } catch (err) {
    throw new FileError(source, `${what} cannot be read: ${(err as Error).message}`);
  }
}
