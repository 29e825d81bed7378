import { credentialIn, fail, pass, resourceControl, secretSource, snippet, unknown, vmPath, VM_TYPE, VMSS_TYPE, type Rule } from './helpers';
import { UnknownValue } from '../model';

const rule: Rule = (view, ctx) => {
  const l = view.get(vmPath(view, 'osProfile.customData'));
  if (l.state === 'absent') return pass('No customData is passed to the VM.', l.location);
  if (l.state === 'unknown') {
    const source = l.value instanceof UnknownValue ? secretSource(l.value, ctx) : undefined;
    if (source) return fail(`osProfile.customData carries a secret: ${source}. Every process on the VM can read it from the instance metadata service.`, l.location);
    return unknown(`Cannot decide whether osProfile.customData holds a secret: it is not known before deployment — ${l.value.reason}.`, l.location);
  }
  if (typeof l.value !== 'string') return pass('osProfile.customData is not text.', l.location);
  const found = credentialIn(l.value);
  if (found) return fail(`osProfile.customData contains ${found}: custom data is stored with the VM model and readable by every process on the VM.`, l.location);
  return pass('osProfile.customData holds no recognisable credential.', l.location);
};

export default resourceControl(
  {
    id: 'vm-custom-data-no-secrets',
    title: 'VM custom data carries no credentials',
    severity: 'high',
    featureSet: 'VirtualMachine',
    resourceTypes: [VM_TYPE, VMSS_TYPE],
    rationale:
      'Custom data (cloud-init, a script) is written to the VM disk and served by the instance metadata service to every process on the ' +
      'VM, kept in the deployment history, and is not encrypted like extension protectedSettings; Microsoft\'s documentation says not ' +
      'to put secrets in it. The control fails customData built from a secure parameter, a Key Vault reference or a list*() call, and ' +
      'text (also base64-decoded) holding a connection-string key, a SAS signature, a private key, a storage key or a password ' +
      'assignment. Checkov flags any string its secret detectors match, including a bare GUID, which is not a credential by itself: ' +
      'this control passes such custom data.',
    remediation: {
      text: 'Let the VM fetch secrets at boot from Key Vault with its managed identity, or pass them in a CustomScript extension\'s protectedSettings.',
      snippet: snippet({
        type: 'Microsoft.Compute/virtualMachines',
        identity: { type: 'SystemAssigned' },
        properties: { osProfile: { customData: "[base64('#cloud-config\\nruncmd:\\n  - az login --identity && az keyvault secret show ...')]" } },
      }),
    },
    references: { checkov: ['CKV_AZURE_45'], mcsb: ['IM-8'] },
    since: '2026-12-07',
  },
  rule,
);
