import { addon, AKS_TYPE, asBool, fail, isObject, pass, prop, resourceControl, snippet, unknown, type Rule } from './helpers';
import { UnknownValue } from '../model';

const rule: Rule = (view) => {
  const a = addon(view, 'azureKeyvaultSecretsProvider');
  const at = view.resource.locate(['properties', 'addonProfiles']);
  if (a.enabled instanceof UnknownValue) return unknown(`Cannot decide whether the Secrets Store CSI driver is enabled: ${a.enabled.reason}.`, a.enabled.location ?? at);
  // Without the driver there are no mounted Key Vault secrets to rotate.
  if (!a.enabled) return undefined;
  const v = isObject(a.config) ? prop(a.config, 'enableSecretRotation') : undefined;
  if (v instanceof UnknownValue) return unknown(`Cannot decide whether secrets rotate: ${v.reason}.`, v.location ?? at);
  return asBool(v ?? null) === true ? pass('Mounted Key Vault secrets are refreshed (enableSecretRotation).', at) : fail('The Secrets Store CSI driver is enabled without enableSecretRotation: pods keep a rotated or revoked secret until they restart.', at);
};

export default resourceControl(
  {
    id: 'aks-secret-store-rotation',
    title: 'AKS Secrets Store CSI driver refreshes rotated secrets',
    severity: 'medium',
    featureSet: 'KubernetesService',
    resourceTypes: [AKS_TYPE],
    rationale:
      'Secrets mounted from Key Vault are read once at pod start unless rotation is on; a secret rotated after a leak keeps working in ' +
      'every running pod. Only clusters with the azureKeyvaultSecretsProvider add-on are judged (Checkov also fails clusters without it).',
    remediation: {
      text: 'Set addonProfiles.azureKeyvaultSecretsProvider.config.enableSecretRotation to "true" (and a rotationPollInterval).',
      snippet: snippet({ type: 'Microsoft.ContainerService/managedClusters', properties: { addonProfiles: { azureKeyvaultSecretsProvider: { enabled: true, config: { enableSecretRotation: 'true', rotationPollInterval: '2m' } } } } }),
    },
    references: { checkov: ['CKV_AZURE_172'], psrule: ['Azure.AKS.SecretStoreRotation'], mcsb: ['IM-8'] },
    since: '2026-12-07',
  },
  rule,
);
