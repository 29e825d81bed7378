import { expectBool, perVmModel, resourceControl, snippet, VM_TYPE, VMSS_TYPE, type Rule } from './helpers';

// Made once per VM model, not once per resource.
const ruleFor = perVmModel((model) =>
  expectBool(`${model}.diagnosticsProfile.bootDiagnostics.enabled`, true, {
    ifAbsent: 'fail',
    absentReason: 'boot diagnostics are off unless enabled',
    what: 'boot diagnostics',
  }),
);

const rule: Rule = (view, ctx) => ruleFor(view)(view, ctx);

export default resourceControl(
  {
    id: 'vm-boot-diagnostics',
    title: 'VMs and scale sets have boot diagnostics enabled',
    severity: 'low',
    featureSet: 'VirtualMachine',
    resourceTypes: [VM_TYPE, VMSS_TYPE],
    rationale:
      'The serial console — the way in when SSH or RDP is closed to the network, as it should be — and the boot log and screenshot needed ' +
      'to investigate a VM that stops answering all require boot diagnostics. With managed storage (no storageUri) nothing else is needed.',
    remediation: {
      text: 'Set diagnosticsProfile.bootDiagnostics.enabled to true; leave storageUri out to use managed storage.',
      snippet: snippet({ diagnosticsProfile: { bootDiagnostics: { enabled: true } } }),
    },
    references: {},
    since: '2026-12-07',
  },
  rule,
);
