import { fail, pass, resourceControl, secretSource, snippet, unknown, type Rule } from './helpers';
import { UnknownValue } from '../model';

const rule: Rule = (view, ctx) => {
  const l = view.get('$.properties.password');
  if (l.state === 'absent') return undefined;
  if (l.state === 'unknown') {
    const source = l.value instanceof UnknownValue ? secretSource(l.value, ctx) : undefined;
    if (source) return pass(`The credential's password is not in the template: ${source}.`, l.location);
    return unknown(`Cannot decide where the credential's password comes from: it is not known before deployment — ${l.value.reason}.`, l.location);
  }
  return fail(
    'The credential\'s password is a known value in the template or its parameter file: it is readable in source control and in the deployment history. ' +
      'Pass it through a secure parameter (or a Key Vault reference).',
    l.location,
  );
};

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
  rule,
);
