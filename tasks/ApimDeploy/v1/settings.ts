/** v1 inputs: the only file that knows their names. Every value is checked here, naming the input. */
import * as path from 'node:path';
import { InputError } from '../../common/errors';
import type { TaskInputs } from '../../common/host/inputs';
import type { TaskHost } from '../../common/host/task-host';
import { redactUrl } from '../../common/http/redact';
import type {
  ActionSettings,
  ApimDeploySettings,
  ApiSettings,
  BackendSettings,
  CredentialValues,
  DocumentSource,
  NamedValueSettings,
  PolicySource,
  ProductSettings,
  RetirePolicy,
  VersionSettings,
} from '../core/model';
import { checkEntityId } from '../core/spec';

function required(host: TaskHost, name: string): string {
  const v = host.getInput(name);
  if (!v) throw new InputError(name, 'is required');
  return v;
}

function oneOf<T extends string>(host: TaskHost, name: string, values: readonly T[], fallback: T): T {
  const v = host.getInput(name);
  if (v === undefined) return fallback;
  const hit = values.find((x) => x.toLowerCase() === v.toLowerCase());
  if (!hit) throw new InputError(name, `expected one of ${values.join(', ')}; got '${v}'`);
  return hit;
}

function bool(host: TaskHost, name: string, fallback: boolean): boolean {
  const v = host.getInput(name);
  if (v === undefined) return fallback;
  if (/^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
  throw new InputError(name, `expected true or false; got '${v}'`);
}

/** Tri-state pick lists: `keep` leaves the service's value as it is. */
function optionalBool(host: TaskHost, name: string): boolean | undefined {
  const v = oneOf(host, name, ['keep', 'true', 'false'] as const, 'keep');
  return v === 'keep' ? undefined : v === 'true';
}

function int(host: TaskHost, name: string, fallback: number | undefined, min: number, max: number): number | undefined {
  const v = host.getInput(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new InputError(name, `expected a whole number from ${min} to ${max}; got '${v}'`);
  return n;
}

function list(host: TaskHost, name: string): string[] {
  return (host.getInput(name) ?? '')
    .split(/[\r\n,]+/)
    .map((s) => s.trim())
    .filter((s) => s && !s.startsWith('#'));
}

/**
 * A URL may carry a credential (a SAS `sig=`, a function `code=`, a password): it is read without
 * task-lib's debug echo, and messages show it redacted. The task registers its secret parts
 * (settingsSecrets) before anything else runs.
 */
function httpsUrl(host: TaskHost, name: string, allowHttp = false): string | undefined {
  const v = host.getSecretInput(name);
  if (v === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw new InputError(name, `'${redactUrl(v)}' is not an absolute URL`);
  }
  if (url.protocol !== 'https:' && !(allowHttp && url.protocol === 'http:')) throw new InputError(name, `expected an ${allowHttp ? 'http(s)' : 'https'} URL; got '${redactUrl(v)}'`);
  return v;
}

function filePath(host: TaskHost, name: string): string | undefined {
  return host.filePathSupplied(name) ? host.getInput(name) : undefined;
}

function document(host: TaskHost, sourceInput: string, fileInput: string, urlInput: string, inlineInput: string, kind: string): DocumentSource {
  switch (kind) {
    case 'file': {
      const p = filePath(host, fileInput);
      if (!p) throw new InputError(fileInput, 'is required: the path of the file');
      return { kind: 'file', path: p };
    }
    case 'url':
      return { kind: 'url', url: httpsUrl(host, urlInput, true) ?? required(host, urlInput) };
    case 'inline':
      return { kind: 'inline', text: required(host, inlineInput), input: inlineInput };
    default:
      throw new InputError(sourceInput, `unexpected '${kind}'`);
  }
}

function policy(host: TaskHost): PolicySource {
  const kind = oneOf(host, 'policySource', ['none', 'file', 'inline', 'template'] as const, 'none');
  if (kind === 'none') return { kind: 'none' };
  if (kind === 'template') return { kind: 'template', text: required(host, 'policyTemplate'), input: 'policyTemplate' };
  return { kind: 'document', source: document(host, 'policySource', 'policyFile', 'policyFile', 'policyInline', kind) };
}

function retire(host: TaskHost): RetirePolicy {
  return {
    action: oneOf(host, 'retireRevisions', ['none', 'offline', 'delete'] as const, 'none'),
    keep: int(host, 'keepRevisions', 1, 1, 100)!,
  };
}

function version(host: TaskHost, apiId: string): VersionSettings | undefined {
  const v = host.getInput('apiVersion');
  if (!v) return undefined;
  const scheme = oneOf(host, 'versioningScheme', ['Segment', 'Header', 'Query'] as const, 'Segment');
  return {
    version: v,
    versionSetId: checkEntityId('versionSetId', host.getInput('versionSetId') ?? `${apiId.replace(/-v[\d.]+$/i, '')}-versions`),
    versionSetName: host.getInput('versionSetName'),
    scheme,
    headerName: scheme === 'Header' ? (host.getInput('versionHeaderName') ?? 'Api-Version') : undefined,
    queryName: scheme === 'Query' ? (host.getInput('versionQueryName') ?? 'api-version') : undefined,
  };
}

function operationPolicyFiles(host: TaskHost): Array<{ operationId: string; path: string }> {
  return (host.getInput('operationPolicies') ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((line) => {
      const m = /^([^=\s]+)\s*=>?\s*(.+)$/.exec(line);
      if (!m) throw new InputError('operationPolicies', `expected lines of '<operationId> = <policy file>'; got '${line}'`);
      return { operationId: m[1], path: m[2].trim() };
    });
}

function apiSettings(host: TaskHost): ApiSettings {
  const apiId = checkEntityId('apiId', required(host, 'apiId'));
  const specKind = oneOf(host, 'specSource', ['file', 'url', 'inline'] as const, 'file');
  const protocols = list(host, 'apiProtocols').map((p) => p.toLowerCase());
  for (const p of protocols) if (!['http', 'https', 'ws', 'wss'].includes(p)) throw new InputError('apiProtocols', `unknown protocol '${p}' (expected https, http, ws, wss)`);
  const apiPath = (host.getInput('apiPath') ?? '').replace(/^\/+|\/+$/g, '');
  if (/[?#\s]/.test(apiPath)) throw new InputError('apiPath', `'${apiPath}' is not a URL suffix (no spaces, '?' or '#')`);
  const products = list(host, 'products').map((p) => checkEntityId('products', p));
  return {
    apiId,
    spec: document(host, 'specSource', 'specFile', 'specUrl', 'specInline', specKind),
    specFormat: oneOf(host, 'specFormat', ['auto', 'openapi', 'wsdl', 'graphql'] as const, 'auto'),
    wsdl: {
      serviceName: host.getInput('wsdlServiceName'),
      endpointName: host.getInput('wsdlEndpointName'),
      soapApiType: oneOf(host, 'soapApiType', ['soap', 'http'] as const, 'soap'),
    },
    displayName: host.getInput('apiDisplayName'),
    path: apiPath,
    protocols: protocols.length ? protocols : undefined,
    serviceUrl: httpsUrl(host, 'serviceUrl', true),
    subscriptionRequired: optionalBool(host, 'subscriptionRequired'),
    subscriptionKeyHeaderName: host.getInput('subscriptionKeyHeaderName'),
    subscriptionKeyQueryName: host.getInput('subscriptionKeyQueryName'),
    description: host.getInput('apiDescription'),
    tags: list(host, 'apiTags'),
    version: version(host, apiId),
    revisionMode: oneOf(host, 'revisionMode', ['update', 'newRevision', 'newRevisionCurrent'] as const, 'update'),
    revisionDescription: host.getInput('revisionDescription'),
    releaseNotes: host.getInput('releaseNotes'),
    retire: retire(host),
    products,
    policy: policy(host),
    operationPolicies: { folder: filePath(host, 'operationPoliciesFolder'), files: operationPolicyFiles(host) },
  };
}

function productSettings(host: TaskHost): ProductSettings {
  const state = oneOf(host, 'productState', ['keep', 'published', 'notPublished'] as const, 'keep');
  return {
    productId: checkEntityId('productId', required(host, 'productId')),
    displayName: host.getInput('productDisplayName'),
    description: host.getInput('productDescription'),
    terms: host.getInput('productTerms'),
    subscriptionRequired: optionalBool(host, 'productSubscriptionRequired'),
    approvalRequired: optionalBool(host, 'productApprovalRequired'),
    subscriptionsLimit: int(host, 'productSubscriptionsLimit', undefined, 0, 1_000_000),
    state: state === 'keep' ? undefined : state,
    groups: list(host, 'productGroups'),
    removeOtherGroups: bool(host, 'removeOtherGroups', false),
    policy: policy(host),
  };
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function maxLength(name: string, value: string | undefined, max: number): string | undefined {
  if (value !== undefined && value.length > max) throw new InputError(name, `at most ${max} characters (got ${value.length})`);
  return value;
}

function namedValueSettings(host: TaskHost): NamedValueSettings {
  const namedValueId = checkEntityId('namedValueId', required(host, 'namedValueId'));
  const displayName = host.getInput('namedValueDisplayName') ?? namedValueId;
  if (!/^[A-Za-z0-9._-]{1,256}$/.test(displayName)) {
    throw new InputError('namedValueDisplayName', `'${displayName}' is not a valid named value name (letters, digits, '.', '-', '_'; at most 256 characters)`);
  }
  const tags = host.getInput('namedValueTags') === undefined ? undefined : list(host, 'namedValueTags');
  if (tags && tags.length > 32) throw new InputError('namedValueTags', `at most 32 tags (got ${tags.length})`);
  const kind = oneOf(host, 'namedValueSource', ['value', 'keyVault'] as const, 'value');
  if (kind === 'keyVault') {
    const secretIdentifier = required(host, 'namedValueKeyVaultSecret');
    let url: URL | undefined;
    try {
      url = new URL(secretIdentifier);
    } catch {
      url = undefined;
    }
    if (!url || url.protocol !== 'https:' || !/^\/secrets\/[0-9A-Za-z-]+(\/[0-9A-Za-z]+)?\/?$/.test(url.pathname) || url.search || url.hash) {
      throw new InputError('namedValueKeyVaultSecret', `'${secretIdentifier}' is not a Key Vault secret identifier (https://<vault>.vault.azure.net/secrets/<name>, optionally /<version>)`);
    }
    const identityClientId = host.getInput('namedValueIdentityClientId');
    if (identityClientId !== undefined && !GUID.test(identityClientId)) {
      throw new InputError('namedValueIdentityClientId', `'${identityClientId}' is not a client id (a GUID); leave it empty to use the service's system-assigned identity`);
    }
    return { namedValueId, displayName, source: { kind, secretIdentifier, identityClientId }, secret: true, tags };
  }
  // The value itself is never echoed in an error: it may be a secret not yet registered with the agent.
  const value = host.getSecretInput('namedValueValue');
  if (value === undefined) throw new InputError('namedValueValue', 'is required');
  if (value.length > 4096) throw new InputError('namedValueValue', `at most 4096 characters (got ${value.length})`);
  return { namedValueId, displayName, source: { kind, value }, secret: bool(host, 'namedValueSecret', true), tags };
}

/**
 * Credential lines `Name: value` (headers) or `name=value` (query). A name may repeat: APIM sends
 * each value. Errors name the line, never its value (a credential).
 */
function credentialLines(host: TaskHost, name: string, separator: ':' | '='): CredentialValues | undefined {
  const text = host.getSecretInput(name);
  if (text === undefined) return undefined;
  const out: CredentialValues = {};
  const form = separator === ':' ? "'Name: value'" : "'name=value'";
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const at = line.indexOf(separator);
    const key = at > 0 ? line.slice(0, at).trim() : '';
    const value = at > 0 ? line.slice(at + 1).trim() : '';
    const validKey = separator === ':' ? /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(key) : /^[^\s&=#?]+$/.test(key);
    if (!validKey || !value) throw new InputError(name, `line ${i + 1} is not of the form ${form}`);
    (out[key] ??= []).push(value);
  });
  return Object.keys(out).length ? out : undefined;
}

function backendSettings(host: TaskHost): BackendSettings {
  const backendId = checkEntityId('backendId', required(host, 'backendId'));
  const url = httpsUrl(host, 'backendUrl', bool(host, 'backendAllowHttp', false)) ?? required(host, 'backendUrl');
  maxLength('backendUrl', url, 2000);
  const resourceId = maxLength('backendResourceId', host.getInput('backendResourceId'), 2000);
  if (resourceId !== undefined && !/^(https:\/\/[^\s/]+)?\/subscriptions\/[^\s/]+\/resourceGroups\/[^\s/]+\/providers\/[^\s]+$/i.test(resourceId)) {
    throw new InputError('backendResourceId', `'${resourceId}' is not an Azure resource id or its management URL (e.g. https://management.azure.com/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Web/sites/<app>)`);
  }
  const scheme = host.getInput('backendAuthScheme');
  const parameter = host.getSecretInput('backendAuthParameter');
  if ((scheme === undefined) !== (parameter === undefined)) {
    throw new InputError(scheme === undefined ? 'backendAuthScheme' : 'backendAuthParameter', 'is required with the other authorization input (scheme and parameter go together)');
  }
  if (scheme !== undefined && !/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/.test(scheme)) throw new InputError('backendAuthScheme', `'${scheme}' is not an authorization scheme (a token such as Basic or Bearer, at most 100 characters)`);
  if (parameter !== undefined && parameter.length > 300) throw new InputError('backendAuthParameter', `at most 300 characters (got ${parameter.length})`);
  const thumbprints = host.getInput('backendCertificateThumbprints') === undefined ? undefined : list(host, 'backendCertificateThumbprints');
  for (const t of thumbprints ?? []) if (!/^[0-9A-Fa-f]{40}$/.test(t)) throw new InputError('backendCertificateThumbprints', `'${t}' is not a certificate thumbprint (40 hexadecimal digits)`);
  const certificateIds = host.getInput('backendCertificateIds') === undefined ? undefined : list(host, 'backendCertificateIds');
  for (const c of certificateIds ?? []) if (/\s/.test(c)) throw new InputError('backendCertificateIds', `'${c}' is not a certificate id`);
  for (const [n, l] of [['backendCertificateThumbprints', thumbprints], ['backendCertificateIds', certificateIds]] as const) {
    if (l && l.length > 32) throw new InputError(n, `at most 32 certificates (got ${l.length})`);
  }
  return {
    backendId,
    url,
    protocol: oneOf(host, 'backendProtocol', ['http', 'soap'] as const, 'http'),
    title: maxLength('backendTitle', host.getInput('backendTitle'), 300),
    description: maxLength('backendDescription', host.getInput('backendDescription'), 2000),
    resourceId,
    validateCertificateChain: bool(host, 'backendValidateCertificateChain', true),
    validateCertificateName: bool(host, 'backendValidateCertificateName', true),
    headers: credentialLines(host, 'backendHeaders', ':'),
    query: credentialLines(host, 'backendQuery', '='),
    authorization: scheme !== undefined && parameter !== undefined ? { scheme, parameter } : undefined,
    certificateThumbprints: thumbprints?.length ? thumbprints : undefined,
    certificateIds: certificateIds?.length ? certificateIds : undefined,
  };
}

function actionSettings(host: TaskHost): ActionSettings {
  const action = oneOf(host, 'action', ['api', 'product', 'globalPolicy', 'releaseRevision', 'namedValue', 'backend'] as const, 'api');
  switch (action) {
    case 'api':
      return { action, api: apiSettings(host) };
    case 'product':
      return { action, product: productSettings(host) };
    case 'globalPolicy':
      return { action, global: { policy: policy(host) } };
    case 'releaseRevision':
      return {
        action,
        release: {
          apiId: checkEntityId('apiId', required(host, 'apiId')),
          revision: int(host, 'revisionNumber', undefined, 1, 100_000),
          notes: host.getInput('releaseNotes'),
          retire: retire(host),
        },
      };
    case 'namedValue':
      return { action, namedValue: namedValueSettings(host) };
    case 'backend':
      return { action, backend: backendSettings(host) };
  }
}

export function readSettings(inputs: TaskInputs): ApimDeploySettings {
  const host = inputs.host;
  return {
    connection: required(host, 'azureSubscription'),
    target: { resourceGroup: required(host, 'resourceGroupName'), serviceName: required(host, 'serviceName') },
    lroTimeoutMs: int(host, 'timeoutMinutes', 30, 1, 240)! * 60_000,
    workingDirectory: path.resolve(host.getVariable('System.DefaultWorkingDirectory') ?? process.cwd()),
    run: actionSettings(host),
  };
}
