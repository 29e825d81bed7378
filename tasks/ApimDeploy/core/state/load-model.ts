/**
 * Reads a state folder: `apim.yaml` declares the entities and names the documents (definitions,
 * policies) by paths relative to the folder; an environment file overrides what differs per stage.
 * Everything is checked here, before anything is read from or sent to the service: YAML, ids,
 * definitions, policy XML, Key Vault references, and that every file stays inside the folder.
 */
import * as path from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { FileError } from '../../../common/errors';
import type { FileSystem } from '../../../common/fs/file-system';
import type { BackendCredentials, BackendTls, KeyVaultReference } from '../gateway';
import { checkPolicyXml, type PolicyDocument } from '../policy-xml';
import { loadSpec, type LoadedSpec } from '../spec';
import { SUBSCRIPTION_STATES, type ApiDecl, type BackendDecl, type DesiredState, type GroupDecl, type NamedValueDecl, type PolicyFragmentDecl, type ProductDecl, type RetireDecl, type SubscriptionDecl, type SubscriptionScope, type VersionSetDecl } from './model';
import { opt, parseYamlFile, type YamlNode } from './yaml-node';
import { isGuid } from '../../../common/guid';

export const MODEL_FILE = 'apim.yaml';

const ENTITY_ID = /^[A-Za-z0-9][A-Za-z0-9-_.]{0,79}$/;
const NAMED_VALUE_NAME = /^[A-Za-z0-9-._]+$/;

function id(node: YamlNode, key: string): string {
  if (!ENTITY_ID.test(key)) throw new FileError(node.file, `'${key}' is not a valid API Management id (letters, digits, '-', '_', '.'; at most 80 characters)`, node.declaredLine);
  return key;
}

/** Reads files named in the model: relative to the state folder, never outside it. */
class Documents {
  constructor(
    private readonly fs: FileSystem,
    private readonly folder: string,
  ) {}

  resolve(node: YamlNode): string {
    const rel = node.string();
    if (path.isAbsolute(rel) || /^[a-zA-Z]:/.test(rel) || rel.split(/[\\/]/).includes('..')) node.fail(`'${rel}' must be a path inside the state folder (relative, no '..')`);
    return path.join(this.folder, rel);
  }

  read(node: YamlNode): { file: string; text: string } {
    const file = this.resolve(node);
    if (!this.fs.isFile(file)) node.fail(`file '${node.string()}' not found in the state folder`);
    return { file, text: this.fs.readText(file).replace(/^\uFEFF/, '') };
  }

  policy(node: YamlNode | undefined, level: 'global' | 'product' | 'api' | 'operation'): PolicyDocument | undefined {
    if (!node?.present) return undefined;
    const { file, text } = this.read(node);
    const doc = { source: file, xml: text };
    checkPolicyXml(doc, level);
    return doc;
  }

  /** A policy fragment: well-formed XML whose root is `<fragment>`. */
  fragment(node: YamlNode): PolicyDocument {
    const { file, text } = this.read(node);
    const valid = XMLValidator.validate(text, { allowBooleanAttributes: true });
    if (valid !== true) throw new FileError(file, `policy fragment XML is not well-formed: ${valid.err.msg}`, valid.err.line, valid.err.col);
    if (!/^\s*(<\?xml[^>]*\?>\s*)?(<!--[\s\S]*?-->\s*)*<fragment[\s>]/.test(text)) throw new FileError(file, 'the root element of a policy fragment must be <fragment>', 1);
    return { source: file, xml: text };
  }

