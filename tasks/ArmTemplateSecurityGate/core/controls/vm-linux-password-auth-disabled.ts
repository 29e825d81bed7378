import { expectBool, osFamily, perVmModel, resourceControl, snippet, unknownResult, vmPath, VM_TYPE, VMSS_TYPE, type Rule } from './helpers';
import { UnknownValue } from '../model';

// Made once per VM model, not once per resource.
const passwordRule = perVmModel((model) =>
  expectBool(`${model}.osProfile.linuxConfiguration.disablePasswordAuthentication`, true, {
    ifAbsent: 'fail',
    absentReason: 'Linux VMs accept passwords unless it is true',
    what: 'password authentication',
  }),
);

const rule: Rule = (view, ctx) => {
  const os = osFamily(view);
  if (os instanceof UnknownValue) {
    return unknownResult({ state: 'unknown', value: os, location: os.location ?? view.location, path: [], resource: view.resource }, 'the operating system', view.resource);
  }
  // Windows has no key-only logon; an OS the template does not state (custom image, attached disk) is not judged.
  if (os !== 'linux') return undefined;
  if (view.get(vmPath(view, 'osProfile')).state === 'absent') return undefined;
  return passwordRule(view)(view, ctx);
};

export default resourceControl(
  {
    id: 'vm-linux-password-auth-disabled',
    title: 'Linux VMs and scale sets accept SSH keys only',
    severity: 'high',
    featureSet: 'VirtualMachine',
    resourceTypes: [VM_TYPE, VMSS_TYPE],
    rationale:
      'A password can be guessed, phished or reused; an SSH key cannot be brute-forced over the network. Linux VMs accept passwords ' +
      'unless osProfile.linuxConfiguration.disablePasswordAuthentication is true. The OS is read from linuxConfiguration, ' +
      'windowsConfiguration, the OS disk type or the marketplace image; Windows VMs and VMs whose OS the template does not state ' +
      '(custom images, attached disks) are not judged.',
    remediation: {
      text: 'Set disablePasswordAuthentication to true and give the admin user an SSH public key.',
      snippet: snippet({
        osProfile: {
          adminUsername: 'azureuser',
          linuxConfiguration: { disablePasswordAuthentication: true, ssh: { publicKeys: [{ path: '/home/azureuser/.ssh/authorized_keys', keyData: "[parameters('sshPublicKey')]" }] } },
        },
      }),
    },
    references: { checkov: ['CKV_AZURE_1', 'CKV_AZURE_49', 'CKV_AZURE_149'], psrule: ['Azure.VM.PublicKey', 'Azure.VMSS.PublicKey'], mcsb: ['IM-6'] },
    since: '2026-12-07',
  },
  rule,
);
