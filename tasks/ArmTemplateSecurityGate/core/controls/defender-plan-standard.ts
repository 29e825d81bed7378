import { expectOneOf, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'defender-plan-standard',
    title: 'Microsoft Defender for Cloud plan is on (Standard tier)',
    severity: 'medium',
    featureSet: 'DefenderForCloud',
    resourceTypes: ['Microsoft.Security/pricings'],
    rationale:
      'A Microsoft.Security/pricings resource turns a Defender plan (Servers, SqlServers, StorageAccounts, KeyVaults, Arm, ' +
      'Containers…) on or off for the subscription. pricingTier "Free" turns off threat detection for that resource type: ' +
      'no alerts for anomalous key vault access, SQL injection or malware uploads. A template that declares a plan should ' +
      'declare it Standard.',
    remediation: {
      text: 'Set properties.pricingTier to "Standard".',
      snippet: snippet({ type: 'Microsoft.Security/pricings', name: 'KeyVaults', properties: { pricingTier: 'Standard' } }),
    },
    references: { checkov: ['CKV_AZURE_19', 'CKV_AZURE_84', 'CKV_AZURE_87', 'CKV_AZURE_234'], mcsb: ['LT-1'] },
    since: '2026-12-07',
  },
  expectOneOf('$.properties.pricingTier', ['Standard'], { ifAbsent: 'fail', absentReason: 'the plan is declared without a tier', what: 'the Defender plan tier' }),
);
