import { expectOneOf, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'service-fabric-automatic-upgrade',
    title: 'Service Fabric cluster receives runtime upgrades automatically',
    severity: 'medium',
    featureSet: 'ServiceFabric',
    resourceTypes: ['Microsoft.ServiceFabric/clusters'],
    rationale:
      'Clusters left on an old Service Fabric runtime miss security fixes and eventually fall out of support. upgradeMode ' +
      '"Automatic" applies new runtime versions as Microsoft releases them. Stated explicitly because "Manual" pins the version.',
    remediation: {
      text: 'Set properties.upgradeMode to "Automatic" (optionally with upgradeWave).',
      snippet: snippet({ type: 'Microsoft.ServiceFabric/clusters', properties: { upgradeMode: 'Automatic' } }),
    },
    references: { azsk: ['Azure_ServiceFabric_SI_Set_Auto_Update_Cluster'], mcsb: ['PV-6'] },
    since: '2026-11-23',
  },
  expectOneOf('$.properties.upgradeMode', ['Automatic'], { ifAbsent: 'fail', absentReason: 'state the upgrade mode explicitly', what: 'the upgrade mode' }),
);
