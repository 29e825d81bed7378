import { redactUrl } from '../../common/http/redact';
import { DeployError } from './apim-errors';
import type { BackendCredentials, BackendFields, BackendState } from './gateway';
import type { BackendSettings, DeployOutputs } from './model';
import { namedValueNames } from './policy-xml';
import { missingNamedValues, type DeployDeps } from './sources';
import { WriteLog } from './write-log';

interface Ref {
  name: string;
  where: string;
}

/** `{{name}}` references in the credential values, each with the input part it came from. */
function namedValueRefs(s: BackendSettings): Ref[] {
  const refs: Ref[] = [];
  const scan = (text: string, where: string) => {
    for (const name of namedValueNames(text)) refs.push({ name, where });
  };
  for (const [name, values] of Object.entries(s.headers ?? {})) for (const v of values) scan(v, `backendHeaders '${name}'`);
  for (const [name, values] of Object.entries(s.query ?? {})) for (const v of values) scan(v, `backendQuery '${name}'`);
  if (s.authorization) scan(s.authorization.parameter, 'backendAuthParameter');
  return refs;
}

/** Every `{{name}}` must name an existing named value (by display name, as APIM resolves it, or id). */
async function checkReferences(s: BackendSettings, deps: DeployDeps): Promise<void> {
  const missing = await missingNamedValues(namedValueRefs(s), deps);
  if (missing.length === 0) return;
  throw new DeployError(deps.loc('BackendMissingNamedValues', s.backendId, missing.map((m) => `{{${m.name}}} (${m.where})`).join(', ')));
}

/** JSON with sorted keys: equal content compares equal whatever the order APIM returns keys in. */
function stable(v: unknown): string {
  return JSON.stringify(v ?? null, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Record<string, unknown>).filter(([, y]) => y !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : x,
  );
}

const sortedUpper = (list: string[] | undefined) => (list ? [...list].map((x) => x.toUpperCase()).sort() : undefined);

/** The credential parts the user gave, laid over what the service has (the rest is kept as it is). */
function wantedCredentials(s: BackendSettings, current: BackendCredentials | undefined): BackendCredentials | undefined {
  const given: BackendCredentials = {};
  if (s.headers) given.header = s.headers;
  if (s.query) given.query = s.query;
  if (s.authorization) given.authorization = s.authorization;
  if (s.certificateThumbprints) given.certificate = s.certificateThumbprints;
  if (s.certificateIds) given.certificateIds = s.certificateIds;
  if (Object.keys(given).length === 0) return undefined;
  return { ...current, ...given };
}

/** Names of the fields the user set that differ from the service's backend. */
function changedFields(s: BackendSettings, want: BackendFields, current: BackendState): string[] {
  const changed: string[] = [];
  for (const f of ['url', 'protocol', 'title', 'description', 'resourceId'] as const) {
    if (want[f] !== undefined && want[f] !== current[f]) changed.push(f);
  }
  // An absent tls block means APIM's defaults: both checks on.
  if (
    want.tls!.validateCertificateChain !== (current.tls?.validateCertificateChain ?? true) ||
    want.tls!.validateCertificateName !== (current.tls?.validateCertificateName ?? true)
  ) {
    changed.push('tls');
  }
  const have = current.credentials ?? {};
  if (s.headers && stable(s.headers) !== stable(have.header ?? {})) changed.push('credentials.header');
  if (s.query && stable(s.query) !== stable(have.query ?? {})) changed.push('credentials.query');
  if (s.authorization && (s.authorization.scheme !== have.authorization?.scheme || s.authorization.parameter !== have.authorization?.parameter)) {
    changed.push('credentials.authorization');
  }
  if (s.certificateThumbprints && stable(sortedUpper(s.certificateThumbprints)) !== stable(sortedUpper(have.certificate ?? []))) changed.push('credentials.certificate');
  if (s.certificateIds && stable([...s.certificateIds].sort()) !== stable([...(have.certificateIds ?? [])].sort())) changed.push('credentials.certificateIds');
  return changed;
}

/** Creates or updates one backend; compares only the fields the inputs set and writes nothing when they match. */
export async function deployBackend(s: BackendSettings, deps: DeployDeps): Promise<DeployOutputs> {
  const { gateway, logger, loc } = deps;
  const writes = new WriteLog(logger);
  const id = s.backendId;
  await checkReferences(s, deps);
  if (/^http:/i.test(s.url)) logger.warning(loc('BackendPlainHttp', id, redactUrl(s.url)));
  const off = [
    ...(s.validateCertificateChain ? [] : ['validateCertificateChain']),
    ...(s.validateCertificateName ? [] : ['validateCertificateName']),
  ];
  if (off.length > 0) logger.warning(loc('BackendTlsValidationOff', id, off.join(', ')));

  const current = await gateway.getBackend(id);
  const want: BackendFields & { url: string; protocol: string } = {
    url: s.url,
    protocol: s.protocol,
    title: s.title,
    description: s.description,
    resourceId: s.resourceId,
    tls: { validateCertificateChain: s.validateCertificateChain, validateCertificateName: s.validateCertificateName },
    credentials: wantedCredentials(s, current?.credentials),
  };
  if (!current) {
    await writes.run(loc('BackendCreate', id, redactUrl(s.url)), () => gateway.createBackend(id, want));
    return { backendId: id, writes: writes.writes };
  }
  const changed = changedFields(s, want, current);
  if (changed.length === 0) {
    logger.info(loc('BackendUnchanged', id));
    return { backendId: id, writes: 0 };
  }
  const patch: BackendFields = Object.fromEntries(Object.entries(want).filter(([, v]) => v !== undefined));
  await writes.run(loc('BackendUpdate', id, changed.join(', ')), () => gateway.updateBackend(id, current.etag ?? '*', patch));
  return { backendId: id, writes: writes.writes };
}