  /** Operation policies: a folder of `<operationId>.xml` or a mapping `operationId: file`. */
  operationPolicies(node: YamlNode | undefined): Map<string, PolicyDocument> {
    const out = new Map<string, PolicyDocument>();
    if (!node?.present) return out;
    const add = (op: string, doc: PolicyDocument | undefined, at: YamlNode) => {
      if (!doc) return;
      if ([...out.keys()].some((k) => k.toLowerCase() === op.toLowerCase())) at.fail(`a second policy for operation '${op}'`);
      out.set(op, doc);
    };
    if (node.isScalar) {
      const folder = this.resolve(node);
      if (!this.fs.isDirectory(folder)) node.fail(`folder '${node.string()}' not found in the state folder`);
      for (const name of this.fs.list(folder).filter((n) => n.toLowerCase().endsWith('.xml'))) {
        const doc = { source: path.join(folder, name), xml: this.fs.readText(path.join(folder, name)).replace(/^\uFEFF/, '') };
        checkPolicyXml(doc, 'operation');
        add(name.slice(0, -4), doc, node);
      }
    } else {
      for (const [op, file] of node.entries()) add(op, this.policy(file, 'operation'), file);
    }
    return out;
  }
}

/** The service takes a tag's display name of 1 to 160 characters (TagContractProperties). */
const TAG_NAME_MAX = 160;

/** Tag names of an API, product or operation: each one once (case-insensitive), as the service keeps them. */
function tagNames(node: YamlNode | undefined): string[] {
  const out: string[] = [];
  for (const item of node?.present ? (node.isScalar ? [node] : node.items()) : []) {
    const name = item.string().trim();
    if (!name || name.length > TAG_NAME_MAX) item.fail(`a tag name has 1 to ${TAG_NAME_MAX} characters`);
    if (out.some((t) => t.toLowerCase() === name.toLowerCase())) item.fail(`tag '${name}' is listed twice`);
    out.push(name);
  }
  return out;
}

/**
 * `operationTags: { operationId: [tag, …] }`, next to `operationPolicies`: the operations are the
 * definition's, so one it does not have is an error at the key's line.
 */
function operationTags(node: YamlNode | undefined, spec: LoadedSpec & { source: string }): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [op, tags] of node?.entries() ?? []) {
    if (spec.operationIds.length > 0 && !spec.operationIds.some((o) => o.toLowerCase() === op.toLowerCase())) {
      throw new FileError(tags.file, `'${tags.where}': the definition ${spec.source} has no operation '${op}' (operations: ${spec.operationIds.join(', ')})`, tags.declaredLine);
    }
    out.set(op, tagNames(tags));
  }
  return out;
}

function httpsUrl(node: YamlNode, allowHttp: boolean): string {
  const v = node.string();
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return node.fail('expected an absolute URL');
  }
  if (url.protocol !== 'https:' && !(allowHttp && url.protocol === 'http:')) node.fail(`expected an ${allowHttp ? 'http(s)' : 'https'} URL`);
  return v;
}

const KEY_VAULT_HOST = /\.vault\.(azure\.net|azure\.cn|usgovcloudapi\.net|microsoftazure\.de)$/i;

/** `https://<vault>.vault.azure.net/secrets/<name>[/<version>]`, as APIM accepts it. */
function keyVault(node: YamlNode): KeyVaultReference {
  const f = node.fields(['secretIdentifier', 'identityClientId']);
  if (!f.secretIdentifier?.present) node.fail(`'secretIdentifier' is required (https://<vault>.vault.azure.net/secrets/<name>)`);
  const sid = f.secretIdentifier.string();
  let url: URL | undefined;
  try {
    url = new URL(sid);
  } catch {
    url = undefined;
  }
  const parts = url?.pathname.split('/').filter(Boolean) ?? [];
  const ok =
    url?.protocol === 'https:' &&
    KEY_VAULT_HOST.test(url.hostname) &&
    !url.search &&
    parts[0] === 'secrets' &&
    /^[0-9a-zA-Z-]{1,127}$/.test(parts[1] ?? '') &&
    (parts.length === 2 || (parts.length === 3 && /^[0-9a-f]{32}$/i.test(parts[2] ?? '')));
  if (!ok) f.secretIdentifier.fail(`'${sid}' is not a Key Vault secret identifier (https://<vault>.vault.azure.net/secrets/<name>[/<32-hex version>])`);
  const client = opt.string(f.identityClientId);
  if (client !== undefined && !isGuid(client)) f.identityClientId!.fail('expected the client id (a GUID) of a user-assigned identity of the service');
  return { secretIdentifier: sid, identityClientId: client };
}

