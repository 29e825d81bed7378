import { fail, pass, resourceControl, snippet, unknownResult, type Rule } from './helpers';

const rule: Rule = (view) => {
  const publicAccess = view.get('$.properties.publicNetworkAccess');
  if (publicAccess.state === 'unknown') return unknownResult(publicAccess, 'public network access', view.resource);
  if (publicAccess.state === 'value' && String(publicAccess.value).toLowerCase() === 'disabled') return pass('Public network access to the disk is disabled.', publicAccess.location);
  const policy = view.get('$.properties.networkAccessPolicy');
  if (policy.state === 'unknown') return unknownResult(policy, 'the disk network access policy', view.resource);
  const p = policy.state === 'value' ? String(policy.value) : 'AllowAll';
  if (/^(denyall|allowprivate)$/i.test(p)) return pass(`networkAccessPolicy is ${p}: the disk cannot be exported from any network.`, policy.location);
  return fail(`networkAccessPolicy is ${policy.state === 'value' ? p : 'not set (AllowAll)'}: an export SAS for the disk works from any network.`, policy.location);
};

export default resourceControl(
  {
    id: 'disk-network-access-restricted',
    title: 'Managed disks cannot be exported from any network',
    severity: 'medium',
    featureSet: 'ManagedDisk',
    resourceTypes: ['Microsoft.Compute/disks'],
    rationale:
      'Anyone holding an export SAS for a disk can download it whole — operating system, data and secrets on it. With the default ' +
      'networkAccessPolicy AllowAll the SAS works from anywhere on the Internet; DenyAll forbids export, AllowPrivate allows it only ' +
      'through a disk access private endpoint, and publicNetworkAccess Disabled closes the public path.',
    remediation: {
      text: 'Set networkAccessPolicy to "DenyAll", or to "AllowPrivate" with a diskAccessId, and publicNetworkAccess to "Disabled".',
      snippet: snippet({ type: 'Microsoft.Compute/disks', properties: { networkAccessPolicy: 'DenyAll', publicNetworkAccess: 'Disabled' } }),
    },
    references: { mcsb: ['NS-2'] },
    since: '2026-12-07',
  },
  rule,
);
