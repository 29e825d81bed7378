import { expectBool, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'automation-variable-encrypted',
    title: 'Automation account variable is encrypted',
    severity: 'high',
    featureSet: 'Automation',
    resourceTypes: ['Microsoft.Automation/automationAccounts/variables'],
    rationale:
      'An unencrypted Automation variable can be read back in clear text by anyone with Reader-level access to the account ' +
      '(portal, API, Get-AzAutomationVariable), and variables typically hold passwords and connection strings for runbooks. ' +
      'isEncrypted true stores it encrypted and hides its value outside runbooks. It defaults to false and cannot be changed later.',
    remediation: {
      text: 'Set properties.isEncrypted to true (recreate the variable: encryption cannot be turned on afterwards).',
      snippet: snippet({ type: 'Microsoft.Automation/automationAccounts/variables', properties: { isEncrypted: true, value: "[parameters('variableValue')]" } }),
    },
    references: { checkov: ['CKV_AZURE_73'], psrule: ['Azure.Automation.EncryptVariables'], mcsb: ['DP-5'] },
    since: '2026-12-07',
  },
  expectBool('$.properties.isEncrypted', true, { ifAbsent: 'fail', absentReason: 'defaults to false', what: 'variable encryption' }),
);
