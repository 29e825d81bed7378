/**
 * Annotations on the run (`task.logissue`): an error for every finding that fails the gate, a
 * warning for every other failure or unknown, each capped; file places carry file and line so the
 * agent links them to the source.
 */
import type { Logger } from '../log/logger';
import { oneLine } from '../log/safe-text';
import { isFilePlace, type FilePlace, type Finding } from './model';

export interface AnnotateOptions {
  /** At most this many errors and this many warnings. */
  max: number;
  /** A file place's path as the agent reads `sourcepath` (relative to its working directory, or absolute). */
  sourcePath: (place: FilePlace) => string;
  /** The line that says how many were left out. */
  more: (count: number) => string;
}

export function annotate(log: Logger, findings: readonly Finding[], options: AnnotateOptions): void {
  const errors = findings.filter((f) => f.blocking);
  const warnings = findings.filter((f) => !f.blocking && (f.outcome === 'fail' || f.outcome === 'unknown'));
  for (const [list, send] of [
    [errors, log.error.bind(log)],
    [warnings, log.warning.bind(log)],
  ] as const) {
    for (const f of list.slice(0, options.max)) {
      const p = f.place;
      const text = `${oneLine(f.ruleId)}: ${oneLine(f.subject.type)} '${oneLine(f.subject.name)}': ${oneLine(f.message)}`;
      if (isFilePlace(p)) send(text, { sourcePath: options.sourcePath(p), lineNumber: p.line, columnNumber: p.column, code: f.ruleId });
      else send(`${text} (${oneLine(p.url)})`, { code: f.ruleId });
    }
    if (list.length > options.max) log.info(options.more(list.length - options.max));
  }
}
