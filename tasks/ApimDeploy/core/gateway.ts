/**
 * The slice of API Management the core needs, in its own terms. arm-gateway.ts implements it over
 * @azure/arm-apimanagement; tests implement it with a fake that behaves like APIM. Reads return
 * undefined for "not found"; every method that changes APIM is a write (named put/patch/delete/...).
 */

export interface ServiceInfo {
  sku: string;
  gatewayUrl?: string;
}

export interface ApiState {
  /** The API id as addressed (`orders` or `orders;rev=3`). */
  id: string;
  etag?: string;
  displayName?: string;
  path?: string;
  serviceUrl?: string;
  protocols?: string[];
  subscriptionRequired?: boolean;
  subscriptionKeyHeaderName?: string;
  subscriptionKeyQueryName?: string;
  description?: string;
  apiRevision?: string;
  isCurrent?: boolean;
  /** Whether the revision answers through the gateway (read-only in the specification). */
  isOnline?: boolean;
  apiVersion?: string;
  apiVersionSetId?: string;
  apiType?: string;
}

export interface RevisionInfo {
  revision: number;
  isCurrent: boolean;
  isOnline: boolean;
  created?: Date;
}

export interface OperationInfo {
  name: string;
  displayName?: string;
  method?: string;
  urlTemplate?: string;
}

export interface VersionSetState {
  etag?: string;
  displayName?: string;
  scheme?: string;
  headerName?: string;
  queryName?: string;
}

export interface ProductState {
  etag?: string;
  displayName?: string;
  description?: string;
  terms?: string;
  subscriptionRequired?: boolean;
  approvalRequired?: boolean;
  subscriptionsLimit?: number;
  state?: string;
}

export interface NamedValueInfo {
  name: string;
  displayName?: string;
}

export interface KeyVaultReference {
  secretIdentifier: string;
  /** Client id of a user-assigned identity of the service; undefined for the system-assigned one. */
  identityClientId?: string;
}

/** A named value as GET shows it: never the value of a secret (read that with readNamedValueSecret). */
export interface NamedValueState {
  etag?: string;
  displayName: string;
  secret: boolean;
  tags: string[];
  value?: string;
  keyVault?: KeyVaultReference;
}

/** Body of a named value PUT: exactly one of value and keyVault. */
export interface NamedValuePut {
  displayName: string;
  secret: boolean;
  tags: string[];
  value?: string;
  keyVault?: KeyVaultReference;
}

export interface BackendCredentials {
  header?: Record<string, string[]>;
  query?: Record<string, string[]>;
  authorization?: { scheme: string; parameter: string };
  /** Client certificate thumbprints (ignored by APIM when certificateIds are given). */
  certificate?: string[];
  certificateIds?: string[];
}

export interface BackendTls {
  validateCertificateChain?: boolean;
  validateCertificateName?: boolean;
}

/** The backend fields this task manages; others (proxy, circuit breaker, pool) are left alone. */
export interface BackendFields {
  url?: string;
  protocol?: string;
  title?: string;
  description?: string;
  resourceId?: string;
  tls?: BackendTls;
  credentials?: BackendCredentials;
}

export interface BackendState extends BackendFields {
  etag?: string;
}

export type PolicyScope =
  | { kind: 'global' }
  | { kind: 'product'; productId: string }
  | { kind: 'api'; apiId: string }
  | { kind: 'operation'; apiId: string; operationId: string };

/** Body of an API create/update (import) PUT. */
export interface ApiPut {
  format?: string;
  value?: string;
  wsdlSelector?: { wsdlServiceName?: string; wsdlEndpointName?: string };
  soapApiType?: string;
  apiType?: string;
  displayName?: string;
  /**
   * Required by the 2024-05-01 specification on every create or update (ApiCreateOrUpdateProperties),
   * creating a revision included; the service answers 400 ValidationError without it.
   */
  path: string;
  serviceUrl?: string;
  protocols?: string[];
  subscriptionRequired?: boolean;
  subscriptionKeyParameterNames?: { header?: string; query?: string };
  description?: string;
  apiVersion?: string;
  apiVersionSetId?: string;
  apiRevisionDescription?: string;
  sourceApiId?: string;
}

