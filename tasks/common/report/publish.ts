/**
 * "Render the reports, then write them", for every check and its CLI: every report is rendered
 * before any is written, so a report that fails to render leaves no mixed set of new and old
 * files behind; each file is written whole or not at all by the sink.
 */

export interface ReportJob {
  format: string;
  render: () => string;
  /** Where it goes; undefined: printed (the CLI's standard output). */
  file?: string;
}

export interface ReportSink {
  /** Writes a whole file atomically (FileSystem.writeTextAtomic). */
  write(file: string, text: string): void;
  /** Prints a report (standard output, through the one output path). */
  print(text: string): void;
}

/** Renders every job, then writes or prints them in order; returns what went where. */
export function publishReports(jobs: readonly ReportJob[], sink: ReportSink): Array<{ format: string; file?: string }> {
  const rendered = jobs.map((job) => ({ job, text: job.render() }));
  for (const { job, text } of rendered) {
    if (job.file !== undefined) sink.write(job.file, text);
    else sink.print(text);
  }
  return jobs.map((j) => ({ format: j.format, file: j.file }));
}
