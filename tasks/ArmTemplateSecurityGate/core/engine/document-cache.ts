/**
 * Parsed documents shared by the templates of one scan. Parameter files and linked templates are
 * read by every template that uses them, and a linked template is usually scanned on its own as
 * well; parsing is the largest single cost of a scan, so each text is parsed once while it stays
 * in this cache. Parsed values are never mutated by the evaluator, which makes sharing safe.
 */
import type { JsonValue, SourceDoc } from './json-source';

export interface ParsedDocument {
  doc: SourceDoc;
  value: JsonValue;
}

export class DocumentCache {
  private readonly entries = new Map<string, ParsedDocument>();
  private size = 0;

  /**
   * Small on purpose: files are scanned in path order, so a template's parameter file and linked
   * templates are met within a few files. Holding more parsed trees made the scan slower, not
   * faster (they outlive the young generation and every later collection walks them).
   */
  constructor(
    private readonly maxEntries = 16,
    private readonly maxChars = 1_000_000,
  ) {}

  /** The parsed document of `absPath` if it was parsed from this very text under this display name. */
  get(absPath: string, display: string, text: string): ParsedDocument | undefined {
    const hit = this.entries.get(absPath);
    if (!hit || hit.doc.file !== display || hit.doc.text !== text) return undefined;
    // Most recently used last: Map iteration order is the eviction order.
    this.entries.delete(absPath);
    this.entries.set(absPath, hit);
    return hit;
  }

  set(absPath: string, parsed: ParsedDocument): void {
    const old = this.entries.get(absPath);
    if (old) {
      this.entries.delete(absPath);
      this.size -= old.doc.text.length;
    }
    if (parsed.doc.text.length > this.maxChars) return;
    this.entries.set(absPath, parsed);
    this.size += parsed.doc.text.length;
    for (const [k, v] of this.entries) {
      if (this.size <= this.maxChars && this.entries.size <= this.maxEntries) break;
      this.entries.delete(k);
      this.size -= v.doc.text.length;
    }
  }
}
