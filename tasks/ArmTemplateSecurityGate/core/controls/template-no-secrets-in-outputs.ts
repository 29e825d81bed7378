import { isSecureType, snippet, templateControl } from './helpers';

export default templateControl(
  {
    id: 'template-no-secrets-in-outputs',
    title: 'Template outputs do not return secrets',
    severity: 'high',
    featureSet: 'Template',
    resourceTypes: [],
    rationale:
      'Output values are stored in the deployment history, readable by anyone with read access to the resource group, and often ' +
      'echoed into pipeline logs. An output built from a secure parameter, listKeys()/listSecrets()/list*() or a secret-like ' +
      'property leaks that secret. Outputs declared as secureString/secureObject are not stored and pass.',
    remediation: {
      text: 'Return resource ids or names instead and let the consumer read the secret from Key Vault (or use a secure output type).',
      snippet: snippet({ outputs: { storageAccountId: { type: 'string', value: "[resourceId('Microsoft.Storage/storageAccounts', parameters('name'))]" } } }),
    },
    references: { psrule: ['Azure.Deployment.OutputSecretValue'], mcsb: ['IM-8'] },
    since: '2026-11-23',
  },
  (template) =>
    template.outputs.map((o) => {
      const resource = { type: 'output', name: o.name };
      if (isSecureType(o.type)) return { outcome: 'pass' as const, message: `Output '${o.name}' is ${o.type}; its value is not stored.`, location: o.location, resource };
      return o.exposesSecret
        ? {
            outcome: 'fail' as const,
            message: `Output '${o.name}' exposes a secret${o.secretReason ? ` (${o.secretReason})` : ''}; it would be stored in the deployment history.`,
            location: o.location,
            resource,
          }
        : { outcome: 'pass' as const, message: `Output '${o.name}' returns nothing from a secure parameter, a key listing or a credential property.`, location: o.location, resource };
    }),
);
