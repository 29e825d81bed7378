import { expectLocalAuthDisabled, resourceControl, ResourceView, snippet, when } from './helpers';

/** API for NoSQL accounts (kind GlobalDocumentDB, the default) are the ones where Entra ID can replace keys for data access. */
function isNoSqlAccount(view: ResourceView): boolean {
  const kind = view.get('$.kind');
  if (kind.state === 'value' && (typeof kind.value !== 'string' || kind.value.toLowerCase() !== 'globaldocumentdb')) return false;
  const caps = view.get('$.properties.capabilities');
  if (caps.state !== 'value' || !Array.isArray(caps.value)) return true;
  return !caps.value.some((c) => {
    const name = c !== null && typeof c === 'object' && !Array.isArray(c) ? (c as Record<string, unknown>)['name'] : undefined;
    return typeof name === 'string' && /^(EnableCassandra|EnableMongo|EnableTable|EnableGremlin)$/i.test(name);
  });
}

export default resourceControl(
  {
    id: 'cosmos-db-local-auth-disabled',
    title: 'Cosmos DB (API for NoSQL) refuses account keys for data access',
    severity: 'medium',
    featureSet: 'CosmosDb',
    resourceTypes: ['Microsoft.DocumentDB/databaseAccounts'],
    rationale:
      'Account keys give full read/write access to every container, never expire and cannot be tied to a person. With ' +
      'disableLocalAuth true, data-plane requests need an Entra ID token and a Cosmos DB data role. Applies to API for NoSQL ' +
      'accounts (kind GlobalDocumentDB without a Cassandra, MongoDB, Table or Gremlin capability), where data-plane RBAC exists.',
    remediation: {
      text: 'Set properties.disableLocalAuth to true and grant Cosmos DB built-in data roles (sqlRoleAssignments) to the identities that need access.',
      snippet: snippet({ type: 'Microsoft.DocumentDB/databaseAccounts', kind: 'GlobalDocumentDB', properties: { disableLocalAuth: true } }),
    },
    references: { checkov: ['CKV_AZURE_140'], psrule: ['Azure.Cosmos.DisableLocalAuth'], mcsb: ['IM-1'] },
    since: '2026-12-07',
  },
  when(isNoSqlAccount, expectLocalAuthDisabled()),
);
