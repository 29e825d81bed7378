import { expectLocalAuthDisabled, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'automation-account-local-auth-disabled',
    title: 'Automation account refuses local (key) authentication',
    severity: 'medium',
    featureSet: 'Automation',
    resourceTypes: ['Microsoft.Automation/automationAccounts'],
    rationale:
      'The account\'s registration keys let a machine join as a Hybrid Runbook Worker or DSC node and pull configurations and jobs that ' +
      'may carry credentials; anyone who reads the keys (Reader-level listKeys on older roles, a copied script) can impersonate a worker. ' +
      'properties.disableLocalAuth true requires Entra ID authentication instead. Keys are accepted by default.',
    remediation: {
      text: 'Set properties.disableLocalAuth to true and register workers with the extension-based (Entra ID) Hybrid Worker.',
      snippet: snippet({ type: 'Microsoft.Automation/automationAccounts', properties: { sku: { name: 'Basic' }, disableLocalAuth: true } }),
    },
    references: { mcsb: ['IM-1'] },
    since: '2026-12-07',
  },
  expectLocalAuthDisabled('$.properties.disableLocalAuth', 'local authentication'),
);
