/**
 * The service as a declared-state run sees it: the v1 gateway (reads and writes per entity) plus
 * listings and deletes. arm-state-gateway.ts builds it over the SDK; tests use the in-process emulator.
 */
import type { ApimGateway, PolicyScope } from '../gateway';
import type { SubscriptionStateName } from './model';

export interface InventoryGateway {
  /** Ids of the APIs (current revisions only). */
  listApis(): Promise<string[]>;
  listProducts(): Promise<string[]>;
  listBackends(): Promise<string[]>;
  listVersionSets(): Promise<string[]>;
  listProductApis(productId: string): Promise<string[]>;
  removeApiFromProduct(productId: string, apiId: string): Promise<void>;
  /** Deletes the API with all its revisions. */
  deleteApi(apiId: string, etag: string): Promise<void>;
  deleteProduct(productId: string, etag: string): Promise<void>;
  deleteNamedValue(id: string, etag: string): Promise<void>;
  deleteBackend(id: string, etag: string): Promise<void>;
  /** Current APIs with the id of the version set each belongs to (the last segment of its ARM id). */
  listApiVersionSets(): Promise<Array<{ apiId: string; versionSetId?: string }>>;
  /** The service refuses while an API still belongs to the set. */
  deleteVersionSet(id: string, etag: string): Promise<void>;
  /** Ids of every tag of the service. */
  listTags(): Promise<string[]>;
  /** Also detaches the tag from every API, product and operation. */
  deleteTag(id: string, etag: string): Promise<void>;
  detachTagFromApi(apiId: string, tagId: string): Promise<void>;
  /** Tags assigned to a product (id, lower case -> displayName); none for a product that does not exist. */
  listProductTags(productId: string): Promise<Map<string, string>>;
  /** The service refuses (404) a tag or product that does not exist. */
  assignTagToProduct(productId: string, tagId: string): Promise<void>;
  detachTagFromProduct(productId: string, tagId: string): Promise<void>;
  /** Tags assigned to an operation of the API's current revision; none for an operation that does not exist. */
  listOperationTags(apiId: string, operationId: string): Promise<Map<string, string>>;
  /** The service refuses (404) a tag, API or operation that does not exist. */
  assignTagToOperation(apiId: string, operationId: string, tagId: string): Promise<void>;
  detachTagFromOperation(apiId: string, operationId: string, tagId: string): Promise<void>;
  /** Deletes a policy (If-Match `*`: the plan compared its content, not its ETag); one already gone is done. */
  deletePolicy(scope: PolicyScope): Promise<void>;
}

export interface StateGateway extends ApimGateway, InventoryGateway, SharedEntityGateway, SubscriptionGateway {}

/** A subscription's settings as the service returns them; never its keys. */
export interface SubscriptionState {
  id: string;
  etag?: string;
  /** As the service returns it: a resource id ending in `/products/{id}`, `/apis/{id}`, `/apis`, or the service's own (all access). */
  scope: string;
  displayName?: string;
  state: string;
  allowTracing?: boolean;
}

/** What a subscription write sends: `scope` is `/products/{id}`, `/apis/{id}` or `/apis`. No keys: the service generates them. */
export interface SubscriptionWrite {
  scope?: string;
  displayName?: string;
  state?: SubscriptionStateName;
  allowTracing?: boolean;
}

export interface SubscriptionGateway {
  listSubscriptions(): Promise<SubscriptionState[]>;
  /** Subscription_CreateOrUpdate (PUT): `scope` and `displayName` are required. */
  createSubscription(id: string, body: SubscriptionWrite & { scope: string; displayName: string }): Promise<void>;
  /** Subscription_Update (PATCH) with the ETag read by the plan. */
  updateSubscription(id: string, etag: string, patch: SubscriptionWrite): Promise<void>;
  deleteSubscription(id: string, etag: string): Promise<void>;
}

export interface PolicyFragmentState {
  etag?: string;
  value: string;
  description?: string;
}

export interface GroupState {
  etag?: string;
  displayName: string;
  description?: string;
  type?: string;
  externalId?: string;
  builtIn: boolean;
}

/** Policy fragments and groups: entities v1 does not manage. */
export interface SharedEntityGateway {
  listPolicyFragments(): Promise<string[]>;
  getPolicyFragment(id: string): Promise<PolicyFragmentState | undefined>;
  /** Long-running PUT, awaited with the configured bound. */
  putPolicyFragment(id: string, value: string, description: string | undefined): Promise<void>;
  getGroup(id: string): Promise<GroupState | undefined>;
  putGroup(id: string, group: { displayName: string; description?: string; type: 'custom' | 'external'; externalId?: string }): Promise<void>;
  /** The service's managed identities: what reads the Key Vault secrets of named values. */
  getServiceIdentity(): Promise<ServiceIdentity>;
  /** Ids of the groups that are neither built-in nor `type: system` (administrators, developers, guests): the ones that can be deleted. */
  listCustomGroups(): Promise<string[]>;
  deleteGroup(id: string, etag: string): Promise<void>;
  /** ARM ids of the policies that include the fragment (PolicyFragment_ListReferences). */
  listPolicyFragmentReferences(id: string): Promise<string[]>;
  /** The service refuses while a policy still includes the fragment. */
  deletePolicyFragment(id: string, etag: string): Promise<void>;
}

export interface ServiceIdentity {
  systemAssigned: boolean;
  /** Client ids of the user-assigned identities, lower case. */
  userAssignedClientIds: string[];
}
