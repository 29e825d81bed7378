import { fail, pass, perVmModel, resourceControl, snippet, unknownResult, VM_TYPE, VMSS_TYPE, type Rule } from './helpers';

/** Unmanaged disks name a VHD blob (VM) or storage containers for the VHDs (scale set). */
/** The model's storage profile and the OS disk paths that name a VHD, made once per VM model. */
const diskPaths = perVmModel((model) => {
  const base = `${model}.storageProfile`;
  return { base, dataDisks: `${base}.dataDisks`, osDisk: [`${base}.osDisk.vhd.uri`, `${base}.osDisk.vhdContainers`, `${base}.osDisk.image.uri`] };
});

const rule: Rule = (view) => {
  const { base, dataDisks, osDisk } = diskPaths(view);
  const paths = [...osDisk];
  const data = view.getShallow(dataDisks);
  if (data.state === 'value' && Array.isArray(data.value)) data.value.forEach((_, i) => paths.push(`${base}.dataDisks[${i}].vhd.uri`));
  for (const p of paths) {
    const l = view.get(p);
    if (l.state === 'unknown') return unknownResult(l, 'whether the disks are managed', view.resource);
    if (l.state === 'value') return fail(`${p.slice(2)} is set: the disk is an unmanaged VHD in a storage account.`, l.location);
  }
  return pass('The OS and data disks are managed disks.', view.location);
};

export default resourceControl(
  {
    id: 'vm-managed-disks',
    title: 'VMs and scale sets use managed disks',
    severity: 'medium',
    featureSet: 'VirtualMachine',
    resourceTypes: [VM_TYPE, VMSS_TYPE],
    rationale:
      'An unmanaged disk is a page blob in a storage account: anyone with the account key or a SAS can read or replace the VM\'s disk, ' +
      'outside Azure RBAC, disk network policies and disk encryption sets. Managed disks are resources of their own with all of those.',
    remediation: {
      text: 'Replace vhd / vhdContainers with managedDisk on the OS and data disks.',
      snippet: snippet({ storageProfile: { osDisk: { createOption: 'FromImage', managedDisk: { storageAccountType: 'Premium_LRS' } } } }),
    },
    references: { checkov: ['CKV_AZURE_92'], psrule: ['Azure.VM.UseManagedDisks'], mcsb: ['DP-4'] },
    since: '2026-12-07',
  },
  rule,
);
