import { expectBool, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'vmss-automatic-os-upgrade',
    title: 'Scale set applies OS image upgrades automatically',
    severity: 'medium',
    featureSet: 'VirtualMachineScaleSet',
    resourceTypes: ['Microsoft.Compute/virtualMachineScaleSets'],
    rationale:
      'Automatic OS image upgrades roll new platform images (with security fixes) across instances in batches, with health ' +
      'probes guarding the rollout. Off by default; scale sets patched another way (custom images rebuilt on a schedule) ' +
      'should suppress with that reason.',
    remediation: {
      text: 'Set upgradePolicy.automaticOSUpgradePolicy.enableAutomaticOSUpgrade to true (needs a health probe or the health extension).',
      snippet: snippet({
        type: 'Microsoft.Compute/virtualMachineScaleSets',
        properties: { upgradePolicy: { mode: 'Automatic', automaticOSUpgradePolicy: { enableAutomaticOSUpgrade: true } } },
      }),
    },
    references: { azsk: ['Azure_VirtualMachineScaleSet_SI_Enable_Auto_OS_Upgrade'], mcsb: ['PV-6'] },
    since: '2026-11-23',
  },
  expectBool('$.properties.upgradePolicy.automaticOSUpgradePolicy.enableAutomaticOSUpgrade', true, {
    ifAbsent: 'fail',
    absentReason: 'automatic OS upgrades are off by default',
    what: 'automatic OS upgrades',
  }),
);