type NamedValueFields = Partial<Pick<NamedValueDecl, 'displayName' | 'secret' | 'tags' | 'value' | 'keyVault'>>;

function namedValueFields(node: YamlNode, allowed: readonly string[]): NamedValueFields {
  const f = node.fields(allowed);
  const out: NamedValueFields = {};
  if (f.displayName?.present) {
    out.displayName = f.displayName.string();
    if (!NAMED_VALUE_NAME.test(out.displayName) || out.displayName.length > 256) f.displayName.fail(`'${out.displayName}' is not a valid named value name (letters, digits, '-', '.', '_')`);
  }
  if (f.secret?.present) out.secret = f.secret.bool();
  if (f.tags?.present) out.tags = f.tags.strings();
  if (f.value?.present) out.value = f.value.string();
  if (f.keyVault?.present) out.keyVault = keyVault(f.keyVault);
  if (out.value !== undefined && out.keyVault) node.fail(`give 'value' or 'keyVault', not both`);
  return out;
}

function finishNamedValue(key: string, node: YamlNode, fields: NamedValueFields): NamedValueDecl {
  if (fields.value === undefined && !fields.keyVault) node.fail(`named value '${key}' needs 'value' or 'keyVault' (here or in the environment file)`);
  if (fields.value !== undefined && fields.value.length > 4096) node.fail('a named value holds at most 4096 characters');
  return {
    id: key,
    displayName: fields.displayName ?? key,
    secret: fields.keyVault ? true : (fields.secret ?? false),
    tags: fields.tags ?? [],
    value: fields.keyVault ? undefined : fields.value,
    keyVault: fields.keyVault,
    source: node.file,
    line: node.declaredLine,
  };
}

type BackendFieldsDecl = Partial<Omit<BackendDecl, 'id' | 'source' | 'line'>>;

function credentialMap(node: YamlNode): Record<string, string[]> {
  return Object.fromEntries(node.entries().map(([k, v]) => [k, v.strings()]));
}

function backendFields(node: YamlNode, allowed: readonly string[]): BackendFieldsDecl {
  const f = node.fields(allowed);
  const out: BackendFieldsDecl = {};
  if (f.url?.present) out.url = httpsUrl(f.url, true);
  if (f.protocol?.present) out.protocol = f.protocol.oneOf(['http', 'soap'] as const);
  out.title = opt.string(f.title);
  out.description = opt.string(f.description);
  out.resourceId = opt.string(f.resourceId);
  if (f.tls?.present) {
    const t = f.tls.fields(['validateCertificateChain', 'validateCertificateName']);
    const tls: BackendTls = {};
    if (t.validateCertificateChain?.present) tls.validateCertificateChain = t.validateCertificateChain.bool();
    if (t.validateCertificateName?.present) tls.validateCertificateName = t.validateCertificateName.bool();
    out.tls = tls;
  }
  if (f.credentials?.present) {
    const c = f.credentials.fields(['header', 'query', 'authorization', 'certificateIds']);
    const creds: BackendCredentials = {};
    if (c.header?.present) creds.header = credentialMap(c.header);
    if (c.query?.present) creds.query = credentialMap(c.query);
    if (c.authorization?.present) {
      const a = c.authorization.fields(['scheme', 'parameter']);
      if (!a.scheme?.present || !a.parameter?.present) c.authorization.fail(`needs 'scheme' and 'parameter'`);
      creds.authorization = { scheme: a.scheme!.string(), parameter: a.parameter!.string() };
    }
    if (c.certificateIds?.present) creds.certificateIds = c.certificateIds.strings();
    out.credentials = creds;
  }
  for (const k of Object.keys(out) as Array<keyof BackendFieldsDecl>) if (out[k] === undefined) delete out[k];
  return out;
}

function finishBackend(key: string, node: YamlNode, fields: BackendFieldsDecl): BackendDecl {
  if (!fields.url) node.fail(`backend '${key}' needs 'url' (here or in the environment file)`);
  return { id: key, ...fields, url: fields.url, protocol: fields.protocol ?? 'http', source: node.file, line: node.declaredLine };
}

