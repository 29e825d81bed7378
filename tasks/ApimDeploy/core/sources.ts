import * as path from 'node:path';
import { FileError, InputError } from '../../common/errors';
import type { FileSystem } from '../../common/fs/file-system';
import { redactUrl } from '../../common/http/redact';
import type { Logger } from '../../common/log/logger';
import type { ApimGateway } from './gateway';
import type { DocumentSource, OperationPolicySources, PolicySource } from './model';
import { checkPolicyXml, namedValueRefs, type PolicyDocument } from './policy-xml';
import { renderPolicyTemplates, type PolicyLevel } from './policy-templates';

/** Everything the core reaches outside itself, injected. */
export interface DeployDeps {
  gateway: ApimGateway;
  logger: Logger;
  /** Relative paths are the user's, resolved by the port against System.DefaultWorkingDirectory. */
  fs: FileSystem;
  fetchText(url: string): Promise<string>;
  now(): Date;
  /** A message from task.json `messages` (the agent's loc), formatted util.format-style. */
  loc(key: string, ...args: Array<string | number>): string;
}

export interface LoadedDocument {
  source: string;
  text: string;
}

export async function readDocument(source: DocumentSource, deps: DeployDeps): Promise<LoadedDocument> {
  switch (source.kind) {
    case 'file':
      return { source: source.path, text: deps.fs.readText(source.path) };
    case 'url':
      // The source names the document in logs and errors: never with its SAS signature or key.
      return { source: redactUrl(source.url), text: await deps.fetchText(source.url) };
    case 'inline':
      return { source: `input '${source.input}'`, text: source.text };
  }
}

/** A policy from a file, inline or a template, checked well-formed; undefined when none is asked for. */
export async function resolvePolicy(policy: PolicySource, level: PolicyLevel, deps: DeployDeps): Promise<PolicyDocument | undefined> {
  if (policy.kind === 'none') return undefined;
  let doc: PolicyDocument;
  if (policy.kind === 'template') {
    doc = { source: `input '${policy.input}' (rendered template)`, xml: renderPolicyTemplates(policy.text, policy.input, level) };
    deps.logger.debug(`Rendered policy:\n${doc.xml}`);
  } else {
    const loaded = await readDocument(policy.source, deps);
    doc = { source: loaded.source, xml: loaded.text.replace(/^\uFEFF/, '') };
  }
  checkPolicyXml(doc, level);
  return doc;
}

/** Operation policies keyed by operation id: a folder of `<operationId>.xml` and explicit pairs. */
export function loadOperationPolicies(sources: OperationPolicySources, deps: DeployDeps): Map<string, PolicyDocument> {
  const out = new Map<string, PolicyDocument>();
  const add = (operationId: string, file: string) => {
    const key = operationId.toLowerCase();
    if (out.has(key)) throw new FileError(file, `a second policy for operation '${operationId}' (the first is ${out.get(key)!.source})`);
    const doc = { source: file, xml: deps.fs.readText(file).replace(/^\uFEFF/, '') };
    checkPolicyXml(doc, 'operation');
    out.set(key, doc);
  };
  if (sources.folder) {
    const folder = sources.folder;
    const names = deps.fs.list(folder).filter((n) => n.toLowerCase().endsWith('.xml') && deps.fs.isFile(path.join(folder, n)));
    if (names.length === 0) deps.logger.warning(`No <operationId>.xml file in ${folder}; no operation policy from it.`);
    for (const name of names) add(name.slice(0, -4), path.join(folder, name));
  }
  for (const f of sources.files) add(f.operationId, f.path);
  return out;
}

/**
 * Every `{{name}}` in the documents must name an existing named value: APIM rejects the policy
 * otherwise, and by then other resources may already have been written.
 */
/** The references that name no named value of the service (by display name, as APIM resolves them, or id). */
export async function missingNamedValues<R extends { name: string }>(refs: R[], deps: DeployDeps): Promise<R[]> {
  if (refs.length === 0) return [];
  const known = await deps.gateway.listNamedValues();
  const names = new Set(known.flatMap((n) => [n.name.toLowerCase(), (n.displayName ?? '').toLowerCase()]));
  return refs.filter((r) => !names.has(r.name.toLowerCase()));
}

export async function checkNamedValues(docs: PolicyDocument[], deps: DeployDeps): Promise<void> {
  const refs = docs.flatMap((d) => namedValueRefs(d.xml).map((r) => ({ ...r, source: d.source })));
  const [first, ...rest] = await missingNamedValues(refs, deps);
  if (!first) return;
  const others = rest.length ? ` (and ${rest.map((m) => `'${m.name}' at ${m.source}:${m.line}`).join(', ')})` : '';
  throw new FileError(first.source, `named value '{{${first.name}}}' does not exist in the service${others}; create it first (Named values), or fix the name`, first.line);
}

export function requireNonEmpty(input: string, value: string | undefined): string {
  if (!value) throw new InputError(input, 'is required');
  return value;
}
