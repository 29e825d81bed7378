/**
 * `##vso[area.event key=value;…]message` parsing as the agent does it (Agent.Sdk Command.TryParse):
 * the command may start anywhere in a line, property keys are case-insensitive (kept lower-case
 * here), values and message are unescaped with %3B ; %0D \r %0A \n %5D ], then %AZP25 %.
 */

export interface VsoCommand {
  /** area.event, e.g. task.setvariable */
  command: string;
  area: string;
  event: string;
  /** Keys lower-cased. */
  properties: Record<string, string>;
  message: string;
}

const PREFIX = '##vso[';
const ESCAPES: Array<[RegExp, string]> = [
  [/%3B/gi, ';'],
  [/%0D/gi, '\r'],
  [/%0A/gi, '\n'],
  [/%5D/gi, ']'],
];

export function unescapeVso(s: string): string {
  let out = s;
  for (const [re, ch] of ESCAPES) out = out.replace(re, ch);
  return out.replace(/%AZP25/g, '%');
}

/** The inverse, for writing commands (tests and tooling). */
export function escapeVso(s: string): string {
  return s.replace(/%/g, '%AZP25').replace(/;/g, '%3B').replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/]/g, '%5D');
}

export function parseVsoLine(line: string): VsoCommand | undefined {
  const start = line.indexOf(PREFIX);
  if (start < 0) return undefined;
  const end = line.indexOf(']', start);
  if (end < 0) return undefined;
  const info = line.slice(start + PREFIX.length, end);
  const space = info.indexOf(' ');
  const command = (space < 0 ? info : info.slice(0, space)).trim();
  const dot = command.indexOf('.');
  if (dot <= 0) return undefined;
  const properties: Record<string, string> = {};
  if (space >= 0) {
    for (const pair of info.slice(space + 1).split(';')) {
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      properties[pair.slice(0, eq).trim().toLowerCase()] = unescapeVso(pair.slice(eq + 1));
    }
  }
  return {
    command: command.toLowerCase(),
    area: command.slice(0, dot).toLowerCase(),
    event: command.slice(dot + 1).toLowerCase(),
    properties,
    message: unescapeVso(line.slice(end + 1)),
  };
}
