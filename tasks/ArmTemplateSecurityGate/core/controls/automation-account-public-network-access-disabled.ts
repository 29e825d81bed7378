import { expectBool, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'automation-account-public-network-access-disabled',
    title: 'Automation account is reachable only over private endpoints',
    severity: 'medium',
    featureSet: 'Automation',
    resourceTypes: ['Microsoft.Automation/automationAccounts'],
    rationale:
      'An Automation account runs code with its identity\'s rights, often broad ones; its webhooks and Hybrid Runbook Worker and DSC ' +
      'endpoints answer from any network while public access is on, so a leaked webhook URL or worker credential is usable from anywhere. ' +
      'properties.publicNetworkAccess false (a boolean for this service) limits them to private endpoints. It defaults to true.',
    remediation: {
      text: 'Set properties.publicNetworkAccess to false and add private endpoints (Webhook, DSCAndHybridWorker) for the account.',
      snippet: snippet({ type: 'Microsoft.Automation/automationAccounts', properties: { sku: { name: 'Basic' }, publicNetworkAccess: false } }),
    },
    references: { mcsb: ['NS-2'] },
    since: '2026-12-07',
  },
  expectBool('$.properties.publicNetworkAccess', false, { ifAbsent: 'fail', absentReason: 'defaults to true', what: 'public network access' }),
);
