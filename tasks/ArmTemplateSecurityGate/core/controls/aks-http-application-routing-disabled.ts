import { addon, AKS_TYPE, fail, pass, resourceControl, snippet, unknown, type Rule } from './helpers';
import { UnknownValue } from '../model';

const rule: Rule = (view) => {
  const a = addon(view, 'httpApplicationRouting');
  const at = view.resource.locate(['properties', 'addonProfiles']);
  if (a.enabled instanceof UnknownValue) return unknown(`Cannot decide whether HTTP application routing is enabled: ${a.enabled.reason}.`, a.enabled.location ?? at);
  return a.enabled ? fail('The HTTP application routing add-on is enabled.', at) : pass('The HTTP application routing add-on is not enabled.', at);
};

export default resourceControl(
  {
    id: 'aks-http-application-routing-disabled',
    title: 'AKS clusters do not use the HTTP application routing add-on',
    severity: 'medium',
    featureSet: 'KubernetesService',
    resourceTypes: [AKS_TYPE],
    rationale:
      'The HTTP application routing add-on publishes ingresses on a public DNS zone over plain HTTP, without TLS; Microsoft documents it as ' +
      'not for production and has retired it in favour of the application routing add-on with managed NGINX and Key Vault certificates.',
    remediation: {
      text: 'Disable addonProfiles.httpApplicationRouting; use ingressProfile.webAppRouting with TLS certificates from Key Vault.',
      snippet: snippet({ type: 'Microsoft.ContainerService/managedClusters', properties: { addonProfiles: { httpApplicationRouting: { enabled: false } }, ingressProfile: { webAppRouting: { enabled: true } } } }),
    },
    references: { psrule: ['Azure.AKS.HttpAppRouting'], mcsb: ['DP-3'] },
    since: '2026-12-07',
  },
  rule,
);
