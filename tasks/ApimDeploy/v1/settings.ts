/** v1 inputs: the only file that knows their names. Every value is checked here, naming the input. */
import * as path from 'node:path';
import { InputError } from '../../common/errors';
import type { TaskInputs } from '../../common/host/inputs';
import { redactUrl } from '../../common/http/redact';
import { oneLine } from '../../common/log/safe-text';
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
import { checkEntityId } from '../core/entity-id';
import { isGuid } from '../../common/guid';

/** Tri-state pick lists: `keep` leaves the service's value as it is. */
function optionalBool(inputs: TaskInputs, name: string): boolean | undefined {
  const v = inputs.enumOf(name, ['keep', 'true', 'false'] as const, 'keep');
  return v === 'keep' ? undefined : v === 'true';
}

/** The lists the task's help calls comma-separated (or one per line): a semicolon stays part of a value. */
function list(inputs: TaskInputs, name: string): string[] {
  return inputs.list(name, { separators: ',' });
}

/**
 * A URL may carry a credential (a SAS `sig=`, a function `code=`, a password): it is read without
 * task-lib's debug echo, and messages show it redacted. The task registers its secret parts
 * (settingsSecrets) before anything else runs.
 */
function httpsUrl(inputs: TaskInputs, name: string, allowHttp = false): string | undefined {
  const v = inputs.secret(name, { register: false });
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

function document(inputs: TaskInputs, sourceInput: string, fileInput: string, urlInput: string, inlineInput: string, kind: string): DocumentSource {
  switch (kind) {
    case 'file': {
      const p = inputs.filePath(fileInput);
      if (!p) throw new InputError(fileInput, 'is required: the path of the file');
      return { kind: 'file', path: p };
    }
    case 'url':
      return { kind: 'url', url: httpsUrl(inputs, urlInput, true) ?? inputs.required(urlInput) };
    case 'inline':
      return { kind: 'inline', text: inputs.required(inlineInput), input: inlineInput };
    default:
      throw new InputError(sourceInput, `unexpected '${kind}'`);
  }
}

function policy(inputs: TaskInputs): PolicySource {
  const kind = inputs.enumOf('policySource', ['none', 'file', 'inline', 'template'] as const, 'none');
  if (kind === 'none') return { kind: 'none' };
  if (kind === 'template') return { kind: 'template', text: inputs.required('policyTemplate'), input: 'policyTemplate' };
  return { kind: 'document', source: document(inputs, 'policySource', 'policyFile', 'policyFile', 'policyInline', kind) };
}

function retire(inputs: TaskInputs): RetirePolicy {
  return {
    action: inputs.enumOf('retireRevisions', ['none', 'offline', 'delete'] as const, 'none'),
    keep: inputs.int('keepRevisions', 2, { min: 1, max: 100 }),
    offlineCheck: inputs.enumOf('offlineCheck', ['fail', 'warn'] as const, 'fail'),
  };
}

function version(inputs: TaskInputs, apiId: string): VersionSettings | undefined {
  const v = inputs.string('apiVersion');
  if (!v) return undefined;
  const scheme = inputs.enumOf('versioningScheme', ['Segment', 'Header', 'Query'] as const, 'Segment');
  return {
    version: v,
    versionSetId: checkEntityId('versionSetId', inputs.string('versionSetId') ?? `${apiId.replace(/-v[\d.]+$/i, '')}-versions`),
    versionSetName: inputs.string('versionSetName'),
    scheme,
    headerName: scheme === 'Header' ? (inputs.string('versionHeaderName') ?? 'Api-Version') : undefined,
    queryName: scheme === 'Query' ? (inputs.string('versionQueryName') ?? 'api-version') : undefined,
  };
}

/** Lines of `<operationId> = <policy file>` (or `=>`). */
function operationPolicyFiles(inputs: TaskInputs): Array<{ operationId: string; path: string }> {
  return [...inputs.map('operationPolicies')].map(([operationId, file]) => {
    if (/\s/.test(operationId)) throw new InputError('operationPolicies', `'${oneLine(operationId)}' is not an operation id (it has a space); expected lines of '<operationId> = <policy file>'`);
    return { operationId, path: file };
  });
}

function apiSettings(inputs: TaskInputs): ApiSettings {
  const apiId = checkEntityId('apiId', inputs.required('apiId'));
  const specKind = inputs.enumOf('specSource', ['file', 'url', 'inline'] as const, 'file');
  const protocols = list(inputs, 'apiProtocols').map((p) => p.toLowerCase());
  for (const p of protocols) if (!['http', 'https', 'ws', 'wss'].includes(p)) throw new InputError('apiProtocols', `unknown protocol '${p}' (expected https, http, ws, wss)`);
  const apiPath = (inputs.string('apiPath') ?? '').replace(/^\/+|\/+$/g, '');
  if (/[?#\s]/.test(apiPath)) throw new InputError('apiPath', `'${apiPath}' is not a URL suffix (no spaces, '?' or '#')`);
  const products = list(inputs, 'products').map((p) => checkEntityId('products', p));
  return {
    apiId,
    spec: document(inputs, 'specSource', 'specFile', 'specUrl', 'specInline', specKind),
    specFormat: inputs.enumOf('specFormat', ['auto', 'openapi', 'wsdl', 'graphql'] as const, 'auto'),
    wsdl: {
      serviceName: inputs.string('wsdlServiceName'),
      endpointName: inputs.string('wsdlEndpointName'),
      soapApiType: inputs.enumOf('soapApiType', ['soap', 'http'] as const, 'soap'),
    },
    displayName: inputs.string('apiDisplayName'),
    path: apiPath,
    protocols: protocols.length ? protocols : undefined,
    serviceUrl: httpsUrl(inputs, 'serviceUrl', true),
    subscriptionRequired: optionalBool(inputs, 'subscriptionRequired'),
    subscriptionKeyHeaderName: inputs.string('subscriptionKeyHeaderName'),
    subscriptionKeyQueryName: inputs.string('subscriptionKeyQueryName'),
    description: inputs.string('apiDescription'),
    tags: list(inputs, 'apiTags'),
    version: version(inputs, apiId),
    revisionMode: inputs.enumOf('revisionMode', ['update', 'newRevision', 'newRevisionCurrent'] as const, 'update'),
    revisionDescription: inputs.string('revisionDescription'),
    releaseNotes: inputs.string('releaseNotes'),
    retire: retire(inputs),
    products,
    policy: policy(inputs),
    operationPolicies: { folder: inputs.filePath('operationPoliciesFolder'), files: operationPolicyFiles(inputs) },
  };
}

function productSettings(inputs: TaskInputs): ProductSettings {
  const state = inputs.enumOf('productState', ['keep', 'published', 'notPublished'] as const, 'keep');
  return {
    productId: checkEntityId('productId', inputs.required('productId')),
    displayName: inputs.string('productDisplayName'),
    description: inputs.string('productDescription'),
    terms: inputs.string('productTerms'),
    subscriptionRequired: optionalBool(inputs, 'productSubscriptionRequired'),
    approvalRequired: optionalBool(inputs, 'productApprovalRequired'),
    subscriptionsLimit: inputs.int('productSubscriptionsLimit', undefined, { min: 0, max: 1_000_000 }),
    state: state === 'keep' ? undefined : state,
    groups: list(inputs, 'productGroups'),
    removeOtherGroups: inputs.bool('removeOtherGroups', false),
    policy: policy(inputs),
  };
}

function maxLength(name: string, value: string | undefined, max: number): string | undefined {
  if (value !== undefined && value.length > max) throw new InputError(name, `at most ${max} characters (got ${value.length})`);
  return value;
}

function namedValueSettings(inputs: TaskInputs): NamedValueSettings {
  const namedValueId = checkEntityId('namedValueId', inputs.required('namedValueId'));
  const displayName = inputs.string('namedValueDisplayName') ?? namedValueId;
  if (!/^[A-Za-z0-9._-]{1,256}$/.test(displayName)) {
    throw new InputError('namedValueDisplayName', `'${displayName}' is not a valid named value name (letters, digits, '.', '-', '_'; at most 256 characters)`);
  }
  const tags = inputs.string('namedValueTags') === undefined ? undefined : list(inputs, 'namedValueTags');
  if (tags && tags.length > 32) throw new InputError('namedValueTags', `at most 32 tags (got ${tags.length})`);
  const kind = inputs.enumOf('namedValueSource', ['value', 'keyVault'] as const, 'value');
  if (kind === 'keyVault') {
    const secretIdentifier = inputs.required('namedValueKeyVaultSecret');
    let url: URL | undefined;
    try {
      url = new URL(secretIdentifier);
    } catch {
      url = undefined;
    }
    if (!url || url.protocol !== 'https:' || !/^\/secrets\/[0-9A-Za-z-]+(\/[0-9A-Za-z]+)?\/?$/.test(url.pathname) || url.search || url.hash) {
      throw new InputError('namedValueKeyVaultSecret', `'${secretIdentifier}' is not a Key Vault secret identifier (https://<vault>.vault.azure.net/secrets/<name>, optionally /<version>)`);
    }
    const identityClientId = inputs.string('namedValueIdentityClientId');
    if (identityClientId !== undefined && !isGuid(identityClientId)) {
      throw new InputError('namedValueIdentityClientId', `'${identityClientId}' is not a client id (a GUID); leave it empty to use the service's system-assigned identity`);
    }
    return { namedValueId, displayName, source: { kind, secretIdentifier, identityClientId }, secret: true, tags };
  }
  // The value itself is never echoed in an error: it may be a secret not yet registered with the agent.
  const value = inputs.secret('namedValueValue', { register: false });
  if (value === undefined) throw new InputError('namedValueValue', 'is required');
  if (value.length > 4096) throw new InputError('namedValueValue', `at most 4096 characters (got ${value.length})`);
  return { namedValueId, displayName, source: { kind, value }, secret: inputs.bool('namedValueSecret', true), tags };
}

/**
 * Credential lines `Name: value` (headers) or `name=value` (query). A name may repeat: APIM sends
 * each value. Errors name the line, never its value (a credential).
 */
function credentialLines(inputs: TaskInputs, name: string, separator: ':' | '='): CredentialValues | undefined {
  const text = inputs.secret(name, { register: false });
  if (text === undefined) return undefined;
  // A Map, not an object: a header named `constructor` or `__proto__` is a name like any other.
  const out = new Map<string, string[]>();
  const form = separator === ':' ? "'Name: value'" : "'name=value'";
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const at = line.indexOf(separator);
    const key = at > 0 ? line.slice(0, at).trim() : '';
    const value = at > 0 ? line.slice(at + 1).trim() : '';
    const validKey = separator === ':' ? /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(key) : /^[^\s&=#?]+$/.test(key);
    if (!validKey || !value) throw new InputError(name, `line ${i + 1} is not of the form ${form}`);
    const values = out.get(key);
    if (values) values.push(value);
    else out.set(key, [value]);
  });
  // fromEntries defines own properties, so even `__proto__` stays a key of the result.
  return out.size ? Object.fromEntries<string[]>(out) : undefined;
}

function backendSettings(inputs: TaskInputs): BackendSettings {
  const backendId = checkEntityId('backendId', inputs.required('backendId'));
  const url = httpsUrl(inputs, 'backendUrl', inputs.bool('backendAllowHttp', false)) ?? inputs.required('backendUrl');
  maxLength('backendUrl', url, 2000);
  const resourceId = maxLength('backendResourceId', inputs.string('backendResourceId'), 2000);
  if (resourceId !== undefined && !/^(https:\/\/[^\s/]+)?\/subscriptions\/[^\s/]+\/resourceGroups\/[^\s/]+\/providers\/[^\s]+$/i.test(resourceId)) {
    throw new InputError('backendResourceId', `'${resourceId}' is not an Azure resource id or its management URL (e.g. https://management.azure.com/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Web/sites/<app>)`);
  }
  const scheme = inputs.string('backendAuthScheme');
  const parameter = inputs.secret('backendAuthParameter', { register: false });
  if ((scheme === undefined) !== (parameter === undefined)) {
    throw new InputError(scheme === undefined ? 'backendAuthScheme' : 'backendAuthParameter', 'is required with the other authorization input (scheme and parameter go together)');
  }
  if (scheme !== undefined && !/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/.test(scheme)) throw new InputError('backendAuthScheme', `'${scheme}' is not an authorization scheme (a token such as Basic or Bearer, at most 100 characters)`);
  if (parameter !== undefined && parameter.length > 300) throw new InputError('backendAuthParameter', `at most 300 characters (got ${parameter.length})`);
  const thumbprints = inputs.string('backendCertificateThumbprints') === undefined ? undefined : list(inputs, 'backendCertificateThumbprints');
  for (const t of thumbprints ?? []) if (!/^[0-9A-Fa-f]{40}$/.test(t)) throw new InputError('backendCertificateThumbprints', `'${t}' is not a certificate thumbprint (40 hexadecimal digits)`);
  const certificateIds = inputs.string('backendCertificateIds') === undefined ? undefined : list(inputs, 'backendCertificateIds');
  for (const c of certificateIds ?? []) if (/\s/.test(c)) throw new InputError('backendCertificateIds', `'${c}' is not a certificate id`);
  for (const [n, l] of [['backendCertificateThumbprints', thumbprints], ['backendCertificateIds', certificateIds]] as const) {
    if (l && l.length > 32) throw new InputError(n, `at most 32 certificates (got ${l.length})`);
  }
  return {
    backendId,
    url,
    protocol: inputs.enumOf('backendProtocol', ['http', 'soap'] as const, 'http'),
    title: maxLength('backendTitle', inputs.string('backendTitle'), 300),
    description: maxLength('backendDescription', inputs.string('backendDescription'), 2000),
    resourceId,
    validateCertificateChain: inputs.bool('backendValidateCertificateChain', true),
    validateCertificateName: inputs.bool('backendValidateCertificateName', true),
    headers: credentialLines(inputs, 'backendHeaders', ':'),
    query: credentialLines(inputs, 'backendQuery', '='),
    authorization: scheme !== undefined && parameter !== undefined ? { scheme, parameter } : undefined,
    certificateThumbprints: thumbprints?.length ? thumbprints : undefined,
    certificateIds: certificateIds?.length ? certificateIds : undefined,
  };
}

function actionSettings(inputs: TaskInputs): ActionSettings {
  const action = inputs.enumOf('action', ['api', 'product', 'globalPolicy', 'releaseRevision', 'namedValue', 'backend'] as const, 'api');
  switch (action) {
    case 'api':
      return { action, api: apiSettings(inputs) };
    case 'product':
      return { action, product: productSettings(inputs) };
    case 'globalPolicy':
      return { action, global: { policy: policy(inputs) } };
    case 'releaseRevision':
      return {
        action,
        release: {
          apiId: checkEntityId('apiId', inputs.required('apiId')),
          revision: inputs.int('revisionNumber', undefined, { min: 1, max: 100_000 }),
          notes: inputs.string('releaseNotes'),
          retire: retire(inputs),
        },
      };
    case 'namedValue':
      return { action, namedValue: namedValueSettings(inputs) };
    case 'backend':
      return { action, backend: backendSettings(inputs) };
  }
}

export function readSettings(inputs: TaskInputs): ApimDeploySettings {
  return {
    connection: inputs.required('azureSubscription'),
    target: { resourceGroup: inputs.required('resourceGroupName'), serviceName: inputs.required('serviceName') },
    lroTimeoutMs: inputs.int('timeoutMinutes', 30, { min: 1, max: 240 }) * 60_000,
    workingDirectory: path.resolve(inputs.variable('System.DefaultWorkingDirectory') ?? process.cwd()),
    run: actionSettings(inputs),
  };
}
