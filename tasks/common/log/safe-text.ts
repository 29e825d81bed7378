/**
 * The one place that makes text safe to print on an agent. The agent acts on `##vso[` anywhere in
 * a line (and formats lines holding `##[`), so text that did not come from our own code (template
 * and file names, parameter values, server responses, Kudu logs) must never carry either, and a
 * value must never add a line of its own (a forged "Gate PASSED").
 *
 * - `neutralizeCommands` breaks every command prefix in a whole message; every Logger applies it
 *   to everything it prints, so nothing printed through the common logger can be a command.
 * - `oneLine` is for interpolating an untrusted value into a message: line breaks and other
 *   control characters become visible escapes, then command prefixes are broken.
 *
 * Pipeline commands a task means to send go through task-lib (TaskHost), never through a print.
 */

/** `##vso[` and `##[`, any case, with anything the agent would skip between them. */
const COMMAND_PREFIX = /##(\s*)(vso\[|\[)/gi;

/**
 * Breaks every `##vso[` / `##[` in the text with a zero-width space after the first `#`: a reader
 * sees the same characters, the agent no longer sees a command.
 */
export function neutralizeCommands(text: string): string {
  return text.includes('##') ? text.replace(COMMAND_PREFIX, '#\u200b#$1$2') : text;
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

function escapeControl(ch: string): string {
  switch (ch) {
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    default:
      return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
  }
}

/** An untrusted value as one printable line: control characters escaped, command prefixes broken. */
export function oneLine(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  return neutralizeCommands(text.replace(CONTROL, escapeControl));
}

/**
 * A line written by task-lib keeps its own leading command, and nothing after it can start another:
 * task-lib echoes every input and variable it reads (`##vso[task.debug]name=value`), and a value
 * may hold `##vso[`. The agent acts on the first command of a line only, but a log is read by
 * people and tools too: no line holds a second one.
 */
export function neutralizeAfterLead(text: string): string {
  // task-lib writes one line per call (its command data escapes line breaks): a line break inside
  // a write is not the start of a command of task-lib's, so only the write's own start is kept.
  if (!text.includes('##')) return text;
  return text.startsWith('##') ? `##${neutralizeCommands(text.slice(2))}` : neutralizeCommands(text);
}

/** True when a line of output could be read by the agent as a command (for tests and checks). */
export function carriesCommand(line: string): boolean {
  return /##\s*(vso\[|\[)/i.test(line);
}
