import { expectBool, perVmModel, resourceControl, snippet, VM_TYPE, VMSS_TYPE, type Rule } from './helpers';

// Made once per VM model, not once per resource.
const ruleFor = perVmModel((model) =>
  expectBool(`${model}.securityProfile.encryptionAtHost`, true, {
    ifAbsent: 'fail',
    absentReason: 'temporary disks and disk caches are then stored unencrypted on the host',
    what: 'encryption at host',
  }),
);

const rule: Rule = (view, ctx) => ruleFor(view)(view, ctx);

export default resourceControl(
  {
    id: 'vm-encryption-at-host',
    title: 'VMs and scale sets encrypt temporary disks and caches at the host',
    severity: 'low',
    featureSet: 'VirtualMachine',
    resourceTypes: [VM_TYPE, VMSS_TYPE],
    rationale:
      'Managed disks are encrypted at rest in storage, but the temporary disk and the OS and data disk caches live on the host ' +
      'unencrypted unless encryption at host is on; it encrypts them end to end without Azure Disk Encryption\'s agent. A value written ' +
      'as the string "true" counts (Checkov reads the same).',
    remediation: {
      text: 'Set securityProfile.encryptionAtHost to true (register the EncryptionAtHost feature on the subscription first).',
      snippet: snippet({ type: 'Microsoft.Compute/virtualMachines', properties: { securityProfile: { encryptionAtHost: true } } }),
    },
    references: { checkov: ['CKV_AZURE_97'], mcsb: ['DP-4'] },
    since: '2026-12-07',
  },
  rule,
);
