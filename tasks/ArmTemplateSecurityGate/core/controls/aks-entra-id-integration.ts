import { asBool, fail, isNonEmptyString, isObject, pass, prop, resourceControl, Rule, snippet, unknownResult } from './helpers';

const rule: Rule = (view) => {
  const profile = view.get('$.properties.aadProfile');
  if (profile.state === 'unknown') return unknownResult(profile, 'the Entra ID integration', view.resource);
  if (profile.state === 'absent' || !isObject(profile.value)) {
    return fail('properties.aadProfile is not set: the cluster uses Kubernetes-local accounts only.', profile.location);
  }
  const managed = prop(profile.value, 'managed');
  if (asBool(managed ?? null) === true) return pass('Managed Microsoft Entra ID integration is enabled.', profile.location);
  const server = prop(profile.value, 'serverAppID');
  if (server !== undefined && isNonEmptyString(server)) return pass('Legacy Entra ID integration (serverAppID) is configured.', profile.location);
  return fail('properties.aadProfile is present but neither managed is true nor a serverAppID is set.', profile.location);
};

export default resourceControl(
  {
    id: 'aks-entra-id-integration',
    title: 'AKS cluster authenticates users with Microsoft Entra ID',
    severity: 'high',
    featureSet: 'KubernetesService',
    resourceTypes: ['Microsoft.ContainerService/managedClusters'],
    rationale:
      'Entra ID integration ties kubectl access to directory identities (MFA, conditional access, leaver removal) instead of ' +
      'shared client certificates. AzSK only counted properties of aadProfile; today "managed": true is the supported form, ' +
      'and the legacy serverAppID form is still accepted.',
    remediation: {
      text: 'Set properties.aadProfile with managed true (and enableAzureRBAC where Azure RBAC for Kubernetes is used).',
      snippet: snippet({ type: 'Microsoft.ContainerService/managedClusters', properties: { aadProfile: { managed: true, enableAzureRBAC: true } } }),
    },
    references: { azsk: ['Azure_KubernetesService_AuthN_Enabled_AAD'], psrule: ['Azure.AKS.ManagedAAD'], mcsb: ['IM-1'] },
    since: '2026-11-23',
  },
  rule,
);