function versionSet(key: string, node: YamlNode): VersionSetDecl {
  const f = node.fields(['displayName', 'scheme', 'headerName', 'queryName']);
  const scheme = f.scheme?.present ? f.scheme.oneOf(['Segment', 'Header', 'Query'] as const) : 'Segment';
  return {
    id: key,
    displayName: opt.string(f.displayName) ?? key,
    scheme,
    headerName: scheme === 'Header' ? (opt.string(f.headerName) ?? 'Api-Version') : undefined,
    queryName: scheme === 'Query' ? (opt.string(f.queryName) ?? 'api-version') : undefined,
    source: node.file,
    line: node.declaredLine,
  };
}

function policyFragment(key: string, node: YamlNode, docs: Documents): PolicyFragmentDecl {
  // `id: file.xml`, or a mapping with the file and a description.
  if (node.isScalar) return { id: key, doc: docs.fragment(node), source: node.file, line: node.declaredLine };
  const f = node.fields(['file', 'description']);
  if (!f.file?.present) node.fail(`policy fragment '${key}' needs 'file' (the fragment XML)`);
  return { id: key, description: opt.string(f.description), doc: docs.fragment(f.file), source: node.file, line: node.declaredLine };
}

function group(key: string, node: YamlNode): GroupDecl {
  const f = node.fields(['displayName', 'description', 'type', 'externalId']);
  const type = f.type?.present ? f.type.oneOf(['custom', 'external'] as const) : 'custom';
  const externalId = opt.string(f.externalId);
  if (type === 'external' && !externalId) node.fail(`an external group needs 'externalId' (aad://<tenant>/groups/<object id>)`);
  return { id: key, displayName: opt.string(f.displayName) ?? key, description: opt.string(f.description), type, externalId, source: node.file, line: node.declaredLine };
}

/** Most revisions an API can have is far below this; a larger `keep` is a typo. */
const MAX_KEEP = 1000;

/**
 * `retireRevisions: { action: offline | delete, keep: N }`, or `none` (an API that keeps every
 * revision although the top-level default retires them). Undefined: not given here.
 */
function retirePolicy(node: YamlNode | undefined): RetireDecl | 'none' | undefined {
  if (!node?.present) return undefined;
  if (node.isScalar) {
    if (node.string().toLowerCase() !== 'none') node.fail(`expected 'none' or a mapping { action: offline | delete, keep: <number> }`);
    return 'none';
  }
  const f = node.fields(['action', 'keep']);
  if (!f.action?.present) node.fail(`'action' is required (offline or delete)`);
  if (!f.keep?.present) node.fail(`'keep' is required: how many revisions stay, counting the current one (1 or more)`);
  return { action: f.action!.oneOf(['offline', 'delete'] as const), keep: f.keep!.int(1, MAX_KEEP), source: node.file, line: node.declaredLine };
}

const API_KEYS = [
  'path', 'spec', 'specFormat', 'wsdl', 'displayName', 'description', 'serviceUrl', 'protocols', 'subscriptionRequired', 'subscriptionKeyHeaderName',
  'subscriptionKeyQueryName', 'apiVersion', 'versionSet', 'revision', 'revisionDescription', 'releaseNotes', 'retireRevisions', 'tags', 'policy', 'operationPolicies',
  'operationTags',
] as const;

/** What an environment may change on an API: the backend URL and how many revisions it keeps. */
interface ApiOverride {
  serviceUrl?: string;
  retire?: RetireDecl | 'none';
}

