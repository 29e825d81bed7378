import { expectRestrictedCallers, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'logic-app-contents-ip-restriction',
    title: 'Logic App run history contents are readable only from listed addresses',
    severity: 'high',
    featureSet: 'LogicApps',
    resourceTypes: ['Microsoft.Logic/workflows'],
    rationale:
      'Run history holds the inputs and outputs of every action, often including personal data and tokens. ' +
      'accessControl.contents.allowedCallerIpAddresses restricts who can read them; without it, anyone with read access to the ' +
      'workflow can read them from anywhere. An entry of 0.0.0.0-255.255.255.255 restricts nothing.',
    remediation: {
      text: 'Add accessControl.contents.allowedCallerIpAddresses with the operators\' ranges (or use secure inputs/outputs).',
      snippet: snippet({
        type: 'Microsoft.Logic/workflows',
        properties: { accessControl: { contents: { allowedCallerIpAddresses: [{ addressRange: '203.0.113.0/28' }] } } },
      }),
    },
    references: { azsk: ['Azure_LogicApps_AuthZ_Provide_Contents_Access_Control'], mcsb: ['NS-2'] },
    since: '2026-11-23',
  },
  expectRestrictedCallers('$.properties.accessControl.contents.allowedCallerIpAddresses', 'the run-history caller restriction'),
);
