import { expectSecretFromSecureSource, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'automation-credential-secure',
    title: 'Automation credentials get their password from a secure parameter',
    severity: 'high',
    featureSet: 'Automation',
    resourceTypes: ['Microsoft.Automation/automationAccounts/credentials'],
    rationale:
      'An Automation credential is encrypted once stored, but a password written into the template, a variable, a plain string ' +
      'parameter or a parameter file is in clear text in source control and in the deployment history, readable by everyone who can read ' +
      'either. The control passes a password that comes from a secureString parameter without a literal value, a Key Vault reference ' +
      'or a list*() call, and fails any password whose value the template or its parameter file states.',
    remediation: {
      text: 'Declare a secureString parameter for the password and fill it from Key Vault (a parameter file reference) or the pipeline\'s secret variables.',
      snippet: snippet({ type: 'Microsoft.Automation/automationAccounts/credentials', properties: { userName: "[parameters('runAsUser')]", password: "[parameters('runAsPassword')]" } }),
    },
    references: { mcsb: ['IM-8'] },
    since: '2026-12-07',
  },
  expectSecretFromSecureSource('$.properties.password', "credential's password"),
);