export type ApiPatch = Partial<
  Pick<ApiPut, 'displayName' | 'path' | 'serviceUrl' | 'protocols' | 'subscriptionRequired' | 'subscriptionKeyParameterNames' | 'description' | 'apiVersion' | 'apiVersionSetId'>
>;

export interface ServiceGateway {
  getService(): Promise<ServiceInfo>;
  /** Full ARM id of an entity under the service, for sourceApiId / apiVersionSetId / release apiId. */
  resourceId(relative: string): string;
}

/** APIs, their revisions, operations, schema and releases. */
export interface ApiGateway {
  getApi(apiId: string): Promise<ApiState | undefined>;
  listRevisions(apiId: string): Promise<RevisionInfo[]>;
  /** Long-running PUT, awaited with the configured bound. */
  putApi(apiId: string, body: ApiPut): Promise<ApiState>;
  patchApi(apiId: string, etag: string, patch: ApiPatch): Promise<void>;
  takeRevisionOffline(apiId: string, etag: string): Promise<void>;
  deleteRevision(apiId: string, etag: string): Promise<void>;
  listOperations(apiId: string): Promise<OperationInfo[]>;
  /** GraphQL APIs get their schema as a separate (long-running) upload. */
  putGraphQlSchema(apiId: string, sdl: string): Promise<void>;
  createRelease(apiId: string, releaseId: string, revisionApiId: string, notes?: string): Promise<void>;
}

export interface VersionSetGateway {
  getVersionSet(id: string): Promise<VersionSetState | undefined>;
  putVersionSet(id: string, state: Required<Pick<VersionSetState, 'displayName' | 'scheme'>> & VersionSetState): Promise<void>;
}

export interface TagGateway {
  /** Tags assigned to an API: id -> displayName. */
  listApiTags(apiId: string): Promise<Map<string, string>>;
  /** Display names of every tag of the service, by id. */
  getTag(tagId: string): Promise<string | undefined>;
  putTag(tagId: string, displayName: string): Promise<void>;
  assignTagToApi(apiId: string, tagId: string): Promise<void>;
}

export interface PolicyGateway {
  getPolicy(scope: PolicyScope): Promise<string | undefined>;
  putPolicy(scope: PolicyScope, rawXml: string): Promise<void>;
}

export interface NamedValueGateway {
  listNamedValues(): Promise<NamedValueInfo[]>;
  getNamedValue(id: string): Promise<NamedValueState | undefined>;
  /** The value of a secret named value (POST listValue); for a Key Vault one, the vault's current value. */
  readNamedValueSecret(id: string): Promise<string>;
  /** Long-running PUT, awaited with the configured bound; conditional (If-Match) when an ETag is given. */
  putNamedValue(id: string, body: NamedValuePut, etag?: string): Promise<void>;
}

export interface BackendGateway {
  getBackend(id: string): Promise<BackendState | undefined>;
  createBackend(id: string, body: BackendFields & { url: string; protocol: string }): Promise<void>;
  /** PATCH with If-Match: only the fields given change. */
  updateBackend(id: string, etag: string, patch: BackendFields): Promise<void>;
}

/** Products, the APIs in them and the groups that may use them. */
export interface ProductGateway {
  getProduct(productId: string): Promise<ProductState | undefined>;
  putProduct(productId: string, state: ProductState): Promise<void>;
  isApiInProduct(productId: string, apiId: string): Promise<boolean>;
  addApiToProduct(productId: string, apiId: string): Promise<void>;
  listProductGroups(productId: string): Promise<string[]>;
  listGroups(): Promise<string[]>;
  addGroupToProduct(productId: string, groupId: string): Promise<void>;
  removeGroupFromProduct(productId: string, groupId: string): Promise<void>;
}

/** Everything the v1 core reaches; each slice has its own ARM module under core/arm/. */
export interface ApimGateway
  extends ServiceGateway,
    ApiGateway,
    VersionSetGateway,
    TagGateway,
    PolicyGateway,
    NamedValueGateway,
    BackendGateway,
    ProductGateway {}
