import { isSecretLikeName, isSecureType, snippet, templateControl } from './helpers';

export default templateControl(
  {
    id: 'template-secure-parameters',
    title: 'Secret-like parameters are secureString or secureObject',
    severity: 'high',
    featureSet: 'Template',
    resourceTypes: [],
    rationale:
      'Values of string and object parameters are stored in the deployment history and shown in the portal and logs; ' +
      'secureString and secureObject values are not. A parameter whose name says it holds a password, secret, token, key or ' +
      'connection string must use a secure type. Names that only mention such words as identifiers (keyVaultName, sshPublicKey, ' +
      'disablePasswordAuthentication...) are not flagged. AzSK checked this per property (SecureParam match type); it is a ' +
      'template-wide control here, in line with arm-ttk and Checkov.',
    remediation: {
      text: 'Declare the parameter with "type": "securestring" (or "secureobject") and pass the value from Key Vault.',
      snippet: snippet({ parameters: { adminPassword: { type: 'securestring' } } }),
    },
    // No PSRule reference: PSRule has no parameter-name rule; Azure.Deployment.SecureValue judges secret resource
    // properties set from non-secure values, which is a different check.
    references: { mcsb: ['IM-8'] },
    since: '2026-11-23',
  },
  (template) =>
    template.parameters
      .filter((p) => isSecretLikeName(p.name) && ['string', 'object', 'securestring', 'secureobject'].includes(p.type.toLowerCase()))
      .map((p) => {
        const resource = { type: 'parameter', name: p.name };
        return isSecureType(p.type)
          ? { outcome: 'pass' as const, message: `Parameter '${p.name}' is ${p.type}.`, location: p.location, resource }
          : {
              outcome: 'fail' as const,
              message: `Parameter '${p.name}' looks like a secret but is of type '${p.type}'; its value would be stored in the deployment history.`,
              location: p.location,
              resource,
            };
      }),
);
