/**
 * The desired state of one API Management instance, as loaded from a state folder (apim.yaml and
 * the files it names) with one environment's overrides applied. Every entity knows where it was
 * declared, so a later check (a reference that does not resolve) can name the file and line.
 */
import type { BackendCredentials, BackendTls, KeyVaultReference } from '../gateway';
import type { PolicyDocument } from '../policy-xml';
import type { ApiSettings, OfflineCheck, ProductProperties } from '../model';
import type { LoadedSpec } from '../spec';

export interface Declared {
  /** File and line of the declaration. */
  source: string;
  line?: number;
}

export interface NamedValueDecl extends Declared {
  id: string;
  displayName: string;
  secret: boolean;
  tags: string[];
  /** Exactly one of value and keyVault. */
  value?: string;
  keyVault?: KeyVaultReference;
}

export interface BackendDecl extends Declared {
  id: string;
  url: string;
  protocol: 'http' | 'soap';
  title?: string;
  description?: string;
  resourceId?: string;
  tls?: BackendTls;
  credentials?: BackendCredentials;
}

export interface VersionSetDecl extends Declared {
  id: string;
  displayName: string;
  scheme: 'Segment' | 'Header' | 'Query';
  headerName?: string;
  queryName?: string;
}

/**
 * How many revisions an API keeps (`retireRevisions` in apim.yaml, per API or as the default for
 * all): `keep` counts the current one, then the newest others; older ones are taken offline or deleted.
 */
export interface RetireDecl extends Declared {
  action: 'offline' | 'delete';
  keep: number;
}

export interface ApiDecl extends Declared {
  id: string;
  path: string;
  displayName?: string;
  description?: string;
  serviceUrl?: string;
  protocols?: string[];
  subscriptionRequired?: boolean;
  subscriptionKeyHeaderName?: string;
  subscriptionKeyQueryName?: string;
  apiVersion?: string;
  versionSetId?: string;
  /**
   * The revision that must be current. Higher than the service's current one: a new revision is
   * created from it, the definition and policies go into the new one, and it is released.
   */
  revision?: number;
  revisionDescription?: string;
  releaseNotes?: string;
  /** Old revisions to retire; absent: every revision is kept. */
  retire?: RetireDecl;
  tags: string[];
  spec: LoadedSpec & { source: string };
  /** For a WSDL definition: SOAP pass-through or SOAP-to-REST, and which service/endpoint to import (as v1). */
  wsdl?: ApiSettings['wsdl'];
  policy?: PolicyDocument;
  /** Operation id (as in the definition) -> policy. */
  operationPolicies: Map<string, PolicyDocument>;
  /** Operation id (as in the definition) -> tag names (`operationTags` in apim.yaml). */
  operationTags: Map<string, string[]>;
}

export interface ProductDecl extends Declared, ProductProperties {
  id: string;
  displayName: string;
  apis: string[];
  groups: string[];
  /** Tag names, as an API's (created when the service has no such tag). */
  tags: string[];
  policy?: PolicyDocument;
}

export interface PolicyFragmentDecl extends Declared {
  id: string;
  description?: string;
  /** The fragment XML (root `<fragment>`), with its file for messages. */
  doc: PolicyDocument;
}

export interface GroupDecl extends Declared {
  id: string;
  displayName: string;
  description?: string;
  type: 'custom' | 'external';
  externalId?: string;
}

/** The states the specification gives a subscription (SubscriptionState). */
export const SUBSCRIPTION_STATES = ['active', 'suspended', 'submitted', 'rejected', 'cancelled', 'expired'] as const;
export type SubscriptionStateName = (typeof SUBSCRIPTION_STATES)[number];

/** What a subscription gives access to: one product, one API, or every API (`/apis`). */
export type SubscriptionScope = { kind: 'product'; id: string } | { kind: 'api'; id: string } | { kind: 'allApis' };

/** A subscription: settings only. Its keys are the service's (generated on create), never declared, read or logged. */
export interface SubscriptionDecl extends Declared {
  id: string;
  displayName: string;
  scope: SubscriptionScope;
  /** Absent: not compared; a new subscription then gets the service's default (`submitted`). */
  state?: SubscriptionStateName;
  allowTracing?: boolean;
}

export interface DesiredState {
  /** The model file, for messages. */
  source: string;
  namedValues: NamedValueDecl[];
  backends: BackendDecl[];
  versionSets: VersionSetDecl[];
  policyFragments: PolicyFragmentDecl[];
  groups: GroupDecl[];
  apis: ApiDecl[];
  products: ProductDecl[];
  subscriptions: SubscriptionDecl[];
  globalPolicy?: PolicyDocument;
}

/** Kinds of entity a plan names; the prune scope uses the same words. */
export const ENTITY_KINDS = ['namedValue', 'backend', 'versionSet', 'policyFragment', 'group', 'tag', 'api', 'apiRevision', 'apiPolicy', 'apiOperationPolicy', 'product', 'productPolicy', 'globalPolicy', 'subscription'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

/**
 * Kinds that can be pruned, with the id pattern that limits the scope (`*` for every id).
 * Entities: `namedValue`, `backend`, `api`, `product`, `versionSet`, `group` (never a built-in one),
 * `policyFragment`, `tag`, `globalPolicy` (deleted when the state declares none), `subscription` (never the
 * built-in all-access `master`).
 * Links and parts of declared entities, the pattern matching the declared entity's id:
 * `productApi` (APIs a declared product does not list), `productGroup` (groups it does not list),
 * `apiTag` (tags a declared API does not list), `apiOperationPolicy` (operation policies it does not declare),
 * `apiPolicy` / `productPolicy` (the policy of a declared API / product that declares none),
 * `productTag` (tags a declared product does not list), `operationTag` (tags the operations of a declared
 * API have that its `operationTags` does not list for them).
 */
export const PRUNABLE_KINDS = [
  'namedValue', 'backend', 'api', 'product', 'productApi', 'versionSet', 'group', 'policyFragment', 'tag', 'productGroup', 'apiTag', 'apiPolicy', 'apiOperationPolicy', 'productPolicy', 'productTag', 'operationTag', 'globalPolicy', 'subscription',
] as const;
export type PrunableKind = (typeof PRUNABLE_KINDS)[number];

/** How the prune scope spells a kind in the plural: `apis`, `policyFragments`, `apiOperationPolicies`. */
export function pluralKind(kind: PrunableKind): string {
  return kind.endsWith('y') ? `${kind.slice(0, -1)}ies` : `${kind}s`;
}

export interface PruneRule {
  kind: PrunableKind;
  /** A glob over ids (case-insensitive), e.g. `orders-*`. */
  pattern: string;
}

/** Typed settings of a declared-state run (ApimDeploy v2). */
export interface StateRunSettings {
  /** Folder holding apim.yaml, relative to the working directory or absolute. */
  stateFolder: string;
  environmentFile?: string;
  environment?: string;
  dryRun: boolean;
  /** Empty: nothing is ever deleted. */
  prune: PruneRule[];
  parallelism: number;
  /** A revision still online after the request to take it offline fails the run (default) or is a warning. */
  offlineCheck?: OfflineCheck;
}
