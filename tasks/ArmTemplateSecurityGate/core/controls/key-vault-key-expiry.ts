import { fail, firstResolved, pass, resourceControl, show, snippet, unknownResult, type Rule } from './helpers';

const rule: Rule = (view, ctx) => {
  // attributes.exp (epoch seconds) on the key, or the expiry its rotation policy gives every version.
  const l = firstResolved(view, ctx, ['$.properties.attributes.exp', '$.properties.rotationPolicy.attributes.expiryTime']);
  if (l.state === 'unknown') return unknownResult(l, 'the key expiry', view.resource);
  if (l.state === 'value' && l.value !== '' && l.value !== 0) return pass(`${l.path.join('.')} is ${show(l.value)}: the key expires.`, l.location);
  return fail('Neither attributes.exp nor rotationPolicy.attributes.expiryTime is set: the key never expires.', l.location);
};

export default resourceControl(
  {
    id: 'key-vault-key-expiry',
    title: 'Key Vault key has an expiry date',
    severity: 'medium',
    featureSet: 'KeyVault',
    resourceTypes: ['Microsoft.KeyVault/vaults/keys'],
    rationale:
      'A key without an expiry date is used forever: a key that was copied, or an algorithm that weakens, stays in service. ' +
      'attributes.exp sets the date; a rotation policy with attributes.expiryTime gives every new version one and rotates ' +
      'before it. Either passes (Checkov CKV_AZURE_40 reads one or the other depending on its version).',
    remediation: {
      text: 'Add a rotationPolicy with attributes.expiryTime (for example P1Y) and a rotate lifetime action, or set attributes.exp.',
      snippet: snippet({
        type: 'Microsoft.KeyVault/vaults/keys',
        properties: { kty: 'RSA-HSM', rotationPolicy: { attributes: { expiryTime: 'P1Y' }, lifetimeActions: [{ action: { type: 'rotate' }, trigger: { timeBeforeExpiry: 'P30D' } }] } },
      }),
    },
    references: { checkov: ['CKV_AZURE_40'], mcsb: ['DP-6'] },
    since: '2026-12-07',
  },
  rule,
);
