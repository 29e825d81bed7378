import { createHash } from 'node:crypto';
import * as posix from 'node:path/posix';
import { RemoteError, TaskError } from '../../common/errors';
import { DEFAULT_RETRY, retryDelayMs } from '../../common/http/retry';
import { oneLine } from '../../common/log/safe-text';
import { safeRelativePath, type ItemFilter } from './artifact-paths';
import type { JenkinsBuild } from './builds';
import type { DownloadDeps, FileResult } from './file-download';
import type { ArchiveReader, TempFolder } from './model';

export interface ArchiveDeps extends DownloadDeps {
  temp: TempFolder;
  readArchive: ArchiveReader;
}

/**
 * The MD5s Jenkins may have recorded for a path: its fingerprints carry a file name, not a path.
 * Indexed once per build (a lookup per artifact, not a pass over every fingerprint for each one).
 */
export function fingerprintIndex(fingerprints: JenkinsBuild['fingerprints']): (relativePath: string) => string[] {
  const byName = new Map<string, string[]>();
  for (const f of fingerprints) {
    const known = byName.get(f.fileName);
    if (known) known.push(f.md5);
    else byName.set(f.fileName, [f.md5]);
  }
  return (relativePath) => {
    const base = relativePath.slice(relativePath.lastIndexOf('/') + 1);
    return [...new Set([...(byName.get(relativePath) ?? []), ...(base === relativePath ? [] : (byName.get(base) ?? []))])];
  };
}

/**
 * The whole `*zip*` archive Jenkins builds on the fly (no length, no Range: a drop restarts it),
 * saved in the agent's temp folder, then extracted entry by entry through the same checks as a
 * single download: each name checked, links that would leave the target refused, each file
 * written under a temporary name and renamed once complete.
 */
export async function downloadArchive(build: JenkinsBuild, filter: ItemFilter, deps: ArchiveDeps): Promise<FileResult[]> {
  const url = deps.client.url(`${build.path}artifact/*zip*/archive.zip`);
  const zip = await fetchArchive(url, deps);
  const md5sFor = fingerprintIndex(build.fingerprints);
  try {
    const results: FileResult[] = [];
    await deps.readArchive(zip, async (entry) => {
      // A folder entry ends with '/'; its name is checked like any other.
      const name = entry.kind === 'directory' ? entry.name.replace(/\/+$/, '') : entry.name;
      const parts = safeRelativePath(name, 'archive entry').split('/');
      // Jenkins puts every artifact under one folder named after the archive.
      const rel = parts.slice(1).join('/');
      if (rel === '' || entry.kind === 'directory' || !filter.matches(rel)) return;
      if (entry.kind === 'symlink') {
        const chunks: Buffer[] = [];
        for await (const c of await entry.open()) chunks.push(c);
        const target = Buffer.concat(chunks).toString('utf8');
        const resolved = posix.normalize(posix.join(posix.dirname(rel), target.replace(/\\/g, '/')));
        if (posix.isAbsolute(target) || /^[A-Za-z]:/.test(target) || resolved === '..' || resolved.startsWith('../')) {
          throw new TaskError(`Refused archive entry '${oneLine(entry.name)}': it is a link to '${oneLine(target)}', outside the target folder; nothing is written outside it`);
        }
        await deps.target.link(rel, target);
        results.push({ relativePath: rel, bytes: 0, resumes: 0, refetched: 0, verified: 'none' });
        return;
      }
      const md5s = md5sFor(rel);
      const hash = md5s.length ? createHash('md5') : undefined;
      const file = await deps.target.open(rel);
      let bytes = 0;
      try {
        for await (const chunk of await entry.open()) {
          bytes += chunk.length;
          hash?.update(chunk);
          const pending = file.write(chunk);
          if (pending) await pending;
        }
        if (bytes !== entry.size) throw new TaskError(`Archive entry '${oneLine(entry.name)}' holds ${bytes} bytes, not the ${entry.size} its header says`);
        const md5 = hash?.digest('hex');
        if (md5 !== undefined && !md5s.includes(md5)) throw new TaskError(`Archive entry '${oneLine(rel)}' does not match the MD5 fingerprint Jenkins recorded (${md5s.join(' or ')}, got ${md5}); it was not kept`);
        await file.commit();
      } catch (err) {
        await file.discard();
        throw err;
      }
      results.push({ relativePath: rel, bytes, resumes: 0, refetched: 0, verified: md5s.length ? 'md5' : 'length' });
    });
    return results;
  } finally {
    await deps.temp.remove(zip);
  }
}

async function fetchArchive(url: string, deps: ArchiveDeps): Promise<string> {
  const track = deps.progress.track();
  let attempt = 0;
  try {
    for (;;) {
      const file = await deps.temp.create('jenkins-artifacts.zip');
      try {
        const res = await deps.client.stream(url, 0, 'the artifact archive');
        for await (const chunk of res.body as AsyncIterable<Buffer>) {
          track.add(chunk.length);
          const pending = file.write(chunk);
          if (pending) await pending;
        }
        await file.commit();
        return file.path;
      } catch (err) {
        await file.discard();
        if (err instanceof RemoteError || err instanceof TaskError || ++attempt > deps.retries) throw err;
        const wait = retryDelayMs(attempt, undefined, DEFAULT_RETRY);
        deps.log.info(`The archive download dropped (${oneLine((err as Error).message)}); Jenkins cannot resume an archive, starting again in ${wait} ms`);
        await deps.clock.sleep(wait);
      }
    }
  } finally {
    track.done();
  }
}
