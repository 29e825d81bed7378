import type { Logger } from '../../common/log/logger';

/**
 * Every change the task makes goes through here: it is logged before it happens and counted, so
 * the summary can say "unchanged" truthfully and tests can assert that nothing was written.
 */
export class WriteLog {
  private count = 0;

  constructor(private readonly logger: Logger) {}

  get writes(): number {
    return this.count;
  }

  async run<T>(what: string, write: () => Promise<T>): Promise<T> {
    this.logger.info(`${what}...`);
    this.count++;
    return write();
  }

  unchanged(what: string): void {
    this.logger.info(`${what}: unchanged`);
  }
}
