/**
 * Typed settings of the ApimDeploy core. Settings readers (v1/settings.ts) build these from task
 * inputs; the core never sees an input name.
 */

export type Action = 'api' | 'product' | 'globalPolicy' | 'releaseRevision' | 'namedValue' | 'backend';

/** Where a document (spec or policy) comes from, already named for messages. */
export type DocumentSource =
  | { kind: 'file'; path: string }
  | { kind: 'url'; url: string }
  | { kind: 'inline'; text: string; input: string };

export type SpecFormat = 'auto' | 'openapi' | 'wsdl' | 'graphql';

export type VersioningScheme = 'Segment' | 'Header' | 'Query';

export type RevisionMode = 'update' | 'newRevision' | 'newRevisionCurrent';

export type RetireAction = 'none' | 'offline' | 'delete';

/** What to do when a revision is still online after the request to take it offline. */
export type OfflineCheck = 'fail' | 'warn';

export interface RetirePolicy {
  action: RetireAction;
  /** Revisions to keep, counting the current one and the newest ones. */
  keep: number;
  /**
   * `isOnline` is read-only in the 2024-05-01 specification, so the service may ignore the PATCH
   * that takes a revision offline: each one is read back, and one still online fails the run
   * (default) or is a warning.
   */
  offlineCheck?: OfflineCheck;
}

/** One entry of a policy template list (see policy-templates.ts). */
export type PolicyTemplate = Record<string, unknown>;

export type PolicySource =
  | { kind: 'none' }
  | { kind: 'document'; source: DocumentSource }
  | { kind: 'template'; text: string; input: string };

export interface OperationPolicySources {
  /** Folder of `<operationId>.xml` files. */
  folder?: string;
  /** operationId -> file, from a per-operation input. */
  files: Array<{ operationId: string; path: string }>;
}

export interface ServiceTarget {
  resourceGroup: string;
  serviceName: string;
}

export interface VersionSettings {
  version: string;
  versionSetId: string;
  versionSetName?: string;
  scheme: VersioningScheme;
  headerName?: string;
  queryName?: string;
}

export interface ApiSettings {
  apiId: string;
  spec: DocumentSource;
  specFormat: SpecFormat;
  wsdl?: { serviceName?: string; endpointName?: string; soapApiType: 'soap' | 'http' };
  displayName?: string;
  path: string;
  protocols?: string[];
  serviceUrl?: string;
  subscriptionRequired?: boolean;
  subscriptionKeyHeaderName?: string;
  subscriptionKeyQueryName?: string;
  description?: string;
  tags: string[];
  version?: VersionSettings;
  revisionMode: RevisionMode;
  revisionDescription?: string;
  releaseNotes?: string;
  retire: RetirePolicy;
  products: string[];
  policy: PolicySource;
  operationPolicies: OperationPolicySources;
}

/** A product's own properties, as v1's inputs and v2's declared state both give them. */
export interface ProductProperties {
  description?: string;
  terms?: string;
  subscriptionRequired?: boolean;
  approvalRequired?: boolean;
  subscriptionsLimit?: number;
  state?: 'published' | 'notPublished';
}

export interface ProductSettings extends ProductProperties {
  productId: string;
  displayName?: string;
  groups: string[];
  removeOtherGroups: boolean;
  policy: PolicySource;
}

export interface GlobalPolicySettings {
  policy: PolicySource;
}

export interface ReleaseSettings {
  apiId: string;
  /** Undefined: the newest revision. */
  revision?: number;
  notes?: string;
  retire: RetirePolicy;
}

/** Where a named value's value comes from: given here, or a Key Vault secret APIM reads itself. */
export type NamedValueSource =
  | { kind: 'value'; value: string }
  | { kind: 'keyVault'; secretIdentifier: string; identityClientId?: string };

export interface NamedValueSettings {
  namedValueId: string;
  /** What policies write inside `{{ }}`; the id when not given. */
  displayName: string;
  source: NamedValueSource;
  /** Key Vault references are always secret in APIM. */
  secret: boolean;
  /** Undefined: keep the current tags. */
  tags?: string[];
}

/** Header or query credentials: name -> values, in the order given (a name may repeat). */
export type CredentialValues = Record<string, string[]>;

export interface BackendSettings {
  backendId: string;
  url: string;
  protocol: 'http' | 'soap';
  title?: string;
  description?: string;
  resourceId?: string;
  validateCertificateChain: boolean;
  validateCertificateName: boolean;
  /** Each credential part left undefined is left as the service has it. */
  headers?: CredentialValues;
  query?: CredentialValues;
  authorization?: { scheme: string; parameter: string };
  certificateThumbprints?: string[];
  certificateIds?: string[];
}

export type ActionSettings =
  | { action: 'api'; api: ApiSettings }
  | { action: 'product'; product: ProductSettings }
  | { action: 'globalPolicy'; global: GlobalPolicySettings }
  | { action: 'releaseRevision'; release: ReleaseSettings }
  | { action: 'namedValue'; namedValue: NamedValueSettings }
  | { action: 'backend'; backend: BackendSettings };

export interface ApimDeploySettings {
  connection: string;
  target: ServiceTarget;
  /** Bound on every long-running operation (API import, revision creation). */
  lroTimeoutMs: number;
  /** Base folder that relative file paths are resolved against. */
  workingDirectory: string;
  run: ActionSettings;
}

/** What the task reports as output variables. */
export interface DeployOutputs {
  apiId?: string;
  apiRevision?: string;
  gatewayUrl?: string;
  productId?: string;
  namedValueId?: string;
  backendId?: string;
  /** Writes made; 0 on an unchanged re-run. */
  writes: number;
}
