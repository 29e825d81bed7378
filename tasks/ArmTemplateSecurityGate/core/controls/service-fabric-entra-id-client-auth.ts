import { allOf, expectNonEmptyString, resourceControl, snippet } from './helpers';

const required = (name: string) =>
  expectNonEmptyString(`$.properties.azureActiveDirectory.${name}`, { ifAbsent: 'fail', absentReason: 'Entra ID client authentication is not configured', what: name });

export default resourceControl(
  {
    id: 'service-fabric-entra-id-client-auth',
    title: 'Service Fabric clients authenticate with Microsoft Entra ID',
    severity: 'high',
    featureSet: 'ServiceFabric',
    resourceTypes: ['Microsoft.ServiceFabric/clusters'],
    rationale:
      'Service Fabric Explorer, PowerShell and Visual Studio reach the cluster management endpoint. With Entra ID (tenantId, ' +
      'clusterApplication and clientApplication all set) access is tied to directory identities instead of shared client certificates.',
    remediation: {
      text: 'Set properties.azureActiveDirectory with tenantId, clusterApplication and clientApplication.',
      snippet: snippet({
        type: 'Microsoft.ServiceFabric/clusters',
        properties: {
          azureActiveDirectory: {
            tenantId: '[subscription().tenantId]',
            clusterApplication: "[parameters('clusterAppId')]",
            clientApplication: "[parameters('clientAppId')]",
          },
        },
      }),
    },
    references: {
      azsk: ['Azure_ServiceFabric_AuthN_Client_AuthN_AAD_Only'],
      checkov: ['CKV_AZURE_126'],
      psrule: ['Azure.ServiceFabric.AAD'],
      mcsb: ['IM-1'],
    },
    since: '2026-11-23',
  },
  allOf(required('tenantId'), required('clusterApplication'), required('clientApplication')),
);
