import { fail, pass, resourceControl, show, snippet, unknownResult, type Rule } from './helpers';

const rule: Rule = (view) => {
  const l = view.get('$.properties.attributes.exp');
  if (l.state === 'unknown') return unknownResult(l, 'the secret expiry', view.resource);
  if (l.state === 'value' && l.value !== '' && l.value !== 0) return pass(`attributes.exp is ${show(l.value)}: the secret expires.`, l.location);
  return fail('attributes.exp is not set: the secret never expires.', l.location);
};

export default resourceControl(
  {
    id: 'key-vault-secret-expiry',
    title: 'Key Vault secret has an expiry date',
    severity: 'medium',
    featureSet: 'KeyVault',
    resourceTypes: ['Microsoft.KeyVault/vaults/secrets'],
    rationale:
      'A secret without an expiry date is never rotated on purpose, so a password or connection string that leaked once stays ' +
      'valid. attributes.exp (seconds since 1970) makes Key Vault report the secret as expired and lets Event Grid warn before it.',
    remediation: {
      text: "Set properties.attributes.exp, e.g. \"[dateTimeToEpoch(dateTimeAdd(utcNow(), 'P90D'))]\" from a parameter default.",
      snippet: snippet({ type: 'Microsoft.KeyVault/vaults/secrets', properties: { value: "[parameters('secretValue')]", attributes: { exp: "[parameters('secretExpiry')]" } } }),
    },
    references: { checkov: ['CKV_AZURE_41'], mcsb: ['IM-8'] },
    since: '2026-12-07',
  },
  rule,
);
