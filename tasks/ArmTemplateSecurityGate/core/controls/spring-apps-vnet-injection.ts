import { expectNonEmptyString, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'spring-apps-vnet-injection',
    title: 'Azure Spring Apps runs in your virtual network',
    severity: 'medium',
    featureSet: 'SpringApps',
    resourceTypes: ['Microsoft.AppPlatform/Spring'],
    rationale:
      'Without virtual network injection the service runtime and apps run on Microsoft-managed networks with public ' +
      'endpoints, outside your NSGs, firewalls and private DNS. networkProfile.serviceRuntimeSubnetId (with appSubnetId) ' +
      'places them in your subnets. The Basic tier cannot be injected.',
    remediation: {
      text: 'Set properties.networkProfile.serviceRuntimeSubnetId and appSubnetId to two dedicated subnets (Standard or Enterprise tier).',
      snippet: snippet({
        type: 'Microsoft.AppPlatform/Spring',
        sku: { name: 'S0', tier: 'Standard' },
        properties: { networkProfile: { serviceRuntimeSubnetId: "[parameters('runtimeSubnetId')]", appSubnetId: "[parameters('appSubnetId')]" } },
      }),
    },
    references: { checkov: ['CKV2_AZURE_23'], mcsb: ['NS-1'] },
    since: '2026-12-07',
  },
  expectNonEmptyString('$.properties.networkProfile.serviceRuntimeSubnetId', { ifAbsent: 'fail', absentReason: 'the service is not injected into a virtual network', what: 'virtual network injection' }),
);
