import { asBool, fail, isNonEmptyString, pass, resourceControl, Rule, snippet, unknownResult } from './helpers';

const rule: Rule = (view) => {
  const publicAccess = view.get('$.properties.publicNetworkAccess');
  if (publicAccess.state === 'value' && typeof publicAccess.value === 'string' && publicAccess.value.toLowerCase() === 'disabled') {
    return pass('publicNetworkAccess is "Disabled".', publicAccess.location);
  }
  const ipRules = view.getShallow('$.properties.ipRules');
  if (ipRules.state === 'value' && Array.isArray(ipRules.value) && ipRules.value.length > 0) {
    return pass(`The firewall has ${ipRules.value.length} IP rule(s).`, ipRules.location);
  }
  const filter = view.get('$.properties.ipRangeFilter');
  if (filter.state === 'value' && isNonEmptyString(filter.value)) return pass('ipRangeFilter restricts client addresses.', filter.location);
  const vnet = view.get('$.properties.isVirtualNetworkFilterEnabled');
  const vnetRules = view.getShallow('$.properties.virtualNetworkRules');
  if (vnet.state === 'value' && asBool(vnet.value) === true && vnetRules.state === 'value' && Array.isArray(vnetRules.value) && vnetRules.value.length > 0) {
    return pass(`Virtual network filtering is on with ${vnetRules.value.length} rule(s).`, vnet.location);
  }
  // Nothing restricts access as far as is known; an unknown setting might, so it decides.
  for (const l of [publicAccess, ipRules, filter, vnet, vnetRules]) {
    if (l.state === 'unknown') return unknownResult(l, 'whether network access is restricted', view.resource);
  }
  return fail(
    'The account accepts connections from any network: no ipRules/ipRangeFilter, no virtual network rules, and publicNetworkAccess is not "Disabled".',
    view.location,
  );
};

export default resourceControl(
  {
    id: 'cosmos-db-firewall-enabled',
    title: 'Cosmos DB account restricts network access',
    severity: 'high',
    featureSet: 'CosmosDb',
    resourceTypes: ['Microsoft.DocumentDB/databaseAccounts'],
    rationale:
      'Without a firewall the account endpoint accepts connections from any address, leaving the account keys as the only barrier. ' +
      'AzSK read the string ipRangeFilter (API before 2020-04-01); current APIs use the ipRules list. Either counts, as do virtual ' +
      'network rules or publicNetworkAccess "Disabled" (private endpoints only).',
    remediation: {
      text: 'Add ipRules (and/or virtualNetworkRules with isVirtualNetworkFilterEnabled), or set publicNetworkAccess to "Disabled".',
      snippet: snippet({
        type: 'Microsoft.DocumentDB/databaseAccounts',
        properties: { publicNetworkAccess: 'Enabled', ipRules: [{ ipAddressOrRange: '203.0.113.0/28' }] },
      }),
    },
    references: { azsk: ['Azure_CosmosDB_AuthZ_Enable_Firewall'], checkov: ['CKV_AZURE_99'], mcsb: ['NS-2'] },
    since: '2026-11-23',
  },
  rule,
);
