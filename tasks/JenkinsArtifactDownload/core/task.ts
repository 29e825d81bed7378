import { TaskError } from '../../common/errors';
import type { Logger } from '../../common/log/logger';
import { oneLine } from '../../common/log/safe-text';
import { downloadArchive, fingerprintIndex } from './archive-download';
import { ItemFilter, safeRelativePath } from './artifact-paths';
import { judgeBuild, resolveJob, selectBuild, type JenkinsBuild } from './builds';
import { downloadAll, type DownloadItem, type FileResult } from './file-download';
import type { JenkinsClient } from './jenkins-client';
import { encodeSegment } from './job-path';
import type { ArchiveReader, Clock, Hasher, JenkinsDownloadSettings, ProgressSink, TargetFolder, TempFolder } from './model';
import { DownloadProgress, formatMb } from './progress';

/** How the step ends (runTask's TaskOutcome, without the core depending on the host). */
export interface DownloadOutcome {
  result: 'Succeeded' | 'SucceededWithIssues';
  message: string;
}

export interface JenkinsDownloadDeps {
  client: JenkinsClient;
  target: TargetFolder;
  temp: TempFolder;
  readArchive: ArchiveReader;
  /** MD5 off the downloading thread for large artifacts. */
  largeHasher?: () => Hasher;
  clock: Clock;
  log: Logger;
  progress: ProgressSink;
  setOutput(name: string, value: string): void;
  uploadSummary(file: string): void;
  addAttachment(type: string, name: string, file: string): void;
}

/** The artifact URL of a relative path: every level its own encoded segment (names hold spaces, `#`, `%`). */
export function artifactUrl(client: JenkinsClient, build: JenkinsBuild, relativePath: string): string {
  return client.url(`${build.path}artifact/${relativePath.split('/').map(encodeSegment).join('/')}`);
}

export async function downloadJenkinsArtifacts(s: JenkinsDownloadSettings, deps: JenkinsDownloadDeps): Promise<DownloadOutcome> {
  const { client, log } = deps;
  const job = await resolveJob(client, s.job);
  const build = await selectBuild(client, job, s);
  const jobName = oneLine(build.job.names.join('/'));
  const buildUrl = client.url(build.path);
  log.info(`Jenkins build: ${jobName} #${build.number} (${oneLine(build.result ?? 'running')}) ${buildUrl}`);
  const verdict = judgeBuild(build, s.unstable, s.allowFailedBuild);

  const filter = new ItemFilter(s.itemPatterns);
  if (build.artifacts.length === 0) throw new TaskError(`Build ${jobName} #${build.number} archived no artifacts`);
  const selected = build.artifacts.filter((a) => filter.matches(a.relativePath));
  if (selected.length === 0) {
    const some = build.artifacts.slice(0, 10).map((a) => `'${oneLine(a.relativePath)}'`).join(', ');
    throw new TaskError(`Input 'itemPattern': no artifact of ${jobName} #${build.number} matches ${s.itemPatterns.map((p) => `'${oneLine(p)}'`).join(', ')}; it has ${some}${build.artifacts.length > 10 ? ` and ${build.artifacts.length - 10} more` : ''}`);
  }
  // Every name is checked before the first byte is written.
  const md5sFor = fingerprintIndex(build.fingerprints);
  const items: DownloadItem[] = selected.map((a) => {
    const rel = safeRelativePath(a.relativePath, 'artifact');
    return { relativePath: rel, url: artifactUrl(client, build, rel), md5s: md5sFor(rel) };
  });
  log.info(`${items.length} of ${build.artifacts.length} artifact(s) selected; saving to ${oneLine(s.saveTo)}`);

  const progress = new DownloadProgress(s.mode === 'archive' ? 1 : items.length, deps.progress, log, deps.clock);
  const common = { client, target: deps.target, clock: deps.clock, log, progress, retries: s.retries, largeHasher: deps.largeHasher };
  const results: FileResult[] =
    s.mode === 'archive'
      ? await downloadArchive(build, filter, { ...common, temp: deps.temp, readArchive: deps.readArchive })
      : await downloadAll(items, s.parallel, common);
  const { bytes, seconds, rate } = progress.finish();
  const written = results.reduce((n, r) => n + r.bytes, 0);
  const resumes = results.reduce((n, r) => n + r.resumes, 0);
  const md5 = results.filter((r) => r.verified === 'md5').length;
  log.info(
    `Downloaded ${results.length} file(s), ${formatMb(written)} in ${seconds.toFixed(1)} s (${formatMb(rate)}/s over ${formatMb(bytes)} received)` +
      `${resumes ? `; ${resumes} dropped connection(s) resumed` : ''}; ${md5} checked against Jenkins' MD5 fingerprints`,
  );

  deps.setOutput('buildNumber', String(build.number));
  deps.setOutput('buildUrl', buildUrl);
  deps.setOutput('buildResult', build.result ?? '');
  const commitIds = [...new Set([...build.revisions, ...build.commits.map((c) => c.id)])];
  if (commitIds.length) deps.setOutput('commitIds', commitIds.join(','));

  const summary = await deps.temp.writeText('jenkins-artifacts-summary.md', summaryMarkdown(build, buildUrl, results, written, s));
  deps.uploadSummary(summary);
  if (s.commitsAttachment) {
    const file = await deps.temp.writeText(`commits-${build.number}.json`, JSON.stringify(commitsDocument(build, buildUrl), null, 2));
    deps.addAttachment('JenkinsCommits', 'commits.json', file);
  }

  if (verdict.warning) log.warning(verdict.warning);
  return { result: verdict.result, message: `${results.length} artifact file(s) of ${jobName} #${build.number} downloaded` };
}

/** Markdown cells: no line breaks, no pipes, no HTML from the server. */
const cell = (v: string) => oneLine(v).replace(/[|<>]/g, (c) => `&#${c.charCodeAt(0)};`);

function summaryMarkdown(build: JenkinsBuild, buildUrl: string, results: FileResult[], bytes: number, s: JenkinsDownloadSettings): string {
  const rows = results.slice(0, 50).map((r) => `| ${cell(r.relativePath)} | ${r.bytes} | ${r.verified}${r.resumes ? `, resumed ${r.resumes}×` : ''} |`);
  return [
    `### Jenkins artifacts: ${cell(build.job.names.join('/'))} #${build.number}`,
    '',
    `| Build | Result | Files | Bytes |`,
    `|---|---|---|---|`,
    `| [#${build.number}](${buildUrl.replace(/[()\s<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)}) | ${cell(build.result ?? '')} | ${results.length} | ${bytes} |`,
    '',
    `Saved to \`${cell(s.saveTo)}\`${build.revisions.length ? `; revision ${build.revisions.map(cell).join(', ')}` : ''}.`,
    '',
    '| File | Bytes | Checked |',
    '|---|---|---|',
    ...rows,
    ...(results.length > 50 ? [`| … ${results.length - 50} more | | |`] : []),
    '',
  ].join('\n');
}

function commitsDocument(build: JenkinsBuild, buildUrl: string) {
  return {
    job: build.job.names.join('/'),
    build: build.number,
    url: buildUrl,
    result: build.result,
    revisions: build.revisions,
    commits: build.commits.map((c) => ({ id: c.id, message: c.message, author: c.author, timestamp: c.timestamp, changes: c.paths ?? [] })),
  };
}
