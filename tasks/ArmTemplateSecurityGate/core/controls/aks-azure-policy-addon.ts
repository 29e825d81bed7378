import { addon, AKS_TYPE, fail, pass, resourceControl, snippet, unknown, type Rule } from './helpers';
import { UnknownValue } from '../model';

const rule: Rule = (view) => {
  const a = addon(view, 'azurepolicy');
  const at = view.resource.locate(['properties', 'addonProfiles']);
  if (a.enabled instanceof UnknownValue) return unknown(`Cannot decide whether the Azure Policy add-on is enabled: ${a.enabled.reason}.`, a.enabled.location ?? at);
  return a.enabled ? pass('The Azure Policy add-on is enabled.', at) : fail('The Azure Policy add-on (addonProfiles.azurepolicy) is not enabled.', at);
};

export default resourceControl(
  {
    id: 'aks-azure-policy-addon',
    title: 'AKS clusters run the Azure Policy add-on',
    severity: 'medium',
    featureSet: 'KubernetesService',
    resourceTypes: [AKS_TYPE],
    rationale:
      'The Azure Policy add-on (Gatekeeper) enforces pod security at admission: no privileged containers, no host namespaces, images ' +
      'only from approved registries. Without it nothing in the cluster stops a workload from asking for root on the node.',
    remediation: {
      text: 'Enable addonProfiles.azurepolicy and assign the Kubernetes pod security baseline initiative.',
      snippet: snippet({ type: 'Microsoft.ContainerService/managedClusters', properties: { addonProfiles: { azurepolicy: { enabled: true } } } }),
    },
    references: { checkov: ['CKV_AZURE_116'], psrule: ['Azure.AKS.AzurePolicyAddOn'], mcsb: ['PV-2'] },
    since: '2026-12-07',
  },
  rule,
);
