import type { EvaluatedValue } from '../model';
import { isObject, isSecureType, snippet, templateControl } from './helpers';

/** '' (the quickstarts' `_artifactsLocationSasToken`), {} and [] hold no value: nothing is committed. */
function isEmpty(value: EvaluatedValue | undefined): boolean {
  if (value === '' || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  return isObject(value) && Object.keys(value).length === 0;
}

export default templateControl(
  {
    id: 'template-secure-parameter-no-default',
    title: 'secureString and secureObject parameters have no literal default value',
    severity: 'high',
    featureSet: 'Template',
    resourceTypes: [],
    rationale:
      'A literal defaultValue on a secure parameter is a secret committed to source control, and every deployment that does not ' +
      'override it uses the same known value. Defaults computed by an expression (e.g. newGuid()) are not literal secrets and pass, ' +
      'and so does an empty default ("", {}), which holds no value.',
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
        if (!p.hasLiteralDefault) return { outcome: 'pass' as const, message: `Secure parameter '${p.name}' has no literal default.`, location: p.location, resource };
        // Own wording only: a secure value is masked wherever it appears, and a word like "secret" may be one.
        if (isEmpty(p.literalDefault)) return { outcome: 'pass' as const, message: `Secure parameter '${p.name}' has an empty default, which holds no value.`, location: p.location, resource };
        return {
          outcome: 'fail' as const,
          message: `Secure parameter '${p.name}' has a literal defaultValue, committed to source control and used by every deployment that does not override it.`,
          location: p.location,
          resource,
        };
      }),
);
