import { EvaluatedValue, fail, findUnknown, isObject, pass, prop, resourceControl, Rule, show, snippet, unknown, unknownResult } from './helpers';

function named(v: EvaluatedValue, name: string): boolean {
  if (!isObject(v)) return false;
  const n = prop(v, 'name');
  return typeof n === 'string' && n.toLowerCase() === name.toLowerCase();
}

const rule: Rule = (view) => {
  const settings = view.getShallow('$.properties.fabricSettings');
  if (settings.state === 'unknown') return unknownResult(settings, 'the cluster protection level', view.resource);
  const sections = settings.state === 'value' && Array.isArray(settings.value) ? settings.value : [];
  // AzSK only looked at fabricSettings[0]; the Security section may be anywhere in the list.
  const security = sections.find((s) => named(s, 'Security'));
  const params = isObject(security) ? prop(security, 'parameters') : undefined;
  const level = Array.isArray(params) ? params.find((p) => named(p, 'ClusterProtectionLevel')) : undefined;
  const value = isObject(level) ? prop(level, 'value') : undefined;
  if (value === undefined) {
    const u = sections.map((s) => findUnknown(s)).find((x) => x);
    if (u) return unknown(`Cannot decide the cluster protection level: a fabricSettings entry is not known before deployment — ${u.reason}.`, u.location ?? settings.location);
    return fail('fabricSettings has no Security/ClusterProtectionLevel parameter.', settings.location);
  }
  const u = findUnknown(value);
  if (u) return unknown(`Cannot decide the cluster protection level: ClusterProtectionLevel is not known before deployment — ${u.reason}.`, u.location ?? settings.location);
  return typeof value === 'string' && value.toLowerCase() === 'encryptandsign'
    ? pass('Security/ClusterProtectionLevel is "EncryptAndSign".', settings.location)
    : fail(`Security/ClusterProtectionLevel is ${show(value)}, expected "EncryptAndSign".`, settings.location);
};

export default resourceControl(
  {
    id: 'service-fabric-encrypt-and-sign',
    title: 'Service Fabric node-to-node traffic is encrypted and signed',
    severity: 'high',
    featureSet: 'ServiceFabric',
    resourceTypes: ['Microsoft.ServiceFabric/clusters'],
    rationale:
      'With ClusterProtectionLevel "EncryptAndSign" every message between nodes is encrypted and signed with the cluster ' +
      'certificate, protecting intra-cluster traffic from eavesdropping and tampering. AzSK only read the first fabricSettings ' +
      'section; here the Security section is found wherever it is.',
    remediation: {
      text: 'Add a fabricSettings section "Security" with parameter ClusterProtectionLevel = EncryptAndSign.',
      snippet: snippet({
        type: 'Microsoft.ServiceFabric/clusters',
        properties: { fabricSettings: [{ name: 'Security', parameters: [{ name: 'ClusterProtectionLevel', value: 'EncryptAndSign' }] }] },
      }),
    },
    references: { azsk: ['Azure_ServiceFabric_DP_Set_Property_ClusterProtectionLevel'], checkov: ['CKV_AZURE_125'], mcsb: ['DP-3'] },
    since: '2026-11-23',
  },
  rule,
);