function api(key: string, node: YamlNode, docs: Documents, env: ApiOverride, defaultRetire: RetireDecl | undefined): ApiDecl {
  const f = node.fields(API_KEYS);
  if (!f.path) node.fail(`API '${key}' needs 'path' (the URL suffix; '' for none)`);
  const apiPath = (f.path.present ? f.path.string() : '').replace(/^\/+|\/+$/g, '');
  if (/[?#\s]/.test(apiPath)) f.path.fail(`'${apiPath}' is not a URL suffix (no spaces, '?' or '#')`);
  if (!f.spec?.present) node.fail(`API '${key}' needs 'spec' (the OpenAPI, WSDL or GraphQL definition file)`);
  const specFile = docs.read(f.spec);
  // Names and values as v1's inputs (specFormat, wsdlServiceName, wsdlEndpointName, soapApiType).
  const specFormat = f.specFormat?.present ? f.specFormat.oneOf(['auto', 'openapi', 'wsdl', 'graphql'] as const) : 'auto';
  let wsdl: ApiDecl['wsdl'];
  if (f.wsdl?.present) {
    const w = f.wsdl.fields(['serviceName', 'endpointName', 'soapApiType']);
    wsdl = { serviceName: opt.string(w.serviceName), endpointName: opt.string(w.endpointName), soapApiType: w.soapApiType?.present ? w.soapApiType.oneOf(['soap', 'http'] as const) : 'soap' };
  }
  const spec = { ...loadSpec(specFile.text, specFile.file, specFormat, wsdl), source: specFile.file };
  if (wsdl && spec.kind !== 'wsdl') f.wsdl!.fail(`'wsdl' applies to a WSDL definition; ${specFile.file} is ${spec.kind === 'graphql' ? 'a GraphQL schema' : 'an OpenAPI definition'}`);
  if (spec.kind === 'wsdl') wsdl ??= { soapApiType: 'soap' };
  const protocols = f.protocols?.present ? f.protocols.strings().map((p) => p.toLowerCase()) : undefined;
  for (const p of protocols ?? []) if (!['http', 'https', 'ws', 'wss'].includes(p)) f.protocols!.fail(`unknown protocol '${p}' (expected https, http, ws, wss)`);
  const operationPolicies = docs.operationPolicies(f.operationPolicies);
  if (spec.operationIds.length > 0) {
    for (const [op, doc] of operationPolicies) {
      if (!spec.operationIds.some((o) => o.toLowerCase() === op.toLowerCase())) {
        throw new FileError(doc.source, `the definition ${spec.source} has no operation '${op}' (operations: ${spec.operationIds.join(', ')})`);
      }
    }
  }
  const apiVersion = opt.string(f.apiVersion);
  const versionSetId = f.versionSet?.present ? id(f.versionSet, f.versionSet.string()) : undefined;
  if ((apiVersion === undefined) !== (versionSetId === undefined)) node.fail(`a versioned API needs both 'apiVersion' and 'versionSet'`);
  // The environment's setting wins over the API's own, which wins over the default for all APIs.
  const retire = env.retire ?? retirePolicy(f.retireRevisions);
  const serviceUrl = env.serviceUrl ?? (f.serviceUrl?.present ? httpsUrl(f.serviceUrl, true) : undefined);
  if (spec.kind === 'graphql' && !serviceUrl) node.fail(`API '${key}' is a GraphQL API: it needs 'serviceUrl' (the GraphQL endpoint), here or in the environment file`);
  return {
    id: key,
    path: apiPath,
    displayName: opt.string(f.displayName),
    description: opt.string(f.description),
    serviceUrl,
    protocols,
    subscriptionRequired: opt.bool(f.subscriptionRequired),
    subscriptionKeyHeaderName: opt.string(f.subscriptionKeyHeaderName),
    subscriptionKeyQueryName: opt.string(f.subscriptionKeyQueryName),
    apiVersion,
    versionSetId,
    revision: opt.int(f.revision, 1, 100_000),
    revisionDescription: opt.string(f.revisionDescription),
    releaseNotes: opt.string(f.releaseNotes),
    retire: retire === 'none' ? undefined : (retire ?? defaultRetire),
    tags: tagNames(f.tags),
    spec,
    wsdl,
    policy: docs.policy(f.policy, 'api'),
    operationPolicies,
    operationTags: operationTags(f.operationTags, spec),
    source: node.file,
    line: node.declaredLine,
  };
}

type ProductOverride = Partial<Pick<ProductDecl, 'state' | 'subscriptionRequired' | 'approvalRequired' | 'subscriptionsLimit'>>;

function productOverride(f: Record<string, YamlNode | undefined>): ProductOverride {
  const out: ProductOverride = {};
  if (f.state?.present) out.state = f.state.oneOf(['published', 'notPublished'] as const);
  if (f.subscriptionRequired?.present) out.subscriptionRequired = f.subscriptionRequired.bool();
  if (f.approvalRequired?.present) out.approvalRequired = f.approvalRequired.bool();
  if (f.subscriptionsLimit?.present) out.subscriptionsLimit = f.subscriptionsLimit.int(0, 1_000_000);
  return out;
}

const PRODUCT_KEYS = ['displayName', 'description', 'terms', 'subscriptionRequired', 'approvalRequired', 'subscriptionsLimit', 'state', 'apis', 'groups', 'tags', 'policy'] as const;

function product(key: string, node: YamlNode, docs: Documents, override: ProductOverride): ProductDecl {
  const f = node.fields(PRODUCT_KEYS);
  const apis = f.apis?.items().map((n) => id(n, n.string())) ?? [];
  return {
    id: key,
    displayName: opt.string(f.displayName) ?? key,
    description: opt.string(f.description),
    terms: opt.string(f.terms),
    ...productOverride(f),
    ...override,
    apis,
    groups: f.groups?.items().map((n) => id(n, n.string())) ?? [],
    tags: tagNames(f.tags),
    policy: docs.policy(f.policy, 'product'),
    source: node.file,
    line: node.declaredLine,
  };
}

/** The path parameter `sid` of the subscription operations: at most 256 characters, none of `*#&+:<>?` (SubscriptionEntityIdParameter). */
const SUBSCRIPTION_ID = /^[^*#&+:<>?/\\\s][^*#&+:<>?/\\]{0,255}$/;

/** `scope: { product: <id> }`, `{ api: <id> }` or `allApis` (every API of the service). */
function subscriptionScope(node: YamlNode | undefined, owner: YamlNode, key: string): SubscriptionScope {
  if (!node?.present) owner.fail(`subscription '${key}' needs 'scope': { product: <id> }, { api: <id> } or allApis`);
  if (node.isScalar) {
    if (node.string() !== 'allApis') node.fail(`expected { product: <id> }, { api: <id> } or allApis; got '${node.string()}'`);
    return { kind: 'allApis' };
  }
  const entries = node.entries(['product', 'api']);
  if (entries.length !== 1) node.fail('give exactly one of product or api');
  const [kind, target] = entries[0]!;
  return { kind: kind as 'product' | 'api', id: id(target, target.string()) };
}

type SubscriptionOverride = Partial<Pick<SubscriptionDecl, 'state' | 'allowTracing'>>;

function subscriptionOverride(f: Record<string, YamlNode | undefined>): SubscriptionOverride {
  const out: SubscriptionOverride = {};
  if (f.state?.present) out.state = f.state.oneOf(SUBSCRIPTION_STATES);
  if (f.allowTracing?.present) out.allowTracing = f.allowTracing.bool();
  return out;
}

const SUBSCRIPTION_KEYS = ['displayName', 'scope', 'state', 'allowTracing'] as const;

/** A subscription: its settings only. Keys are not a declarable property (an unknown key, like any other). */
function subscription(key: string, node: YamlNode, override: SubscriptionOverride): SubscriptionDecl {
  if (!SUBSCRIPTION_ID.test(key)) throw new FileError(node.file, `'${key}' is not a valid subscription id (1 to 256 characters, none of * # & + : < > ? / \\ and no leading space)`, node.declaredLine);
  if (key.toLowerCase() === 'master') throw new FileError(node.file, `'master' is the service's built-in all-access subscription: it cannot be declared`, node.declaredLine);
  const f = node.fields(SUBSCRIPTION_KEYS);
  if (!f.displayName?.present) node.fail(`subscription '${key}' needs 'displayName' (the service requires it)`);
  const displayName = f.displayName.string();
  if (displayName.length < 1 || displayName.length > 100) f.displayName.fail('a subscription display name has 1 to 100 characters');
  return { id: key, displayName, scope: subscriptionScope(f.scope, node, key), ...subscriptionOverride(f), ...override, source: node.file, line: node.declaredLine };
}

/** One environment's section of the overrides file, by kind and id, each with its node for messages. */
interface Overrides {
  namedValues: Map<string, YamlNode>;
  backends: Map<string, YamlNode>;
  products: Map<string, YamlNode>;
  apis: Map<string, YamlNode>;
  subscriptions: Map<string, YamlNode>;
}

function readOverrides(fs: FileSystem, file: string | undefined, environment: string | undefined): Overrides {
  const none: Overrides = { namedValues: new Map(), backends: new Map(), products: new Map(), apis: new Map(), subscriptions: new Map() };
  if (!file) return none;
  if (!environment) throw new FileError(file, 'an environment file needs the name of the environment to apply');
  const root = parseYamlFile(fs.readText(file), file);
  const envs = root.entries();
  const env = envs.find(([k]) => k.toLowerCase() === environment.toLowerCase())?.[1];
  if (!env) throw new FileError(file, `no environment '${environment}' (environments: ${envs.map(([k]) => k).join(', ') || 'none'})`, root.line);
  const f = env.fields(['namedValues', 'backends', 'products', 'apis', 'subscriptions']);
  const byId = (n: YamlNode | undefined) => new Map((n?.entries() ?? []).map(([k, v]) => [k.toLowerCase(), v]));
  return { namedValues: byId(f.namedValues), backends: byId(f.backends), products: byId(f.products), apis: byId(f.apis), subscriptions: byId(f.subscriptions) };
}

function checkOverridesDeclared(overrides: Overrides, declared: Record<keyof Overrides, Set<string>>): void {
  for (const kind of Object.keys(overrides) as Array<keyof Overrides>) {
    for (const [key, node] of overrides[kind]) {
      if (!declared[kind].has(key)) throw new FileError(node.file, `'${node.where}' overrides ${kind} '${key}', which ${MODEL_FILE} does not declare`, node.declaredLine);
    }
  }
}

export interface LoadOptions {
  stateFolder: string;
  environmentFile?: string;
  environment?: string;
}

/** The desired state, or a FileError naming the file and line of the first problem. */
export function loadDesiredState(fs: FileSystem, o: LoadOptions): DesiredState {
  const modelFile = path.join(o.stateFolder, MODEL_FILE);
  if (!fs.isDirectory(o.stateFolder)) throw new FileError(o.stateFolder, `not found: input 'stateFolder' names the folder that holds ${MODEL_FILE}`);
  if (!fs.isFile(modelFile)) throw new FileError(modelFile, `not found: a state folder holds ${MODEL_FILE}`);
  const root = parseYamlFile(fs.readText(modelFile), modelFile);
  const top = root.fields(['namedValues', 'backends', 'versionSets', 'policyFragments', 'groups', 'apis', 'products', 'subscriptions', 'globalPolicy', 'retireRevisions']);
  const defaultRetire = retirePolicy(top.retireRevisions);
  const docs = new Documents(fs, o.stateFolder);
  const overrides = readOverrides(fs, o.environmentFile, o.environment);
  const keys = (n: YamlNode | undefined) => new Set((n?.entries() ?? []).map(([k]) => k.toLowerCase()));
  checkOverridesDeclared(overrides, { namedValues: keys(top.namedValues), backends: keys(top.backends), products: keys(top.products), apis: keys(top.apis), subscriptions: keys(top.subscriptions) });

  const NV_KEYS = ['displayName', 'value', 'secret', 'keyVault', 'tags'];
  const namedValues = (top.namedValues?.entries() ?? []).map(([k, n]) => {
    const base = namedValueFields(n, NV_KEYS);
    const env = overrides.namedValues.get(k.toLowerCase());
    const over = env ? namedValueFields(env, ['value', 'secret', 'keyVault']) : {};
    // An environment that gives a Key Vault reference replaces a value and the other way round.
    const merged = { ...base, ...over, ...(over.keyVault ? { value: undefined } : over.value !== undefined ? { keyVault: undefined } : {}) };
    return finishNamedValue(id(n, k), n, merged);
  });
  const seenNames = new Map<string, string>();
  for (const nv of namedValues) {
    const prior = seenNames.get(nv.displayName.toLowerCase());
    if (prior) throw new FileError(nv.source, `named values '${prior}' and '${nv.id}' share the name '${nv.displayName}' (names are unique, case-insensitive)`, nv.line);
    seenNames.set(nv.displayName.toLowerCase(), nv.id);
  }

  const BACKEND_KEYS = ['url', 'protocol', 'title', 'description', 'resourceId', 'tls', 'credentials'];
  const backends = (top.backends?.entries() ?? []).map(([k, n]) => {
    const env = overrides.backends.get(k.toLowerCase());
    const fields = { ...backendFields(n, BACKEND_KEYS), ...(env ? backendFields(env, BACKEND_KEYS.filter((b) => b !== 'protocol')) : {}) };
    return finishBackend(id(n, k), n, fields);
  });

  const versionSets = (top.versionSets?.entries() ?? []).map(([k, n]) => versionSet(id(n, k), n));
  const policyFragments = (top.policyFragments?.entries() ?? []).map(([k, n]) => policyFragment(id(n, k), n, docs));
  const groups = (top.groups?.entries() ?? []).map(([k, n]) => group(id(n, k), n));

  const apis = (top.apis?.entries() ?? []).map(([k, n]) => {
    const env = overrides.apis.get(k.toLowerCase());
    const over = env?.fields(['serviceUrl', 'retireRevisions']) ?? {};
    const apiOverride = { serviceUrl: over.serviceUrl?.present ? httpsUrl(over.serviceUrl, true) : undefined, retire: retirePolicy(over.retireRevisions) };
    return api(id(n, k), n, docs, apiOverride, defaultRetire === 'none' ? undefined : defaultRetire);
  });
  const paths = new Map<string, string>();
  for (const a of apis) {
    const key = `${a.path.toLowerCase()}|${a.versionSetId?.toLowerCase() ?? ''}|${a.apiVersion ?? ''}`;
    const prior = paths.get(key);
    if (prior) throw new FileError(a.source, `APIs '${prior}' and '${a.id}' both use the path '${a.path}'`, a.line);
    paths.set(key, a.id);
  }

  const products = (top.products?.entries() ?? []).map(([k, n]) => {
    const env = overrides.products.get(k.toLowerCase());
    return product(id(n, k), n, docs, env ? productOverride(env.fields(['state', 'subscriptionRequired', 'approvalRequired', 'subscriptionsLimit'])) : {});
  });
  for (const p of products) {
    if (p.subscriptionRequired === false && (p.approvalRequired !== undefined || p.subscriptionsLimit !== undefined)) {
      throw new FileError(p.source, `product '${p.id}': 'approvalRequired' and 'subscriptionsLimit' need 'subscriptionRequired: true'`, p.line);
    }
  }

  const subscriptions = (top.subscriptions?.entries() ?? []).map(([k, n]) => {
    const env = overrides.subscriptions.get(k.toLowerCase());
    return subscription(k, n, env ? subscriptionOverride(env.fields(['state', 'allowTracing'])) : {});
  });

  return { source: modelFile, namedValues, backends, versionSets, policyFragments, groups, apis, products, subscriptions, globalPolicy: docs.policy(top.globalPolicy, 'global') };
}

/** Every value of the model that must never be printed: secret named values and backend credentials that are not only `{{references}}`. */
export function desiredSecrets(state: DesiredState): string[] {
  const out: string[] = [];
  for (const nv of state.namedValues) if (nv.secret && nv.value) out.push(nv.value);
  for (const b of state.backends) {
    const c = b.credentials;
    const values = [...Object.values(c?.header ?? {}).flat(), ...Object.values(c?.query ?? {}).flat(), ...(c?.authorization ? [c.authorization.parameter] : [])];
    out.push(...values.filter((v) => !/^\s*(\{\{\s*[^{}\s]+\s*\}\}\s*)+$/.test(v)));
  }
  return out;
}
