import { isSecureType, snippet, templateControl } from './helpers';

export default templateControl(
  {
    id: 'template-secure-parameter-no-default',
    title: 'secureString and secureObject parameters have no literal default value',
    severity: 'high',
    featureSet: 'Template',
    resourceTypes: [],
    rationale:
      'A literal defaultValue on a secure parameter is a secret committed to source control, and every deployment that does not ' +
      'override it uses the same known value. Defaults computed by an expression (e.g. newGuid()) are not literal secrets and pass.',
    remediation: {
      text: 'Remove the defaultValue; pass the value from a parameter file Key Vault reference or a pipeline secret.',
      snippet: snippet({ parameters: { adminPassword: { type: 'securestring' } } }),
    },
    references: { checkov: ['CKV_AZURE_131'], mcsb: ['IM-8'] },
    since: '2026-11-23',
  },
  (template) =>
    template.parameters
      .filter((p) => isSecureType(p.type))
      .map((p) => {
        const resource = { type: 'parameter', name: p.name };
        return p.hasLiteralDefault
          ? { outcome: 'fail' as const, message: `Secure parameter '${p.name}' has a literal defaultValue (a secret in source).`, location: p.location, resource }
          : { outcome: 'pass' as const, message: `Secure parameter '${p.name}' has no literal default.`, location: p.location, resource };
      }),
);
