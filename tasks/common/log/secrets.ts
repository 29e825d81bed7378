/**
 * Every secret the library sees goes through here before anything could print it:
 * registered with the agent (so its log masks it) and kept for our own redaction of
 * messages, which matters outside the agent too (CLI, local runner). One registry per run,
 * created by runTask (or the CLI) and passed explicitly.
 */
export interface SecretSink {
  setSecret(value: string): void;
}

const MIN_SECRET_LENGTH = 4;

export class SecretRegistry {
  /** Longest first, so a secret that contains another is masked whole, never in part. */
  private readonly values: string[] = [];
  private readonly known = new Set<string>();

  constructor(private readonly sink?: SecretSink) {}

  register(value: string | undefined): void {
    if (!value) return;
    // The agent rejects multi-line secrets; mask each line instead (a PEM key is masked line by line).
    const parts = /[\r\n]/.test(value) ? value.split(/\r?\n|\r/).map((l) => l.trim()) : [value];
    for (const part of parts) {
      if (part.length < MIN_SECRET_LENGTH || this.known.has(part)) continue;
      this.known.add(part);
      const at = this.values.findIndex((v) => v.length < part.length);
      this.values.splice(at < 0 ? this.values.length : at, 0, part);
      this.sink?.setSecret(part);
    }
  }

  get size(): number {
    return this.values.length;
  }

  redact(text: string): string {
    let out = text;
    for (const value of this.values) {
      if (out.includes(value)) out = out.split(value).join('***');
    }
    return out;
  }
}
