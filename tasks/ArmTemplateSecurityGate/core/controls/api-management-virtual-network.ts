import { expectOneOf, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'api-management-virtual-network',
    title: 'API Management is deployed into a virtual network',
    severity: 'medium',
    featureSet: 'APIManagement',
    resourceTypes: ['Microsoft.ApiManagement/service'],
    rationale:
      'In a virtual network (External or Internal mode) the gateway reaches back ends over private addresses and management and ' +
      'developer endpoints can be kept off the internet. virtualNetworkType defaults to None. Where VNet injection is not ' +
      'practical (Consumption tier, private endpoints instead), suppress with that reason.',
    remediation: {
      text: 'Set virtualNetworkType to "External" or "Internal" with virtualNetworkConfiguration.subnetResourceId.',
      snippet: snippet({
        type: 'Microsoft.ApiManagement/service',
        properties: { virtualNetworkType: 'Internal', virtualNetworkConfiguration: { subnetResourceId: "[parameters('subnetId')]" } },
      }),
    },
    references: { azsk: ['Azure_APIManagement_NetSec_Configure_Virtual_Network_For_APIM'], checkov: ['CKV_AZURE_107'], mcsb: ['NS-2'] },
    since: '2026-11-23',
  },
  expectOneOf('$.properties.virtualNetworkType', ['External', 'Internal'], { ifAbsent: 'fail', absentReason: 'defaults to None', what: 'the virtual network mode' }),
);
