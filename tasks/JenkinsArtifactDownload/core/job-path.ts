/**
 * Job names as Jenkins spells them in URLs. Each level of folders is `/job/<name>`, every name is
 * one URL path segment (percent-encoded: names hold spaces, `#`, `%`), and a multibranch project
 * names its branch jobs with branch-api's NameEncoder, so the branch `feature/x` is the job
 * `feature%2Fx`, which travels as `job/feature%252Fx`.
 */

/** How the user named the job: path segments, or the job's URL. */
export type JobReference = { kind: 'path'; segments: string[] } | { kind: 'url'; url: string };

/** branch-api's NameEncoder.encode: the job name a multibranch project gives a branch. */
export function encodeBranchName(branch: string): string {
  if (branch === '') return '%00';
  if (branch === '.') return '%2E';
  if (branch === '..') return '%2E.';
  return branch.replace(/[#%/?[\]\\]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** One URL path segment: everything but unreserved characters percent-encoded (also `!'()*`). */
export function encodeSegment(name: string): string {
  return encodeURIComponent(name).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `job/a/job/b/` for the job names ['a', 'b'] (names as Jenkins knows them, already branch-encoded). */
export function jobUrlPath(names: readonly string[]): string {
  return names.map((n) => `job/${encodeSegment(n)}/`).join('');
}

/**
 * Reads the jobName input: `a/b/job` through folders (a name holding `/` cannot be a folder
 * level, so under a multibranch project the rest is the branch), or an absolute URL of the job.
 * A malformed path comes back as a problem; the caller names the input.
 */
export function parseJobReference(text: string): JobReference | { problem: string } {
  const value = text.trim();
  if (/^https?:\/\//i.test(value)) return { kind: 'url', url: value };
  const segments = value.replace(/^\/+|\/+$/g, '').split('/');
  if (segments.some((s) => s.trim() === '')) return { problem: `'${value}' has an empty name between slashes; expected a/b/job` };
  return { kind: 'path', segments };
}

/**
 * The job names in a job URL under the connection's URL: `…/jenkins/job/a/view/v/job/b%252Fc/` is
 * ['a', 'b%2Fc'] (one decoding, as Jenkins does). Views are skipped; anything else is a problem.
 */
export function jobNamesFromUrl(jobUrl: string, serverUrl: string): string[] | { problem: string } {
  let url: URL;
  let base: URL;
  try {
    url = new URL(jobUrl);
    base = new URL(serverUrl);
  } catch {
    return { problem: `'${jobUrl}' is not a valid URL` };
  }
  const basePath = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
  const path = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
  // Credentials go only where the service connection points.
  if (url.origin !== base.origin || !path.startsWith(basePath)) {
    return { problem: `'${url.origin}${url.pathname}' is not under the service connection's URL ${base.origin}${base.pathname}; use a job path (a/b/job) or fix the connection` };
  }
  const rest = path.slice(basePath.length).split('/').filter(Boolean);
  const names: string[] = [];
  for (let i = 0; i < rest.length; i += 2) {
    const kind = rest[i];
    const name = rest[i + 1];
    if ((kind !== 'job' && kind !== 'view') || name === undefined) {
      return { problem: `'${url.pathname}' is not a job URL (expected …/job/<name>/…, found '${kind}')` };
    }
    if (kind === 'job') {
      try {
        names.push(decodeURIComponent(name));
      } catch {
        return { problem: `'${name}' in the job URL is not valid percent-encoding` };
      }
    }
  }
  if (names.length === 0) return { problem: `'${url.pathname}' names no job (expected …/job/<name>/)` };
  return names;
}
