import { expectPublicAccessClosed, firewallDenies, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'key-vault-network-default-deny',
    title: 'Key Vault firewall denies by default (or public access is off)',
    severity: 'high',
    featureSet: 'KeyVault',
    resourceTypes: ['Microsoft.KeyVault/vaults'],
    rationale:
      'A vault that accepts connections from any network can be reached by anyone holding a stolen token; the firewall is the ' +
      'second lock. networkAcls.defaultAction "Deny" admits only listed IP ranges, subnets and (with bypass AzureServices) ' +
      'trusted services; publicNetworkAccess "Disabled" leaves private endpoints only. The default is Allow.',
    remediation: {
      text: 'Set properties.networkAcls.defaultAction to "Deny" and list the networks that need the vault, or set publicNetworkAccess to "Disabled".',
      snippet: snippet({ type: 'Microsoft.KeyVault/vaults', properties: { networkAcls: { defaultAction: 'Deny', bypass: 'AzureServices', ipRules: [], virtualNetworkRules: [] } } }),
    },
    references: { checkov: ['CKV_AZURE_109'], psrule: ['Azure.KeyVault.Firewall'], mcsb: ['NS-2'] },
    since: '2026-12-07',
  },
  expectPublicAccessClosed({ closedBy: firewallDenies(), closedByText: 'networkAcls.defaultAction is Deny', absentReason: 'defaults to Enabled and the firewall to Allow' }),
);
