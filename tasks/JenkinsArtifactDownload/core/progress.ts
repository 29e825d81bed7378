import type { Logger } from '../../common/log/logger';
import type { Clock, ProgressSink } from './model';

export interface FileProgress {
  /** The file's full size, once a response told it. */
  setLength(bytes: number | undefined): void;
  add(bytes: number): void;
  done(): void;
}

const MB = 1024 * 1024;
export const formatMb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;

/**
 * Progress of a download of many files, shown on the step (task.setprogress) and as a line with
 * the rate every few seconds. Files of unknown length count as half done while they run.
 */
export class DownloadProgress {
  private readonly active = new Set<{ length?: number; received: number }>();
  private filesDone = 0;
  private bytes = 0;
  private lastTick: number;
  private lastBytes = 0;
  private readonly started: number;

  constructor(
    private readonly totalFiles: number,
    private readonly sink: ProgressSink,
    private readonly log: Logger,
    private readonly clock: Pick<Clock, 'now'>,
    private readonly intervalMs = 3000,
  ) {
    this.started = this.lastTick = clock.now();
  }

  get bytesReceived(): number {
    return this.bytes;
  }

  track(): FileProgress {
    const state: { length?: number; received: number } = { received: 0 };
    this.active.add(state);
    return {
      setLength: (length) => {
        state.length = length;
      },
      add: (n) => {
        state.received += n;
        this.bytes += n;
        if (this.clock.now() - this.lastTick >= this.intervalMs) this.tick();
      },
      done: () => {
        if (!this.active.delete(state)) return;
        this.filesDone += 1;
      },
    };
  }

  percent(): number {
    let partial = 0;
    for (const f of this.active) partial += f.length ? Math.min(1, f.received / f.length) : 0.5;
    return this.totalFiles === 0 ? 100 : Math.floor((100 * (this.filesDone + partial)) / this.totalFiles);
  }

  private tick(): void {
    const now = this.clock.now();
    const rate = ((this.bytes - this.lastBytes) / Math.max(1, now - this.lastTick)) * 1000;
    this.lastTick = now;
    this.lastBytes = this.bytes;
    const percent = this.percent();
    this.sink(percent, 'Downloading Jenkins artifacts');
    this.log.info(`${formatMb(this.bytes)} received, ${this.filesDone} of ${this.totalFiles} file(s) done (${percent}%), ${formatMb(rate)}/s`);
  }

  /** The closing figures: bytes, seconds, mean rate. */
  finish(): { bytes: number; seconds: number; rate: number } {
    const seconds = Math.max(0.001, (this.clock.now() - this.started) / 1000);
    this.sink(100, 'Downloading Jenkins artifacts');
    return { bytes: this.bytes, seconds, rate: this.bytes / seconds };
  }
}
